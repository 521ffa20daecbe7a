/** Case table of src/linter/rules/statement-effect.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';

export const cases: Record<string, RuleCase[]> = {
  'statement-effect': [
    { name: 'Allow', fire: false, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] } },
    { name: 'Deny', fire: false, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:ListAllMyBuckets', Resource: '*' }] } },
    { name: 'lower case', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }, message: '"allow"', at: { line: 5, column: 17 } },
    { name: 'missing', fire: true, policy: { Version: '2012-10-17', Statement: [{ Action: 's3:ListAllMyBuckets', Resource: '*' }] }, message: 'no Effect', at: { line: 4, column: 5 } },
  ],
};
