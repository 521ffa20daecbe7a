/** Case table of src/linter/rules/statement-action.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';

export const cases: Record<string, RuleCase[]> = {
  'statement-action': [
    { name: 'Action only', fire: false, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' }] } },
    { name: 'neither', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }, message: 'neither', at: { line: 4, column: 5 } },
    { name: 'both', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:*', NotAction: 'ec2:Describe*', Resource: '*' }] }, message: 'both', at: { line: 7, column: 7 } },
  ],
};
