/** Case table of src/linter/rules/condition-key-unknown.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc, trustOf } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'condition-key-unknown': [
    { name: 'global and service keys', fire: false, policy: doc(allow('ec2:TerminateInstances', 'arn:aws:ec2:*:*:instance/*', { StringEquals: { 'aws:RequestedRegion': 'us-west-2', 'ec2:ResourceTag/team': 'ml', 'aws:PrincipalTag/team': 'ml' } })) },
    { name: 'OIDC provider keys in trust', fire: false, policy: trustOf({ Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }, 'sts:AssumeRoleWithWebIdentity') },
    { name: 'misspelt global key', fire: true, policy: doc(allow('ec2:RunInstances', '*', { StringEquals: { 'aws:RequestedRegions': 'us-west-2' } })), message: 'aws:RequestedRegion', at: { line: 10, column: 11 } },
    { name: 'unknown service key', fire: true, policy: doc(allow('ec2:RunInstances', '*', { StringEquals: { 'ec2:InstanceTypes': 't3.micro' } })), at: { line: 10, column: 11 } },
    { name: 'no prefix', fire: true, policy: doc(allow('ec2:RunInstances', '*', { StringEquals: { InstanceType: 't3.micro' } })), at: { line: 10, column: 11 } },
    { name: 'a key of a service the IAM data does not know is a warning', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*', { StringEquals: { 'nosuchsvc:Thing': 'x' } })), message: 'names unknown service "nosuchsvc"', severity: 'warning', at: { line: 10, column: 11 } },
  ],
};
