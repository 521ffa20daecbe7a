/** Case table of src/linter/rules/service-wildcard.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'service-wildcard': [
    { name: 'listed actions', fire: false, policy: doc(allow(['dynamodb:GetItem'], 'arn:aws:dynamodb:us-east-1:123456789012:table/t')) },
    { name: 'prefix wildcard is not service-wide', fire: false, policy: doc(allow('ec2:Describe*', '*')) },
    { name: 'iam:* with iam:* denied in the same policy', fire: false, policy: doc(allow('iam:*', '*'), { Effect: 'Deny', Action: 'iam:*', Resource: '*' }) },
    { name: 'glue:* with a Deny NotAction that leaves some glue actions allowed (AmazonDataZoneProjectRolePermissionsBoundary)', fire: true, policy: doc(allow('glue:*', '*'), { Effect: 'Deny', NotAction: ['glue:Get*', 's3:*'], Resource: '*' }), message: '"glue:*" allows every glue action', at: { line: 6, column: 17 } },
    { name: 'glue:* with a Deny NotAction of other services only', fire: false, policy: doc(allow('glue:*', '*'), { Effect: 'Deny', NotAction: ['s3:*', 'kms:*'], Resource: '*' }) },
    { name: 'iam:* with only part of IAM denied', fire: true, policy: doc(allow('iam:*', '*'), { Effect: 'Deny', Action: 'iam:Put*', Resource: '*' }), message: '"iam:*" allows every iam action', at: { line: 6, column: 17 } },
    { name: 'dynamodb:*', fire: true, policy: doc(allow('dynamodb:*', 'arn:aws:dynamodb:us-east-1:123456789012:table/t')), message: 'dynamodb:*', at: { line: 6, column: 17 } },
  ],
};
