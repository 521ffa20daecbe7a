/** Case table of src/linter/rules/set-operator-single-valued.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'set-operator-single-valued': [
    { name: 'plain operator on a single-valued key', fire: false, policy: doc(allow('ec2:RunInstances', '*', { StringEquals: { 'aws:RequestedRegion': ['us-west-2', 'eu-west-1'] } })) },
    { name: 'ForAnyValue on multivalued aws:CalledVia', fire: false, policy: doc(allow('kms:Decrypt', '*', { 'ForAnyValue:StringEquals': { 'aws:CalledVia': 'dynamodb.amazonaws.com' } })) },
    { name: 'ForAllValues on multivalued aws:TagKeys', fire: false, policy: doc(allow('ec2:CreateTags', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] }, Null: { 'aws:TagKeys': 'false' } })) },
    { name: 'ForAnyValue on multivalued aws:PrincipalOrgPaths', fire: false, policy: doc(allow('s3:GetObject', '*', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/*' } })) },
    { name: 'service key typed ArrayOfString (kms:EncryptionContextKeys)', fire: false, policy: doc(allow('kms:Decrypt', '*', { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'Department' } })) },
    { name: 'unknown global key is another rule\'s business', fire: false, policy: doc(allow('ec2:RunInstances', '*', { 'ForAnyValue:StringEquals': { 'aws:RequestedRegions': 'us-west-2' } })) },
    { name: 'unknown service key', fire: false, policy: doc(allow('ec2:RunInstances', '*', { 'ForAnyValue:StringEquals': { 'ec2:InstanceTypes': 't3.micro' } })) },
    { name: 'ForAllValues on aws:username in an Allow', fire: true, policy: doc(allow('iam:ChangePassword', '*', { 'ForAllValues:StringEquals': { 'aws:username': ['alice', 'bob'] } })), message: 'ForAllValues:StringEquals on aws:username', at: { line: 10, column: 11 } },
    { name: 'ForAnyValue on aws:RequestedRegion', fire: true, policy: doc(allow('ec2:RunInstances', '*', { 'ForAnyValue:StringEquals': { 'aws:RequestedRegion': 'us-west-2' } })), message: 'single-valued', at: { line: 10, column: 11 } },
    { name: 'ForAnyValue:StringNotEquals on a tag key in a Deny', fire: true, policy: doc({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { 'ForAnyValue:StringNotEquals': { 'aws:PrincipalTag/team': 'ml' } } }), message: 'aws:PrincipalTag/team', at: { line: 10, column: 11 } },
    { name: 'service key typed String (iam:AWSServiceName)', fire: true, policy: doc(allow('iam:CreateServiceLinkedRole', '*', { 'ForAnyValue:StringEquals': { 'iam:AWSServiceName': 'macie.amazonaws.com' } })), message: 'iam:AWSServiceName', at: { line: 10, column: 11 } },
    { name: 'service tag template (ec2:ResourceTag/<key>)', fire: true, policy: doc(allow('ec2:CreateNetworkInterfacePermission', '*', { 'ForAnyValue:StringEquals': { 'ec2:ResourceTag/eks:eni:owner': 'eks-vpc-resource-controller' } })), message: 'ec2:ResourceTag/eks:eni:owner', at: { line: 10, column: 11 } },
  ],
};
