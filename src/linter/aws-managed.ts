/**
 * AWS managed policies known by name. The linter does not fetch AWS managed documents; a few whose
 * grants matter for escalation are modelled here so the union of a role's documents includes them,
 * and the administrative ones are flagged by name.
 */
import type { DocView, Loc } from './types.js';
import { normalizeStatements } from './doc-model.js';

/** Policies that hand out administration of the account or of IAM, with the severity of attaching them. */
export const ADMIN_MANAGED_POLICIES: ReadonlyMap<string, { why: string; severity: 'error' | 'warning' }> = new Map([
  ['AdministratorAccess', { why: 'full administrator: every action on every resource', severity: 'error' }],
  ['PowerUserAccess', { why: 'every action except IAM, Organizations and Account management', severity: 'error' }],
  ['IAMFullAccess', { why: 'every IAM action: the role can grant itself anything', severity: 'error' }],
  ['AWSOrganizationsFullAccess', { why: 'every AWS Organizations action', severity: 'error' }],
  ['AdministratorAccess-Amplify', { why: 'Amplify administration with broad IAM and CloudFormation rights', severity: 'error' }],
  ['AdministratorAccess-AWSElasticBeanstalk', { why: 'Elastic Beanstalk administration with iam:PassRole', severity: 'error' }],
  ['AmazonEC2FullAccess', { why: 'every EC2 action', severity: 'warning' }],
  ['AWSLambda_FullAccess', { why: 'every Lambda action, with iam:PassRole to Lambda', severity: 'warning' }],
  ['AWSCloudFormationFullAccess', { why: 'every CloudFormation action (stacks create resources with the caller\'s rights)', severity: 'warning' }],
  ['AmazonS3FullAccess', { why: 'every S3 action on every bucket', severity: 'warning' }],
  ['AmazonDynamoDBFullAccess', { why: 'every DynamoDB action on every table', severity: 'warning' }],
  ['SecretsManagerReadWrite', { why: 'read and write every secret', severity: 'warning' }],
]);

/** Policy documents modelled for the union (approximate: the grants that matter for escalation). */
const MODELLED: Record<string, unknown> = {
  AdministratorAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  PowerUserAccess: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions'], Resource: '*' },
    ],
  },
  IAMFullAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit', 'organizations:DescribePolicy', 'organizations:ListChildren', 'organizations:ListParents', 'organizations:ListPoliciesForTarget', 'organizations:ListRoots', 'organizations:ListPolicies', 'organizations:ListTargetsForPolicy'], Resource: '*' }] },
  AmazonEC2FullAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2:*', 'elasticloadbalancing:*', 'cloudwatch:*', 'autoscaling:*'], Resource: '*' }, { Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: '*' }] },
};

/** "arn:aws:iam::aws:policy/service-role/X" → "X" when it is an AWS managed policy ARN. */
export function awsManagedName(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? m[1] : undefined;
}

export function modelledManagedDoc(arn: string, at: Loc, principalId: string): DocView | undefined {
  const name = awsManagedName(arn);
  if (!name) return undefined;
  const raw = MODELLED[name];
  if (!raw) return undefined;
  return {
    id: `${principalId}#aws:${name}`,
    label: `AWS managed policy ${name}`,
    kind: 'identity',
    container: 'managed',
    raw,
    statements: normalizeStatements(raw),
    size: 0,
    file: at.file,
    pos: () => at,
    keyPos: () => at,
    principalId,
    fromSpec: true,
  };
}
