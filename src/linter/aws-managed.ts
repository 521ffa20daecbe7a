/**
 * AWS managed policies known by name. The linter does not fetch AWS managed documents; a few whose
 * grants matter for escalation are modelled here so the union of a role's documents includes them,
 * and the administrative ones are flagged by name.
 */
import type { DocView, Loc } from './types.js';
import { docAt } from './doc-model.js';
import { AWS_MANAGED_POLICY_NAMES } from './aws-managed-names.js';

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
  return docAt({ id: `${principalId}#aws:${name}`, label: `AWS managed policy ${name}`, kind: 'identity', raw, at, principalId });
}

/**
 * AWS managed policies charter knows, by name, with their path. Not AWS's full list (about 1,300
 * policies, growing): the ones commonly attached to workload, instance, Lambda, container and
 * job-function roles. A name here under another path, or a near miss of a name here, is a mistake
 * AttachRolePolicy rejects (NoSuchEntity); a name not here may still exist.
 */
const ROOT = [
  'AdministratorAccess', 'AdministratorAccess-Amplify', 'AdministratorAccess-AWSElasticBeanstalk', 'PowerUserAccess', 'ReadOnlyAccess',
  'IAMFullAccess', 'IAMReadOnlyAccess', 'IAMUserChangePassword', 'AWSOrganizationsFullAccess', 'AWSOrganizationsReadOnlyAccess',
  'AmazonEC2FullAccess', 'AmazonEC2ReadOnlyAccess', 'AmazonVPCFullAccess', 'AmazonVPCReadOnlyAccess',
  'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess', 'AmazonS3OutpostsFullAccess', 'AmazonS3OutpostsReadOnlyAccess',
  'AmazonDynamoDBFullAccess', 'AmazonDynamoDBReadOnlyAccess', 'AmazonRDSFullAccess', 'AmazonRDSReadOnlyAccess', 'AmazonRDSDataFullAccess',
  'AmazonRedshiftFullAccess', 'AmazonRedshiftReadOnlyAccess', 'AmazonElastiCacheFullAccess', 'AmazonElastiCacheReadOnlyAccess',
  'AmazonSSMManagedInstanceCore', 'AmazonSSMManagedEC2InstanceDefaultPolicy', 'AmazonSSMFullAccess', 'AmazonSSMReadOnlyAccess',
  'AmazonSSMPatchAssociation', 'AmazonSSMDirectoryServiceAccess',
  'CloudWatchAgentServerPolicy', 'CloudWatchAgentAdminPolicy', 'CloudWatchFullAccess', 'CloudWatchFullAccessV2', 'CloudWatchReadOnlyAccess',
  'CloudWatchLogsFullAccess', 'CloudWatchLogsReadOnlyAccess', 'CloudWatchEventsFullAccess', 'CloudWatchEventsReadOnlyAccess',
  'AmazonEC2ContainerRegistryReadOnly', 'AmazonEC2ContainerRegistryFullAccess', 'AmazonEC2ContainerRegistryPowerUser',
  'AmazonElasticContainerRegistryPublicReadOnly', 'AmazonElasticContainerRegistryPublicFullAccess', 'AmazonECS_FullAccess',
  'AmazonEKSClusterPolicy', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEKSServicePolicy', 'AmazonEKSVPCResourceController',
  'AmazonSQSFullAccess', 'AmazonSQSReadOnlyAccess', 'AmazonSNSFullAccess', 'AmazonSNSReadOnlyAccess',
  'AmazonKinesisFullAccess', 'AmazonKinesisReadOnlyAccess', 'AmazonKinesisFirehoseFullAccess', 'AmazonKinesisFirehoseReadOnlyAccess',
  'AmazonKinesisAnalyticsFullAccess', 'AmazonKinesisAnalyticsReadOnly', 'AmazonMSKFullAccess', 'AmazonMSKReadOnlyAccess',
  'AmazonMQFullAccess', 'AmazonMQReadOnlyAccess', 'AmazonEventBridgeFullAccess', 'AmazonEventBridgeReadOnlyAccess',
  'AmazonRoute53FullAccess', 'AmazonRoute53ReadOnlyAccess', 'CloudFrontFullAccess', 'CloudFrontReadOnlyAccess',
  'AWSLambda_FullAccess', 'AWSLambda_ReadOnlyAccess', 'AWSLambdaExecute', 'AWSLambdaInvocation-DynamoDB',
  'AWSStepFunctionsFullAccess', 'AWSStepFunctionsReadOnlyAccess', 'AmazonAPIGatewayAdministrator', 'AmazonAPIGatewayInvokeFullAccess',
  'AWSCloudFormationFullAccess', 'AWSCloudFormationReadOnlyAccess', 'SecretsManagerReadWrite', 'AWSKeyManagementServicePowerUser',
  'AWSCertificateManagerFullAccess', 'AWSCertificateManagerReadOnly',
  'AWSCodeCommitFullAccess', 'AWSCodeCommitPowerUser', 'AWSCodeCommitReadOnly', 'AWSCodeBuildAdminAccess', 'AWSCodeBuildDeveloperAccess',
  'AWSCodeBuildReadOnlyAccess', 'AWSCodeDeployFullAccess', 'AWSCodeDeployReadOnlyAccess', 'AWSCodePipeline_FullAccess', 'AWSCodePipeline_ReadOnlyAccess',
  'AWSCodeArtifactAdminAccess', 'AWSCodeArtifactReadOnlyAccess',
  'AmazonSageMakerFullAccess', 'AmazonSageMakerReadOnly', 'AmazonBedrockFullAccess', 'AmazonBedrockReadOnly',
  'AmazonAthenaFullAccess', 'AWSGlueConsoleFullAccess', 'AmazonElasticMapReduceFullAccess', 'AmazonElasticMapReduceReadOnlyAccess', 'AmazonEMRFullAccessPolicy_v2',
  'AmazonElasticFileSystemFullAccess', 'AmazonElasticFileSystemReadOnlyAccess', 'AmazonElasticFileSystemClientFullAccess',
  'AmazonElasticFileSystemClientReadWriteAccess', 'AmazonElasticFileSystemClientReadOnlyAccess', 'AmazonFSxFullAccess', 'AmazonFSxReadOnlyAccess',
  'AmazonOpenSearchServiceFullAccess', 'AmazonOpenSearchServiceReadOnlyAccess', 'AmazonESFullAccess', 'AmazonESReadOnlyAccess',
  'AWSXRayDaemonWriteAccess', 'AWSXrayWriteOnlyAccess', 'AWSXrayFullAccess', 'AWSXrayReadOnlyAccess',
  'AWSBatchFullAccess', 'AWSBackupFullAccess', 'AWSBackupOperatorAccess', 'AWSAppRunnerFullAccess', 'AWSAppRunnerReadOnlyAccess',
  'AWSAppSyncAdministrator', 'AWSAppSyncInvokeFullAccess', 'AWSAppSyncSchemaAuthor',
  'AWSSecurityHubFullAccess', 'AWSSecurityHubReadOnlyAccess', 'AmazonGuardDutyFullAccess', 'AmazonGuardDutyReadOnlyAccess',
  'AmazonInspector2FullAccess', 'AmazonInspector2ReadOnlyAccess', 'AWSCloudTrail_FullAccess', 'AWSCloudTrail_ReadOnlyAccess',
  'AWSConfigUserAccess', 'AWSSupportAccess', 'AWSHealthFullAccess', 'AWSBillingReadOnlyAccess', 'AWSCloudShellFullAccess',
  'ResourceGroupsandTagEditorFullAccess', 'ResourceGroupsandTagEditorReadOnlyAccess', 'AWSResourceGroupsReadOnlyAccess',
  'AmazonSESFullAccess', 'AmazonSESReadOnlyAccess', 'AmazonCognitoPowerUser', 'AmazonCognitoReadOnly',
  'AmazonTextractFullAccess', 'AmazonRekognitionFullAccess', 'AmazonRekognitionReadOnlyAccess', 'AmazonPollyFullAccess', 'AmazonPollyReadOnlyAccess',
  'TranslateFullAccess', 'TranslateReadOnly', 'ComprehendFullAccess', 'ComprehendReadOnly', 'AmazonTranscribeFullAccess', 'AmazonTranscribeReadOnlyAccess',
  'AWSIoTFullAccess', 'AWSIoTDataAccess', 'AWSWAFFullAccess', 'AWSWAFReadOnlyAccess', 'AWSDirectConnectFullAccess', 'AWSDirectConnectReadOnlyAccess',
];
const SERVICE_ROLE = [
  'AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole', 'AWSLambdaKinesisExecutionRole', 'AWSLambdaDynamoDBExecutionRole',
  'AWSLambdaSQSQueueExecutionRole', 'AWSLambdaRole', 'AmazonEC2RoleforSSM', 'AmazonEC2ContainerServiceforEC2Role', 'AmazonECSTaskExecutionRolePolicy',
  'AmazonEC2ContainerServiceRole', 'AWSGlueServiceRole', 'AmazonSSMMaintenanceWindowRole', 'AmazonSSMAutomationRole', 'AWSCodeDeployRole',
  'AWSBatchServiceRole', 'AmazonEC2SpotFleetTaggingRole', 'AWS_ConfigRole', 'AmazonElasticMapReduceRole', 'AmazonElasticMapReduceforEC2Role',
  'AmazonAPIGatewayPushToCloudWatchLogs', 'AWSIoTLogging', 'AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores',
  'AmazonRDSEnhancedMonitoringRole', 'AmazonEC2RoleforAWSCodeDeploy', 'AWSElasticBeanstalkEnhancedHealth', 'AWSAppSyncPushToCloudWatchLogs',
];
const JOB_FUNCTION = ['ViewOnlyAccess', 'DatabaseAdministrator', 'DataScientist', 'NetworkAdministrator', 'SystemAdministrator', 'SupportUser', 'Billing'];

