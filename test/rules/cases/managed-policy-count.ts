/** Case table of src/linter/rules/managed-policy-count.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'managed-policy-count': [
    { name: 'one managed policy', fire: false, spec: `${SPEC_HEAD}services:\n  web:\n    managed: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]\n    trust: [ec2]\n` },
    { name: 'eleven', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    managed: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) for (let i = 0; i < 10; i++) r.managed.push({ kind: 'aws', arn: `arn:aws:iam::123456789012:policy/p${i}`, pos: r.pos }); }, message: '11 / 10', at: { line: 6, column: 3 } },
  ],
};
