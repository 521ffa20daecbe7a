/** Case table of src/linter/rules/wildcard-resource.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'wildcard-resource': [
    { name: 'scoped', fire: false, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*')) },
    { name: 'wildcard-only actions on *', fire: false, policy: doc(allow(['ec2:DescribeInstances', 's3:ListAllMyBuckets'], '*')) },
    { name: 'conditioned', fire: false, policy: doc(allow('ec2:TerminateInstances', '*', { StringEquals: { 'ec2:ResourceTag/team': 'ml' } })) },
    { name: 'GetObject on *', fire: true, policy: doc(allow(['s3:GetObject', 'ec2:DescribeInstances'], '*')), message: 's3:GetObject', at: { line: 10, column: 19 } },
  ],
};
