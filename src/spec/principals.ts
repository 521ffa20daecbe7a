/**
 * Service principal short names: `ec2` → `ec2.amazonaws.com`. A name containing a dot is taken
 * as a full principal and kept as is.
 */
export const SERVICE_SHORT_NAMES: readonly string[] = [
  'apigateway', 'apprunner', 'appsync', 'autoscaling', 'backup', 'batch', 'bedrock', 'build.apprunner',
  'cloudformation', 'codebuild', 'codedeploy', 'codepipeline', 'datapipeline', 'datasync', 'dms', 'ec2',
  'ecs', 'ecs-tasks', 'edgelambda', 'eks', 'elasticmapreduce', 'events', 'firehose', 'glue', 'iot',
  'kinesisanalytics', 'lambda', 'logs', 'monitoring', 'pipes', 'rds', 'redshift', 'sagemaker',
  'scheduler', 'sns', 'spotfleet', 'ssm', 'states', 'transfer',
];

const SHORT = new Set(SERVICE_SHORT_NAMES);

export function isServiceShortName(s: string): boolean {
  return SHORT.has(s);
}

/** `ec2` → `ec2.amazonaws.com`; a full principal is returned unchanged. */
export function servicePrincipal(s: string): string {
  return s.includes('.amazonaws.com') || s.includes('.amazonaws.com.cn') ? s : `${s}.amazonaws.com`;
}
