/**
 * IAM (awsQuery, Version 2010-05-08): roles, inline and managed policies, instance profiles,
 * GetAccountAuthorizationDetails and GetAccountSummary, with the real service's validation,
 * error codes and quotas. Handlers return the content of `<ActionResult>` (undefined: no Result).
 */
import { ACCOUNT_QUOTAS, type IamHandler } from './iam-common.js';
import { gaad } from './iam-gaad.js';
import { MAX_VERSIONS, POLICY_ACTIONS } from './iam-policies.js';
import { PROFILE_ACTIONS } from './iam-profiles.js';
import { ROLE_ACTIONS } from './iam-roles.js';
import { INLINE_AGGREGATE_QUOTA } from './iam-validate.js';
import { XmlList } from './xml.js';

export type { IamHandler } from './iam-common.js';

const GetAccountSummary: IamHandler = (ctx) => {
  const s = ctx.state;
  const versions = Object.values(s.policies).reduce((n, x) => n + x.versions.length, 0);
  const summary: Array<[string, number]> = [
    ['Users', 0], ['UsersQuota', 5000], ['Groups', 0], ['GroupsQuota', 300], ['ServerCertificates', 0], ['ServerCertificatesQuota', 20],
    ['UserPolicySizeQuota', 2048], ['GroupPolicySizeQuota', 5120], ['GroupsPerUserQuota', 10], ['SigningCertificatesPerUserQuota', 2],
    ['AccessKeysPerUserQuota', 2], ['MFADevices', 0], ['MFADevicesInUse', 0], ['AccountMFAEnabled', 0], ['AccountAccessKeysPresent', 0],
    ['AccountSigningCertificatesPresent', 0], ['AttachedPoliciesPerGroupQuota', 10], ['AttachedPoliciesPerRoleQuota', ctx.opts.managedPoliciesPerRole],
    ['AttachedPoliciesPerUserQuota', 10], ['Policies', Object.keys(s.policies).length], ['PoliciesQuota', ACCOUNT_QUOTAS.policies], ['PolicySizeQuota', 6144],
    ['PolicyVersionsInUse', versions], ['PolicyVersionsInUseQuota', 10000], ['VersionsPerPolicyQuota', MAX_VERSIONS], ['GlobalEndpointTokenVersion', 1],
    ['Roles', Object.keys(s.roles).length], ['RolesQuota', ACCOUNT_QUOTAS.roles], ['RolePolicySizeQuota', INLINE_AGGREGATE_QUOTA],
    ['AssumeRolePolicySizeQuota', ctx.opts.trustPolicySize], ['InstanceProfiles', Object.keys(s.profiles).length], ['InstanceProfilesQuota', ACCOUNT_QUOTAS.profiles],
    ['Providers', 0],
  ];
  return { SummaryMap: new XmlList('entry', summary.map(([key, value]) => ({ key, value }))) };
};

export const IAM_ACTIONS: Record<string, IamHandler> = {
  ...ROLE_ACTIONS, ...POLICY_ACTIONS, ...PROFILE_ACTIONS, GetAccountAuthorizationDetails: gaad, GetAccountSummary,
};
