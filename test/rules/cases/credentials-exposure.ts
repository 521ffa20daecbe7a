/** Case table of src/linter/rules/credentials-exposure.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'credentials-exposure': [
    { name: 'named role', fire: false, policy: doc(allow('sts:AssumeRole', 'arn:aws:iam::111122223333:role/deploy')) },
    { name: 'ecr token alone', fire: false, policy: doc(allow('ecr:GetAuthorizationToken', '*')) },
    { name: 'assume any role', fire: true, policy: doc(allow('sts:AssumeRole', '*')), message: 'sts:AssumeRole', at: { line: 6, column: 17 } },
    { name: 'iam:* with the credential actions denied in the same policy', fire: false, policy: doc(allow(['iam:*', 'sts:*'], '*'), { Effect: 'Deny', Action: ['iam:Create*', 'iam:Reset*', 'sts:*'], Resource: '*' }) },
    { name: 'iam:* with only sts denied', fire: true, policy: doc(allow(['iam:*', 'sts:*'], '*'), { Effect: 'Deny', Action: 'sts:*', Resource: '*' }), message: 'iam:CreateAccessKey', at: { line: 7, column: 9 } },
    { name: 'assume any role by ARN wildcard', fire: true, policy: doc(allow('sts:AssumeRole', 'arn:aws:iam::*:role/*')), at: { line: 6, column: 17 } },
  ],
};
