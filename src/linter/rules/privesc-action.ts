/** privilege-escalation: single actions that let a principal raise its own privileges. */
import { grantsOf, unconstrained, type Grant } from '../grants.js';
import { elementPath } from '../doc-model.js';
import type { PrincipalView, Rule } from '../types.js';
import { allow, doc } from './util.js';
import { DIRECT_PATHS, type EscalationPath } from '../escalation-paths.js';

/** Single-action paths of the table (name, what it lets the holder do). */
export const ESCALATION_ACTIONS: ReadonlyArray<[string, string]> = DIRECT_PATHS.filter((x) => x.needs.length === 1 && x.needs[0]!.length === 1).map((x) => [x.needs[0]![0]!, x.gives]);

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
      what: 'The role (over all its inline, charter-managed and known AWS managed policies, wildcards expanded) is allowed an action that lets it raise its own privileges: iam:CreatePolicyVersion, SetDefaultPolicyVersion, Attach/Put User/Group/Role Policy, UpdateAssumeRolePolicy, CreateAccessKey, Create/UpdateLoginProfile, AddUserToGroup, permissions-boundary removal, lambda:UpdateFunctionCode/Configuration, glue:UpdateDevEndpoint, ssm:SendCommand/StartSession, ec2-instance-connect:SendSSHPublicKey, ecs:ExecuteCommand, codebuild:StartBuild (buildspec override), apprunner:UpdateService, CloudFormation change sets and stack sets, launch-template versions, SageMaker lifecycle configurations, AgentCore code interpreters … (the paths of src/linter/escalation-paths.ts that need no passed role, each sourced from the public catalogues: pathfinding.cloud, cloudsplaining, iam-vulnerable, Rhino Security Labs, pacu).',
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
    { name: 'ECS Exec into running tasks', fire: true, policy: doc(allow('ecs:ExecuteCommand', '*')), message: 'ECS Exec', at: { line: 6, column: 17 } },
    { name: 'ECS describe only', fire: false, policy: doc(allow(['ecs:DescribeTasks', 'ecs:ListTasks'], '*')) },
    { name: 'CloudFormation change set on an existing stack', fire: true, policy: doc(allow(['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], '*')), message: 'cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet', at: { line: 7, column: 9 } },
    { name: 'change set created but never executed', fire: false, policy: doc(allow(['cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet'], '*')) },
    { name: 'StackSet update', fire: true, policy: doc(allow('cloudformation:UpdateStackSet', '*')), message: 'stack set' },
    { name: 'launch template version made default', fire: true, policy: doc(allow(['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'], '*')), message: 'launch template', at: { line: 7, column: 9 } },
    { name: 'launch template version without making it default', fire: false, policy: doc(allow(['ec2:CreateLaunchTemplateVersion', 'ec2:DescribeLaunchTemplates'], '*')) },
    { name: 'SageMaker notebook lifecycle configuration', fire: true, policy: doc(allow(['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StartNotebookInstance'], '*')), message: 'lifecycle script' },
    { name: 'lifecycle configuration without attaching it', fire: false, policy: doc(allow(['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:StartNotebookInstance'], '*')) },
    { name: 'App Runner service update', fire: true, policy: doc(allow('apprunner:UpdateService', '*')), message: 'apprunner:UpdateService' },
    { name: 'CodeBuild StartBuild (buildspec override)', fire: true, policy: doc(allow(['codebuild:StartBuild', 'codebuild:StartBuildBatch'], '*')), message: 'overridden buildspec', at: { line: 7, column: 9 } },
    { name: 'CodeBuild read-only', fire: false, policy: doc(allow(['codebuild:BatchGetBuilds', 'codebuild:ListProjects'], '*')) },
    { name: 'AgentCore code interpreter session', fire: true, policy: doc(allow(['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'], '*')), message: 'code interpreter' },
    { name: 'AgentCore session without invoke', fire: false, policy: doc(allow(['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:StopCodeInterpreterSession'], '*')) },
    { name: 'Allow + NotAction leaving escalation services in', fire: true, policy: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }), message: 'Allow with NotAction (every action except iam:*, organizations:*) leaves in escalation services', at: { line: 6, column: 7 } },
    { name: 'Allow + NotAction excluding every escalation service', fire: false, policy: doc({ Effect: 'Allow', NotAction: ['iam:*', 'lambda:*', 'glue:*', 'ssm:*', 'ec2-instance-connect:*', 'ec2:*', 'ecs:*', 'codebuild:*', 'cloudformation:*', 'sagemaker:*', 'apprunner:*', 'bedrock-agentcore:*'], Resource: '*' }) },
    { name: 'denied everywhere', fire: false, policy: doc(allow('iam:*', '*'), { Effect: 'Deny', Action: ['iam:Put*', 'iam:Attach*', 'iam:Create*', 'iam:Set*', 'iam:Update*', 'iam:Add*', 'iam:Delete*'], Resource: '*' }) },
  ],
  principal(p, { report }) {
    const found: Array<{ path: EscalationPath; names: string[]; g: Grant; broad: boolean }> = [];
    for (const path of DIRECT_PATHS) {
      const names: string[] = [];
      const chosen: Array<{ g: Grant; broad: boolean }> = [];
      for (const group of path.needs) {
        const hit = firstGranted(p, group);
        if (!hit) break;
        const broadG = hit.gs.find((g) => scopeOf(g) === 'broad');
        names.push(hit.action);
        chosen.push({ g: broadG ?? hit.gs[0]!, broad: broadG !== undefined });
      }
      if (chosen.length < path.needs.length) continue;
      found.push({ path, names, g: chosen[0]!.g, broad: chosen.every((c) => c.broad) });
    }
    // One finding per granting statement, listing the paths it opens.
    const byStmt = new Map<string, typeof found>();
    for (const f of found) {
      const k = `${f.g.doc.id}#${f.g.st.index}#${f.broad}`;
      byStmt.set(k, [...(byStmt.get(k) ?? []), f]);
    }
    for (const list of byStmt.values()) {
      const { g, broad } = list[0]!;
      const names = list.map((f) => f.names.join('+'));
      const at = g.pattern ? g.doc.pos(g.st.index, ...elementPath(g.st, 'Action', g.pattern)) : g.doc.keyPos(g.st.index, 'NotAction');
      const first = list[0]!;
      const more = list.length > 1 ? ` (also ${names.slice(1, 5).join(', ')}${names.length > 5 ? ', …' : ''})` : '';
      const via = g.pattern || !g.st.notAction ? '' : `${notActionLeavesIn(g.st.notAction, list.flatMap((f) => f.names))}: `;
      report({
        at,
        message: `${p.label} can escalate privileges: ${via}${first.names.join(' + ')} ${first.names.length > 1 ? 'let' : 'lets'} it ${first.path.gives}${more}${broad ? '' : ' — limited by named resources or conditions'}`,
        hint: 'remove the action or scope it tightly; workload roles should not manage IAM or other roles\' code',
        severity: broad ? 'error' : 'warning',
        subject: p.label,
        key: `privesc ${names.join(',')}`,
      });
    }
  },
};

/** "Allow with NotAction (every action except …) leaves in escalation services a, b": the services of `actions`. */
export function notActionLeavesIn(notAction: string[], actions: string[]): string {
  const svcs = [...new Set(actions.map((a) => a.split(':')[0]!))].sort();
  const except = `${notAction.slice(0, 3).join(', ')}${notAction.length > 3 ? ', …' : ''}`;
  return `Allow with NotAction (every action except ${except}) leaves in escalation services ${svcs.join(', ')}`;
}

/** The first action of a group the principal is granted, with its grants. */
export function firstGranted(p: PrincipalView, group: string[]): { action: string; gs: Grant[] } | undefined {
  for (const action of group) {
    const gs = grantsOf(p, action);
    if (gs.length) return { action, gs };
  }
  return undefined;
}
