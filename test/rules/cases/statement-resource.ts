/** Case table of src/linter/rules/statement-resource.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { trustOf } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'statement-resource': [
    { name: 'has Resource', fire: false, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] } },
    { name: 'trust without Resource', fire: false, policy: trustOf({ Service: 'ec2.amazonaws.com' }) },
    { name: 'missing', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] }, message: 'neither Resource', at: { line: 4, column: 5 } },
    { name: 'both', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', NotResource: 'arn:aws:s3:::b/*' }] }, at: { line: 8, column: 7 } },
    { name: 'trust with Resource', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }] }, message: 'trust', at: { line: 10, column: 7 } },
  ],
};
