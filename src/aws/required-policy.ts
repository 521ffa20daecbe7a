/**
 * The read-only IAM policy `charter plan` needs, as a canonical document. Printed by
 * `charter plan --print-required-policy` and named in every AccessDenied message.
 */
import { canonicalPolicy } from '../policy/canonical.js';
import type { PolicyDocument } from '../policy/types.js';

/** Every action the live-state reader may call (bulk path and per-resource fallback). */
export const PLAN_READ_ACTIONS = [
  'sts:GetCallerIdentity',
  'iam:GetAccountAuthorizationDetails',
  'iam:ListRoles',
  'iam:GetRole',
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfiles',
  'iam:GetInstanceProfile',
  'iam:ListPolicies',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'ec2:DescribeInstances',
] as const;

/**
 * IAM list/describe calls and GetAccountAuthorizationDetails only accept Resource "*"; none of
 * these actions writes anything.
 */
export function requiredPlanPolicy(): PolicyDocument {
  return canonicalPolicy({
    Version: '2012-10-17',
    Statement: [{ Sid: 'CharterPlanReadOnly', Effect: 'Allow', Action: [...PLAN_READ_ACTIONS], Resource: '*' }],
  });
}
