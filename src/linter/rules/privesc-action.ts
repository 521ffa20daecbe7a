/** privilege-escalation: single actions that let a principal raise its own privileges. */
import { grantsOf, unconstrained, type Grant } from '../grants.js';
import { elementPath } from '../doc-model.js';
import type { Rule } from '../types.js';
import { allow, doc } from './util.js';

/** Rhino Security Labs' single-permission paths, and newer ones. */
export const ESCALATION_ACTIONS: ReadonlyArray<[string, string]> = [
  ['iam:CreatePolicyVersion', 'write a new default version of a policy attached to itself'],
  ['iam:SetDefaultPolicyVersion', 'switch a policy attached to itself to a more permissive old version'],
  ['iam:AttachUserPolicy', 'attach AdministratorAccess to a user'],
  ['iam:AttachGroupPolicy', 'attach AdministratorAccess to a group'],
  ['iam:AttachRolePolicy', 'attach AdministratorAccess to a role (its own)'],
  ['iam:PutUserPolicy', 'write an inline admin policy on a user'],
  ['iam:PutGroupPolicy', 'write an inline admin policy on a group'],
  ['iam:PutRolePolicy', 'write an inline admin policy on a role (its own)'],
  ['iam:AddUserToGroup', 'join a more privileged group'],
  ['iam:UpdateAssumeRolePolicy', 'let itself assume a more privileged role'],
  ['iam:CreateAccessKey', 'create access keys for a more privileged user'],
  ['iam:CreateLoginProfile', 'set a console password for a user that has none'],
  ['iam:UpdateLoginProfile', 'change a user\'s console password'],
  ['iam:DeleteRolePermissionsBoundary', 'remove the permissions boundary capping a role'],
  ['iam:DeleteUserPermissionsBoundary', 'remove the permissions boundary capping a user'],
  ['iam:PutRolePermissionsBoundary', 'replace a role\'s permissions boundary with a permissive one'],
  ['iam:PutUserPermissionsBoundary', 'replace a user\'s permissions boundary with a permissive one'],
  ['lambda:UpdateFunctionCode', 'run its own code with a function\'s (more privileged) role'],
  ['lambda:UpdateFunctionConfiguration', 'attach a layer that runs code with a function\'s role'],
  ['glue:UpdateDevEndpoint', 'add an SSH key to a dev endpoint and use its role'],
  ['ssm:SendCommand', 'run commands on instances and use their instance roles'],
  ['ssm:StartSession', 'open a shell on instances and use their instance roles'],
  ['ec2-instance-connect:SendSSHPublicKey', 'log in to instances and use their instance roles'],
  ['codebuild:UpdateProject', 'change a build\'s commands to run with its service role'],
  ['cloudformation:UpdateStack', 'change a stack that runs with a privileged service role'],
  ['sagemaker:CreatePresignedNotebookInstanceUrl', 'open a notebook running with its (privileged) role'],
  ['codestar:CreateProjectFromTemplate', 'create a CodeStar project whose service role grants it administrator rights'],
  ['ec2:ModifyInstanceAttribute', 'replace an instance\'s user-data and run it with the instance role at next start'],
];

/** Broad: no condition, on wildcard resources. A condition (iam:PermissionsBoundary, tags) or named resources make it a warning. */
function scopeOf(g: Grant): 'broad' | 'scoped' {
  if (g.st.conditions.length) return 'scoped';
  return unconstrained(g) || (g.st.resource ?? []).some((r) => r.includes('*')) ? 'broad' : 'scoped';
}

export const privescAction: Rule = {
  meta: {
    id: 'privesc-action',
    title: 'Privilege escalation through a single action',
    severity: 'error',
    category: 'privilege-escalation',
    docs: {
      what: 'The role (over all its inline, charter-managed and known AWS managed policies, wildcards expanded) is allowed an action that lets it raise its own privileges: iam:CreatePolicyVersion, SetDefaultPolicyVersion, Attach/Put User/Group/Role Policy, UpdateAssumeRolePolicy, CreateAccessKey, Create/UpdateLoginProfile, AddUserToGroup, permissions-boundary removal, lambda:UpdateFunctionCode/Configuration, glue:UpdateDevEndpoint, ssm:SendCommand/StartSession, ec2-instance-connect:SendSSHPublicKey, … (Rhino Security Labs\' list and newer ones).',
      why: 'Each is a documented path from "some permissions" to administrator. Error when granted without conditions on wildcard resources; warning when scoped to named resources or conditioned (e.g. iam:PermissionsBoundary), where the path is limited to what those allow.',
      bad: '{ "Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*" }',
      good: '# a workload role needs none of these; keep IAM changes in a separate, human-assumed role',
      fix: 'Remove the action, or scope it to the exact resources and add conditions (iam:PermissionsBoundary, aws:ResourceTag …).',
    },
  },
  cases: [
    { name: 'read-only IAM', fire: false, policy: doc(allow(['iam:GetRole', 'iam:ListRoles'], '*')) },
    { name: 'PutRolePolicy on *', fire: true, policy: doc(allow('iam:PutRolePolicy', '*')), message: 'iam:PutRolePolicy' },
    { name: 'via iam:*', fire: true, policy: doc(allow('iam:*', '*')), message: 'iam:CreatePolicyVersion' },
    { name: 'via Attach*', fire: true, policy: doc(allow('iam:Attach*', '*')) },
    { name: 'conditioned on a permissions boundary is a warning', fire: true, policy: doc(allow('iam:PutRolePolicy', '*', { StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/boundary' } })), message: 'named resources or conditions' },
    { name: 'denied everywhere', fire: false, policy: doc(allow('iam:*', '*'), { Effect: 'Deny', Action: ['iam:Put*', 'iam:Attach*', 'iam:Create*', 'iam:Set*', 'iam:Update*', 'iam:Add*', 'iam:Delete*'], Resource: '*' }) },
  ],
  principal(p, { report }) {
    const found: Array<{ action: string; why: string; g: Grant; broad: boolean }> = [];
    for (const [action, why] of ESCALATION_ACTIONS) {
      const gs = grantsOf(p, action);
      if (gs.length === 0) continue;
      const broadG = gs.find((g) => scopeOf(g) === 'broad');
      found.push({ action, why, g: broadG ?? gs[0]!, broad: broadG !== undefined });
    }
    // One finding per granting statement, listing the actions it enables.
    const byStmt = new Map<string, typeof found>();
    for (const f of found) {
      const k = `${f.g.doc.id}#${f.g.st.index}#${f.broad}`;
      byStmt.set(k, [...(byStmt.get(k) ?? []), f]);
    }
    for (const list of byStmt.values()) {
      const { g, broad } = list[0]!;
      const names = list.map((f) => f.action);
      const at = g.pattern ? g.doc.pos(g.st.index, ...elementPath(g.st, 'Action', g.pattern)) : g.doc.keyPos(g.st.index, 'NotAction');
      const first = list[0]!;
      const more = list.length > 1 ? ` (also ${names.slice(1, 5).join(', ')}${names.length > 5 ? ', …' : ''})` : '';
      report({
        at,
        message: `${p.label} can escalate privileges: ${first.action} lets it ${first.why}${more}${broad ? '' : ' — limited by named resources or conditions'}`,
        hint: 'remove the action or scope it tightly; workload roles should not manage IAM or other roles\' code',
        severity: broad ? 'error' : 'warning',
        subject: p.label,
        key: `privesc ${names.join(',')}`,
      });
    }
  },
};
