/** Case table of src/linter/rules/trust-cross-account.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD, trustOf } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'trust-cross-account': [
    { name: 'with ExternalId', fire: false, policy: trustOf({ AWS: 'arn:aws:iam::111111111111:root' }, { StringEquals: { 'sts:ExternalId': 'x-123' } }) },
    { name: 'without conditions', fire: true, policy: trustOf({ AWS: 'arn:aws:iam::111111111111:role/ci' }), message: '111111111111', at: { line: 6, column: 20 } },
    { name: 'same account in a spec is not cross-account', fire: false, spec: `${SPEC_HEAD}trust:\n  admins: { aws: ["arn:aws:iam::123456789012:role/admin"] }\nservices:\n  ops:\n    policies: [logs:WriteOnly]\n    trust: [admins]\n` },
  ],
};
