/**
 * Service principals that act for resources possibly in other accounts and send aws:SourceAccount /
 * aws:SourceArn when they assume a role: AWS's cross-service confused-deputy guidance applies to
 * them. The compiler adds `aws:SourceAccount` to their trust statements (when the account is known)
 * and the linter's trust-confused-deputy rule asks for it (ecs-tasks: AWS's own examples carry it).
 * Compute principals that only ever act for the role's own account and are not documented to send
 * the key (ec2, lambda, eks, ...) are not listed: a role cannot be passed to them across accounts,
 * and where a service does not send the key the condition stops it from assuming the role at all
 * (an EC2 instance without credentials).
 */
export const SOURCE_ACCOUNT_SERVICES: readonly string[] = [
  'apigateway', 'appstream', 'appsync', 'backup', 'bedrock', 'cloudtrail', 'codebuild', 'codepipeline', 'config', 'datasync', 'delivery.logs',
  'dms', 'ecs-tasks', 'events', 'firehose', 'glue', 'iot', 'kinesisanalytics', 'logs', 'personalize', 'pipes', 'sagemaker', 'scheduler', 'sns',
  'states', 'transfer',
];

const SET = new Set(SOURCE_ACCOUNT_SERVICES.map((s) => `${s}.amazonaws.com`));

/** Does this service principal (NAME.amazonaws.com) send aws:SourceAccount when it assumes a role? */
export function sendsSourceAccount(principal: string): boolean {
  return SET.has(principal.toLowerCase());
}
