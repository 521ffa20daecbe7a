/** Case table of src/linter/rules/trust-account-root.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { trustOf } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'trust-account-root': [
    { name: 'named role', fire: false, policy: trustOf({ AWS: 'arn:aws:iam::111122223333:role/deployer' }) },
    { name: 'root with conditions', fire: false, policy: trustOf({ AWS: 'arn:aws:iam::111122223333:root' }, { StringEquals: { 'sts:ExternalId': 'abc-123' } }) },
    { name: 'root without conditions', fire: true, policy: trustOf({ AWS: 'arn:aws:iam::111122223333:root' }), message: 'whole account', at: { line: 6, column: 20 } },
  ],
};
