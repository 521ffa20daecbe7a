/**
 * The 13 built-in policy templates, with exactly the action sets of the seeds' tool (spawn).
 * Resource scoping is applied by the compiler from the service's `scope`; unscoped, a template
 * compiles to Resource "*".
 */
export interface BuiltinTemplate {
  name: string;
  /** The IAM service prefix whose `scope` entry scopes this template. */
  service: string;
  description: string;
  actions: string[];
  /** *:FullAccess templates need `allowFullAccess: <reason>` on the service. */
  fullAccess: boolean;
}

function t(name: string, description: string, actions: string[]): BuiltinTemplate {
  const service = name.split(':')[0]!;
  return { name, service, description, actions, fullAccess: name.endsWith(':FullAccess') };
}

export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [
  t('s3:FullAccess', 'All S3 operations', ['s3:*']),
  t('s3:ReadOnly', 'Get objects, list buckets', ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation']),
  t('s3:WriteOnly', 'Put and delete objects', ['s3:PutObject', 's3:PutObjectAcl', 's3:DeleteObject']),
  t('dynamodb:FullAccess', 'All DynamoDB operations', ['dynamodb:*']),
  t('dynamodb:ReadOnly', 'Query, scan, get items', ['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan']),
  t('dynamodb:WriteOnly', 'Put, update, delete items', ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
  t('sqs:FullAccess', 'All SQS operations', ['sqs:*']),
  t('sqs:ReadOnly', 'Receive messages, get queue attributes', ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ListQueues', 'sqs:ReceiveMessage']),
  t('sqs:WriteOnly', 'Send and delete messages', ['sqs:SendMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']),
  t('logs:WriteOnly', 'Create log groups and streams, put events', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']),
  t('ecr:ReadOnly', 'Pull container images', ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage']),
  t('secretsmanager:ReadOnly', 'Get secret values', ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']),
  t('ssm:ReadOnly', 'Get parameters', ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath']),
];

export const BUILTIN_BY_NAME: ReadonlyMap<string, BuiltinTemplate> = new Map(BUILTIN_TEMPLATES.map((b) => [b.name, b]));
