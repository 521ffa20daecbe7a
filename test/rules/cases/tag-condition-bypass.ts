/** Case table of src/linter/rules/tag-condition-bypass.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'tag-condition-bypass': [
    { name: 'tagging only at launch', fire: false, policy: doc(allow('ec2:CreateTags', 'arn:aws:ec2:*:*:instance/*', { StringEquals: { 'ec2:CreateAction': 'RunInstances' } }), allow('ec2:TerminateInstances', '*', { StringEquals: { 'ec2:ResourceTag/spawn:managed': 'true' } })) },
    { name: 'no tagging permission (seed agent role as written)', fire: false, policy: doc(allow(['ec2:DescribeTags', 'ec2:DescribeInstances'], '*'), allow(['ec2:TerminateInstances', 'ec2:StopInstances'], '*', { StringEquals: { 'ec2:ResourceTag/spawn:managed': 'true' } })) },
    { name: 'unconditioned CreateTags beside tag-conditioned TerminateInstances (seed)', fire: true, policy: doc(allow(['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeTags'], '*'), allow(['ec2:StartInstances', 'ec2:StopInstances', 'ec2:TerminateInstances'], 'arn:aws:ec2:*:*:instance/*', { StringEquals: { 'ec2:ResourceTag/ManagedBy': 'cml-cloud-manager' } })), message: 'ec2:CreateTags', at: { line: 23, column: 11 } },
    { name: 'CreateTags only on images, terminate fenced by tag', fire: false, policy: doc(allow('ec2:CreateTags', 'arn:aws:ec2:*::image/*'), allow('ec2:TerminateInstances', '*', { StringEquals: { 'ec2:ResourceTag/spawn:managed': 'true' } })) },
    { name: 'aws: tag keys cannot be set', fire: false, policy: doc(allow('ec2:CreateTags', '*'), allow('ec2:StopInstances', '*', { StringLike: { 'ec2:ResourceTag/aws:cloudformation:stack-name': 'app-*' } })) },
    { name: 'iam:TagRole beside role-tag condition', fire: true, policy: doc(allow('iam:TagRole', '*'), allow('iam:PassRole', '*', { StringEquals: { 'iam:ResourceTag/team': 'ml' } })), message: 'iam:TagRole', at: { line: 15, column: 11 } },
  ],
};
