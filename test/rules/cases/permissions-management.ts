/** Case table of src/linter/rules/permissions-management.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'permissions-management': [
    { name: 'scoped', fire: false, policy: doc(allow('s3:PutBucketPolicy', 'arn:aws:s3:::b')) },
    { name: 'read actions', fire: false, policy: doc(allow('s3:GetObject', '*')) },
    { name: 'Put*Policy on * with the Puts denied in the same policy', fire: false, policy: doc(allow(['s3:PutBucketPolicy', 's3:PutBucketAcl'], '*'), { Effect: 'Deny', Action: 's3:Put*', Resource: '*' }) },
    { name: 'Put*Policy on *, a conditional Deny takes nothing away', fire: true, policy: doc(allow(['s3:PutBucketPolicy', 's3:PutBucketAcl'], '*'), { Effect: 'Deny', Action: 's3:Put*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/admin': 'true' } } }), message: 's3:PutBucketAcl, s3:PutBucketPolicy', at: { line: 7, column: 9 } },
    { name: 'PutBucketPolicy on *', fire: true, policy: doc(allow(['s3:PutBucketPolicy', 'kms:CreateGrant'], '*')), message: 's3:PutBucketPolicy', at: { line: 7, column: 9 } },
  ],
};
