/** Case table of src/linter/rules/policy-size.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD, allow, doc, trustOf } from './util.js';

function bigPolicy(n: number): unknown {
  return doc(...Array.from({ length: n }, (_, i) => allow(['s3:ListBucket', 's3:GetObject'], [`arn:aws:s3:::bucket-number-${i}-with-a-long-name-for-size`, `arn:aws:s3:::bucket-number-${i}-with-a-long-name-for-size/*`])));
}

export const cases: Record<string, RuleCase[]> = {
  'policy-size': [
    { name: 'small policy', fire: false, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*')) },
    { name: 'policy file over 6,144 (managed quota)', fire: true, policy: bigPolicy(40), message: 'policy case.json is 7698 / 6144 characters: over the managed policy quota', severity: 'warning', at: { line: 1, column: 1 } },
    { name: 'policy file over 10,240', fire: true, policy: bigPolicy(100), message: 'policy case.json is 19218 / 10240 characters: too large for any customer policy', at: { line: 1, column: 1 } },
    { name: 'trust policy file over 2,048', fire: true, policy: trustOf({ AWS: Array.from({ length: 60 }, (_, i) => `arn:aws:iam::1234567890${String(i).padStart(2, '0')}:root`) }), message: '/ 2048 characters (trust policy quota)', at: { line: 1, column: 1 } },
    { name: 'trust policy file near 2,048', fire: true, policy: trustOf({ AWS: Array.from({ length: 53 }, (_, i) => `arn:aws:iam::1234567890${String(i).padStart(2, '0')}:root`) }), message: 'near the trust policy quota', severity: 'info', at: { line: 1, column: 1 } },
    { name: 'inline policies over 10,240 in total', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.inline[0]!.size = 11000; }, message: 'role web: inline policies total', at: { line: 6, column: 3 } },
    { name: 'inline policies near 10,240 in total', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.inline[0]!.size = 9500; }, message: 'near the quota', severity: 'info', at: { line: 6, column: 3 } },
  ],
};
