/** Case table of src/linter/rules/condition-wildcard-literal.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'condition-wildcard-literal': [
    { name: 'StringLike with wildcard', fire: false, policy: doc(allow('s3:ListBucket', 'arn:aws:s3:::b', { StringLike: { 's3:prefix': 'home/*' } })) },
    { name: 'policy variable', fire: false, policy: doc(allow('s3:ListBucket', 'arn:aws:s3:::b', { StringEquals: { 's3:prefix': '${aws:username}' } })) },
    { name: 'StringNotEquals with * (seed TTL guardrail)', fire: true, policy: doc({ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:*:*:instance/*', Condition: { StringNotEquals: { 'aws:RequestTag/spawn:ttl': '*' } } }), message: 'literal', at: { line: 10, column: 11 } },
    { name: 'ArnEquals with wildcard (IAM treats it like ArnLike)', fire: false, policy: doc(allow('iam:PassRole', '*', { ArnEquals: { 'iam:AssociatedResourceArn': 'arn:aws:ec2:*:*:instance/*' } })) },
    { name: 'StringEquals with a wildcard in an Allow', fire: true, policy: doc(allow('s3:ListBucket', 'arn:aws:s3:::b', { StringEquals: { 's3:prefix': 'home/*' } })), message: 'never applies', at: { line: 10, column: 11 } },
  ],
};
