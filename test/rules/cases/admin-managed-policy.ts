/** Case table of src/linter/rules/admin-managed-policy.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'admin-managed-policy': [
    { name: 'narrow managed policy', fire: false, spec: `${SPEC_HEAD}services:\n  web:\n    managed: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]\n    trust: [ec2]\n` },
    { name: 'AdministratorAccess', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    managed: [arn:aws:iam::aws:policy/AdministratorAccess]\n    trust: [ec2]\n`, message: 'AdministratorAccess', at: { line: 7, column: 15 } },
  ],
};
