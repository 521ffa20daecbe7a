/** Case table of src/linter/rules/resource-type-mismatch.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'resource-type-mismatch': [
    { name: 'matching types', fire: false, policy: doc(allow(['s3:ListBucket', 's3:GetObject'], ['arn:aws:s3:::b', 'arn:aws:s3:::b/*']), allow('ec2:TerminateInstances', 'arn:aws:ec2:*:*:instance/*')) },
    { name: 'wildcard-only with star', fire: false, policy: doc(allow('ec2:DescribeInstances', '*')) },
    { name: 'ListBucket on objects', fire: true, policy: doc(allow('s3:ListBucket', 'arn:aws:s3:::b/*')), message: 's3:ListBucket', at: { line: 6, column: 17 } },
    { name: 'wildcard-only action with an ARN', fire: true, policy: doc(allow('ec2:DescribeInstances', 'arn:aws:ec2:us-east-1:123456789012:instance/i-123')), message: 'resource-level', at: { line: 6, column: 17 } },
    { name: 'instance action on a volume', fire: true, policy: doc(allow('ec2:TerminateInstances', 'arn:aws:ec2:us-east-1:123456789012:volume/vol-0123')), at: { line: 6, column: 17 } },
    { name: 'a * may span ARN parts, as in IAM', fire: false, policy: doc(allow('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:*:*:sqlworkbench!*')) },
  ],
};