/** Name → path ("/", "/service-role/", "/job-function/"). */
export const KNOWN_AWS_MANAGED: ReadonlyMap<string, string> = new Map([
  ...ROOT.map((n) => [n, '/'] as const),
  ...SERVICE_ROLE.map((n) => [n, '/service-role/'] as const),
  ...JOB_FUNCTION.map((n) => [n, '/job-function/'] as const),
]);

/** Every AWS managed policy name of the snapshot (paths unknown), for names the catalogue above does not hold. */
export const ALL_AWS_MANAGED_NAMES: ReadonlySet<string> = new Set(AWS_MANAGED_POLICY_NAMES);

/**
 * What the catalogue says about an AWS managed ARN: known (by the catalogue with its path, or by
 * the snapshot's names, path unchecked), known under another path, or not known.
 */
export type CatalogueVerdict =
  | { kind: 'known' }
  | { kind: 'wrong-path'; name: string; path: string }
  | { kind: 'unknown'; name: string };

export function catalogueLookup(arn: string): CatalogueVerdict | undefined {
  const m = /^arn:aws[a-z-]*:iam::aws:policy(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  if (!m) return undefined;
  const [, path, name] = m as unknown as [string, string, string];
  const known = KNOWN_AWS_MANAGED.get(name);
  if (known === undefined) return ALL_AWS_MANAGED_NAMES.has(name) ? { kind: 'known' } : { kind: 'unknown', name };
  return known === path ? { kind: 'known' } : { kind: 'wrong-path', name, path: known };
}
