/** Case table of src/linter/rules/data-exfiltration.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'data-exfiltration': [
    { name: 'scoped secrets', fire: false, policy: doc(allow('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:us-west-2:123456789012:secret:app/*')) },
    { name: 'kms via service', fire: false, policy: doc(allow('kms:Decrypt', '*', { StringEquals: { 'kms:ViaService': 'ssm.us-west-2.amazonaws.com' } })) },
    { name: 'all secrets', fire: true, policy: doc(allow(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], '*')), message: 'secretsmanager:GetSecretValue', at: { line: 7, column: 9 } },
    { name: 'every secret but a Deny in the same policy removes it', fire: false, policy: doc(allow('secretsmanager:*', '*'), { Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' }) },
    { name: 'every secret, the Deny covers one secret only', fire: true, policy: doc(allow('secretsmanager:*', '*'), { Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:prod/*' }), message: 'secretsmanager:GetSecretValue', at: { line: 6, column: 17 } },
    { name: 's3:Get* on *', fire: true, policy: doc(allow('s3:Get*', '*')), message: 's3:GetObject', at: { line: 6, column: 17 } },
  ],
};
