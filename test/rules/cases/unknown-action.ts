/** Case table of src/linter/rules/unknown-action.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'unknown-action': [
    { name: 'known actions and patterns', fire: false, policy: doc(allow(['s3:GetObject', 'ec2:Describe*', 'dynamodb:getitem'], '*')) },
    { name: 'typo in action', fire: true, policy: doc(allow('s3:GetObjects', '*')), message: 's3:GetObject', at: { line: 6, column: 17 } },
    { name: 'unknown service', fire: true, policy: doc(allow('dynamo:GetItem', '*')), message: 'unknown service', at: { line: 6, column: 17 } },
    { name: 'pattern matching nothing', fire: true, policy: doc(allow('s3:Fetch*', '*')), message: 'matches no', at: { line: 6, column: 17 } },
    { name: 'no colon', fire: true, policy: doc(allow('GetObject', '*')), at: { line: 6, column: 17 } },
    { name: 'a retired service (DeepLens) is info, not an error', fire: true, policy: doc(allow('deeplens:ListDevices', '*')), message: 'names retired service "deeplens": it grants nothing', severity: 'info', at: { line: 6, column: 17 } },
    { name: 'an action AWS managed policies list but the Service Authorization Reference does not (s3:ListBuckets) is info', fire: true, policy: doc(allow('s3:ListBuckets', '*')), message: 'is not in the Service Authorization Reference', severity: 'info', at: { line: 6, column: 17 } },
  ],
};
