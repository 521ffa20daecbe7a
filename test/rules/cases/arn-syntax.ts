/** Case table of src/linter/rules/arn-syntax.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'arn-syntax': [
    { name: 'well-formed', fire: false, policy: doc(allow('s3:GetObject', ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/${aws:username}/*']), allow('ssm:GetParameter', 'arn:aws:ssm:*:123456789012:parameter/x')) },
    { name: 'not an ARN', fire: true, policy: doc(allow('s3:GetObject', 'my-bucket/*')), message: 'neither', at: { line: 7, column: 19 } },
    { name: 'unresolved placeholder', fire: true, policy: doc(allow('ssm:GetParameter', 'arn:aws:ssm:{region}:{accountId}:parameter/lakerunner/*')), message: 'contains an unresolved placeholder {region} where the region goes', at: { line: 7, column: 19 } },
    { name: 'short', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3')), message: 'has 3 of the 6 ARN parts', at: { line: 7, column: 19 } },
    { name: 'short, the resource where the region goes', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3:bkt/*')), message: 'has 4 of the 6 ARN parts (arn:partition:service:region:account:resource): `bkt/*` stands where the region goes', at: { line: 7, column: 19 } },
    { name: 'short, ending in a lone * (stands for the parts after it)', fire: false, policy: doc(allow('s3:GetObject', 'arn:aws:s3:*')) },
    { name: 'policy variable holding a colon', fire: false, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/${aws:PrincipalTag/team}/${aws:username}')) },
    { name: 'unknown partition', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws-us:s3:::b/*')), message: 'has partition `aws-us`, which is not an AWS partition', at: { line: 7, column: 19 } },
    { name: 'empty service', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws::us-east-1:123456789012:x')), message: 'has an empty service', at: { line: 7, column: 19 } },
    { name: 'bad service', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3 bucket:::b/*')), message: 'has service `s3 bucket`, which is not a service prefix', at: { line: 7, column: 19 } },
    { name: 'bad region', fire: true, policy: doc(allow('sqs:SendMessage', 'arn:aws:sqs:us-east1:123456789012:q')), message: 'has region `us-east1`, which is not a region', at: { line: 7, column: 19 } },
    { name: 'region wildcard', fire: false, policy: doc(allow('sqs:SendMessage', 'arn:aws:sqs:us-*:123456789012:q')) },
    { name: 'account of 11 digits', fire: true, policy: doc(allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:12345678901:q')), message: 'has account `12345678901` of 11 digits, an account id has 12', at: { line: 7, column: 19 } },
    { name: 'account not digits', fire: true, policy: doc(allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:acct:q')), message: 'has account `acct`, which is not an account id', at: { line: 7, column: 19 } },
    { name: 'empty resource (AWS writes arn:aws:organizations::*:)', fire: false, policy: doc(allow('organizations:DescribeOrganization', 'arn:aws:organizations::*:')) },
  ],
};
