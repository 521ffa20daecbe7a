/** Every rule, in the order `charter rules` lists them (by category). */
import type { Rule } from '../types.js';
import { policyVersion } from './policy-version.js';
import { policyShape } from './policy-shape.js';
import { statementEffect } from './statement-effect.js';
import { statementAction } from './statement-action.js';
import { statementResource } from './statement-resource.js';
import { statementPrincipal } from './statement-principal.js';
import { conditionOperator } from './condition-operator.js';
import { conditionValue } from './condition-value.js';
import { sid } from './sid.js';
import { emptyArray } from './empty-array.js';
import { unknownAction } from './unknown-action.js';
import { arnSyntax } from './arn-syntax.js';
import { resourceTypeMismatch } from './resource-type-mismatch.js';
import { conditionKeyUnknown } from './condition-key-unknown.js';
import { conditionKeyNotApplicable } from './condition-key-not-applicable.js';
import { lintConfig } from './lint-config.js';
import { unusedSuppression } from './unused-suppression.js';
import { wildcardAction } from './wildcard-action.js';
import { serviceWildcard } from './service-wildcard.js';
import { wildcardResource } from './wildcard-resource.js';
import { allowNotElement } from './allow-not-element.js';
import { permissionsManagement } from './permissions-management.js';
import { adminManagedPolicy } from './admin-managed-policy.js';
import { awsManagedUnknown } from './aws-managed-unknown.js';
import { fullAccessBuiltin } from './full-access-builtin.js';
import { privescAction } from './privesc-action.js';
import { privescCrossRole } from './privesc-cross-role.js';
import { privescPassRole } from './privesc-pass-role.js';
import { dataExfiltration } from './data-exfiltration.js';
import { credentialsExposure } from './credentials-exposure.js';
import { trustAnyPrincipal } from './trust-any-principal.js';
import { trustCrossAccount } from './trust-cross-account.js';
import { trustAccountRoot } from './trust-account-root.js';
import { trustConfusedDeputy } from './trust-confused-deputy.js';
import { trustWebIdentity } from './trust-web-identity.js';
import { conditionWildcardLiteral } from './condition-wildcard-literal.js';
import { forAllValuesWithoutNull } from './forallvalues-without-null.js';
import { setOperatorSingleValued } from './set-operator-single-valued.js';
import { tagConditionBypass } from './tag-condition-bypass.js';
import { mfaFalseAllow } from './mfa-false-allow.js';
import { policySizeRule } from './policy-size.js';
import { nameLength } from './name-length.js';
import { tagLimits } from './tag-limits.js';
import { managedPolicyCount } from './managed-policy-count.js';
import { userDataSize } from './user-data-size.js';
import { imdsV2 } from './imds-v2.js';
import { unencryptedVolume } from './unencrypted-volume.js';
import { publicIp } from './public-ip.js';
import { noTtl } from './no-ttl.js';
import { idleTimeoutTtl } from './idle-timeout-ttl.js';
import { agentSha256 } from './agent-sha256.js';
import { openIngress } from './open-ingress.js';
import { secretInUserData } from './secret-in-user-data.js';
import { secretInTags } from './secret-in-tags.js';
import { aaValidate, aaNewAccess, aaAccessGranted } from './access-analyzer.js';

export const ALL_RULES: readonly Rule[] = [
  // grammar
  policyShape, policyVersion, statementEffect, statementAction, statementResource, statementPrincipal, sid, emptyArray,
  unknownAction, awsManagedUnknown, arnSyntax, resourceTypeMismatch, conditionOperator, conditionValue, conditionKeyUnknown, conditionKeyNotApplicable,
  lintConfig, unusedSuppression,
  // least-privilege
  wildcardAction, serviceWildcard, wildcardResource, allowNotElement, permissionsManagement, adminManagedPolicy, fullAccessBuiltin,
  // privilege-escalation
  privescAction, privescPassRole, privescCrossRole,
  // exfiltration, credentials-exposure
  dataExfiltration, credentialsExposure,
  // trust
  trustAnyPrincipal, trustCrossAccount, trustAccountRoot, trustConfusedDeputy, trustWebIdentity,
  // condition
  conditionWildcardLiteral, forAllValuesWithoutNull, setOperatorSingleValued, tagConditionBypass, mfaFalseAllow,
  // size
  policySizeRule, nameLength, tagLimits, managedPolicyCount, userDataSize,
  // launch
  imdsV2, unencryptedVolume, publicIp, noTtl, idleTimeoutTtl, agentSha256, openIngress,
  // secrets
  secretInUserData, secretInTags,
  // access-analyzer (findings come from --access-analyzer)
  aaValidate, aaNewAccess, aaAccessGranted,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
export const META_RULES: ReadonlyMap<string, Rule> = new Map([lintConfig, unusedSuppression, aaValidate, aaNewAccess, aaAccessGranted].map((r) => [r.meta.id, r]));
