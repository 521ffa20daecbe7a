/** Case table of src/linter/rules/statement-principal.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD, trustOf } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'statement-principal': [
    { name: 'trust with principal', fire: false, policy: trustOf({ Service: 'ec2.amazonaws.com' }) },
    { name: 'trust statement without principal', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }, { Effect: 'Allow', Action: 'sts:AssumeRole' }] }, message: 'no Principal', at: { line: 11, column: 5 } },
    { name: 'a Principal in a compiled identity policy (what a spec cannot write: set on the bundle)', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::b/*"]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) (r.inline[0]!.document.Statement[0] as unknown as Record<string, unknown>).Principal = { AWS: 'arn:aws:iam::111122223333:root' }; }, message: 'an identity policy cannot name a Principal', at: { line: 8, column: 9 } },
    { name: 'NotPrincipal in trust', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' }] }, message: 'NotPrincipal', at: { line: 6, column: 7 } },
  ],
};
