/** Case table of src/linter/rules/full-access-builtin.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'full-access-builtin': [
    { name: 'read-only built-in', fire: false, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [s3:ReadOnly]\n    trust: [ec2]\n` },
    { name: 'full access with reason', fire: false, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [s3:FullAccess]\n    allowFullAccess: manages lifecycle of its scratch bucket\n    scope: { s3: ["arn:aws:s3:::scratch", "arn:aws:s3:::scratch/*"] }\n    trust: [ec2]\n` },
    { name: 'full access without reason', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [s3:FullAccess]\n    trust: [ec2]\n`, message: 's3:FullAccess', at: { line: 7, column: 16 } },
  ],
};
