/** privilege-escalation: single actions that let a principal raise its own privileges. */
import { grantAt, grantsOf, type Grant } from '../grants.js';
import { actionScope, lessOpen, limitedSuffix, openRank, type PathScope } from '../path-scope.js';
import type { PrincipalView, Rule } from '../types.js';
import { allow, doc } from './util.js';
import { DIRECT_PATHS, type EscalationPath } from '../escalation-paths.js';

/** Single-action paths of the table (name, what it lets the holder do). */
export const ESCALATION_ACTIONS: ReadonlyArray<[string, string]> = DIRECT_PATHS.filter((x) => x.needs.length === 1 && x.needs[0]!.length === 1).map((x) => [x.needs[0]![0]!, x.gives]);

export const privescAction: Rule = {
  meta: {
    id: 'privesc-action',
    title: 'Privilege escalation through a single action',
    severity: 'error',
    category: 'privilege-escalation',
    docs: {
      what: 'The role (over all its inline, charter-managed and known AWS managed policies, wildcards expanded) is allowed an action that lets it raise its own privileges: iam:CreatePolicyVersion, SetDefaultPolicyVersion, Attach/Put User/Group/Role Policy, UpdateAssumeRolePolicy, CreateAccessKey, Create/UpdateLoginProfile, AddUserToGroup, permissions-boundary removal, lambda:UpdateFunctionCode/Configuration, glue:UpdateDevEndpoint, ssm:SendCommand/StartSession, ec2-instance-connect:SendSSHPublicKey, ecs:ExecuteCommand, codebuild:StartBuild (buildspec override), apprunner:UpdateService, codedeploy:CreateDeployment, CloudFormation change sets and stack sets, launch-template versions, SageMaker lifecycle configurations, AgentCore code interpreters … (the paths of src/linter/escalation-paths.ts that need no passed role, each sourced from the public catalogues: pathfinding.cloud, cloudsplaining, iam-vulnerable, Rhino Security Labs, pacu).',
      why: 'Each is a documented path from "some permissions" to administrator. Severity reads the resources and conditions against what breaks the path (the `breaks` of each table entry): an error when the path is open (every resource of the type, no condition that limits it — aws:TokenIssueTime after a past date or aws:SecureTransport true limit nothing); a warning naming what it is limited to for named resources, a name prefix (function:Tracker*) or a limiting condition (iam:PermissionsBoundary, aws:ResourceTag …); nothing at all when the path is closed: the caller\'s own user (user/${aws:username}), CreatePolicyVersion on AWS managed policies (customers cannot version them), SendCommand/StartSession limited to named documents that are not a shell (StartSession also needs ssm:SessionDocumentAccessCheck, or it opens the default shell). What a Deny in the role\'s policies removes on every granted resource does not count.',
      bad: '{ "Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*" }',
      good: '# a workload role needs none of these; keep IAM changes in a separate, human-assumed role',
      fix: 'Remove the action, or scope it to the exact resources and add conditions (iam:PermissionsBoundary, aws:ResourceTag …).',
    },
    messages: {
      escalate: '{{subject}} can escalate privileges: {{names}} {{verb}} it {{gives}}{{more}}{{limited}}',
      escalateNotAction: '{{subject}} can escalate privileges: Allow with NotAction (every action except {{except}}) leaves in escalation services {{services}}: {{names}} {{verb}} it {{gives}}{{more}}{{limited}}',
    },
  },
  cases: [
    { name: 'read-only IAM', fire: false, policy: doc(allow(['iam:GetRole', 'iam:ListRoles'], '*')) },
    { name: 'PutRolePolicy on *', fire: true, policy: doc(allow('iam:PutRolePolicy', '*')), message: 'iam:PutRolePolicy', at: { line: 6, column: 17 } },
    { name: 'via iam:*', fire: true, policy: doc(allow('iam:*', '*')), message: 'iam:CreatePolicyVersion', at: { line: 6, column: 17 } },
    { name: 'via Attach*', fire: true, policy: doc(allow('iam:Attach*', '*')), at: { line: 6, column: 17 } },
    { name: 'conditioned on a permissions boundary is a warning', fire: true, policy: doc(allow('iam:PutRolePolicy', '*', { StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/boundary' } })), message: 'limited to condition iam:PermissionsBoundary', severity: 'warning', at: { line: 6, column: 17 } },
    { name: 'a condition that is always true (aws:TokenIssueTime after a past date) limits nothing', fire: true, policy: doc(allow('iam:PutRolePolicy', '*', { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } })), message: 'iam:PutRolePolicy lets it', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'aws:SecureTransport true limits nothing (AWS APIs are HTTPS only)', fire: true, policy: doc(allow('iam:AttachRolePolicy', '*', { Bool: { 'aws:SecureTransport': 'true' } })), message: 'iam:AttachRolePolicy', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'access keys of the caller itself (user/${aws:username}) are not escalation', fire: false, policy: doc(allow(['iam:CreateAccessKey', 'iam:UpdateLoginProfile', 'iam:CreateLoginProfile'], 'arn:aws:iam::*:user/${aws:username}')) },
    { name: 'access keys of any user are', fire: true, policy: doc(allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/*')), message: 'iam:CreateAccessKey', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'CreatePolicyVersion on AWS managed policies (customers cannot version them)', fire: false, policy: doc(allow(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], 'arn:aws:iam::aws:policy/*')) },
    { name: 'CreatePolicyVersion on the account\'s policies', fire: true, policy: doc(allow('iam:CreatePolicyVersion', ['arn:aws:iam::aws:policy/*', 'arn:aws:iam::*:policy/*'])), message: 'iam:CreatePolicyVersion', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'SendCommand limited to a named non-shell document', fire: false, policy: doc(allow('ssm:SendCommand', ['arn:aws:ssm:*:*:document/AWSEC2-CreateVssSnapshot', 'arn:aws:ec2:*:*:instance/*'])) },
    { name: 'SendCommand with AWS-RunShellScript', fire: true, policy: doc(allow('ssm:SendCommand', ['arn:aws:ssm:*:*:document/AWS-RunShellScript', 'arn:aws:ec2:*:*:instance/*'])), message: 'ssm:SendCommand', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'SendCommand on a document pattern that admits a shell (AWS-Run*)', fire: true, policy: doc(allow('ssm:SendCommand', ['arn:aws:ssm:*:*:document/AWS-Run*', 'arn:aws:ec2:*:*:instance/*'])), message: 'ssm:SendCommand', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'SendCommand on a document prefix with no shell among the known ones is a warning naming it', fire: true, policy: doc(allow('ssm:SendCommand', ['arn:aws:ssm:*:*:document/AWSEC2-*', 'arn:aws:ec2:*:*:instance/*'])), message: 'limited to documents AWSEC2-*', severity: 'warning', at: { line: 6, column: 17 } },
    { name: 'a shell document in one statement, instances limited by tag in another: a warning naming the condition', fire: true, policy: doc(allow('ssm:SendCommand', 'arn:aws:ssm:*::document/AWS-RunPowerShellScript'), allow('ssm:SendCommand', 'arn:aws:ec2:*:*:instance/*', { StringEquals: { 'aws:ResourceTag/team': 'web' } })), message: 'limited to condition aws:ResourceTag/team', severity: 'warning', at: { line: 11, column: 17 } },
    { name: 'a shell document in one statement, every instance in another', fire: true, policy: doc(allow('ssm:SendCommand', 'arn:aws:ssm:*::document/AWS-RunPowerShellScript'), allow('ssm:SendCommand', 'arn:aws:ec2:*:*:instance/*')), message: 'ssm:SendCommand', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'StartSession limited to port forwarding, with the document check on', fire: false, policy: doc(allow('ssm:StartSession', ['arn:aws:ssm:*:*:document/AWS-StartPortForwardingSession', 'arn:aws:ec2:*:*:instance/*'], { Bool: { 'ssm:SessionDocumentAccessCheck': 'true' } })) },
    { name: 'StartSession limited to port forwarding without the document check still opens the default shell', fire: true, policy: doc(allow('ssm:StartSession', ['arn:aws:ssm:*:*:document/AWS-StartPortForwardingSession', 'arn:aws:ec2:*:*:instance/*'])), message: 'ssm:StartSession', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'StartSession with AWS-StartInteractiveCommand', fire: true, policy: doc(allow('ssm:StartSession', ['arn:aws:ssm:*:*:document/AWS-StartInteractiveCommand', 'arn:aws:ec2:*:*:instance/*'], { Bool: { 'ssm:SessionDocumentAccessCheck': 'true' } })), message: 'ssm:StartSession', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'a name-prefix resource is a warning saying what it is limited to', fire: true, policy: doc(allow('lambda:UpdateFunctionCode', 'arn:aws:lambda:*:*:function:DeadlineResourceTracker*')), message: 'limited to function:DeadlineResourceTracker*', severity: 'warning', at: { line: 6, column: 17 } },
    { name: 'every function is an error', fire: true, policy: doc(allow('lambda:UpdateFunctionCode', 'arn:aws:lambda:*:*:function:*')), message: 'lambda:UpdateFunctionCode', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'a Deny covering the allowed resources removes the path', fire: false, policy: doc(allow('iam:PutRolePolicy', 'arn:aws:iam::*:role/app-*'), { Effect: 'Deny', Action: 'iam:*', Resource: 'arn:aws:iam::*:role/*' }) },
    { name: 'a Deny on other resources leaves it', fire: true, policy: doc(allow('iam:PutRolePolicy', 'arn:aws:iam::*:role/app-*'), { Effect: 'Deny', Action: 'iam:*', Resource: 'arn:aws:iam::*:role/prod-*' }), message: 'limited to role/app-*', severity: 'warning', at: { line: 6, column: 17 } },
    { name: 'a Deny with NotResource leaves the named resources allowed', fire: true, policy: doc(allow('iam:PutRolePolicy', '*'), { Effect: 'Deny', Action: 'iam:*', NotResource: 'arn:aws:iam::*:role/sandbox-*' }), message: 'iam:PutRolePolicy', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'EC2 user-data swap: stop, modify the user-data, start (pathfinding.cloud ec2-002)', fire: true, policy: doc(allow(['ec2:StopInstances', 'ec2:ModifyInstanceAttribute', 'ec2:StartInstances'], '*')), message: 'ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances let it stop an instance, replace its user-data', severity: 'error', at: { line: 8, column: 9 } },
    { name: 'ModifyInstanceAttribute without stopping and starting the instance (attributes such as source/dest check)', fire: false, policy: doc(allow(['ec2:ModifyInstanceAttribute', 'ec2:DescribeInstances'], '*')) },
    { name: 'ECS Exec into running tasks (pathfinding.cloud ecs-006: ExecuteCommand + DescribeTasks)', fire: true, policy: doc(allow(['ecs:ExecuteCommand', 'ecs:DescribeTasks'], '*')), message: 'ECS Exec', severity: 'error', at: { line: 7, column: 9 } },
    { name: 'ECS ExecuteCommand without DescribeTasks (the session cannot find the task)', fire: false, policy: doc(allow(['ecs:ExecuteCommand', 'ecs:ListTasks'], '*')) },
    { name: 'ECS describe only', fire: false, policy: doc(allow(['ecs:DescribeTasks', 'ecs:ListTasks'], '*')) },
    { name: 'CloudFormation change set on an existing stack', fire: true, policy: doc(allow(['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], '*')), message: 'cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet', at: { line: 7, column: 9 } },
    { name: 'change set created but never executed', fire: false, policy: doc(allow(['cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet'], '*')) },
    { name: 'StackSet update', fire: true, policy: doc(allow('cloudformation:UpdateStackSet', '*')), message: 'stack set', at: { line: 6, column: 17 } },
    { name: 'StackSet read-only', fire: false, policy: doc(allow(['cloudformation:DescribeStackSet', 'cloudformation:ListStackInstances'], '*')) },
    { name: 'launch template version made default', fire: true, policy: doc(allow(['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'], '*')), message: 'launch template', at: { line: 7, column: 9 } },
    { name: 'launch template version without making it default', fire: false, policy: doc(allow(['ec2:CreateLaunchTemplateVersion', 'ec2:DescribeLaunchTemplates'], '*')) },
    { name: 'SageMaker notebook lifecycle configuration: create, stop, update, start (pathfinding.cloud sagemaker-005)', fire: true, policy: doc(allow(['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:StopNotebookInstance', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StartNotebookInstance'], '*')), message: 'lifecycle script', severity: 'error', at: { line: 7, column: 9 } },
    { name: 'lifecycle configuration attached without a way to stop the running notebook', fire: false, policy: doc(allow(['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StartNotebookInstance'], '*')) },
    { name: 'lifecycle configuration without attaching it', fire: false, policy: doc(allow(['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:StartNotebookInstance'], '*')) },
    { name: 'App Runner service update', fire: true, policy: doc(allow('apprunner:UpdateService', '*')), message: 'apprunner:UpdateService', at: { line: 6, column: 17 } },
    { name: 'MWAA environment pointed at its own DAGs (pathfinding.cloud mwaa-002)', fire: true, policy: doc(allow(['airflow:UpdateEnvironment', 'airflow:CreateCliToken'], '*')), message: 'managed Airflow environment', severity: 'error', at: { line: 7, column: 9 } },
    { name: 'MWAA environment updated but no CLI token to trigger its DAGs', fire: false, policy: doc(allow(['airflow:UpdateEnvironment', 'airflow:GetEnvironment'], '*')) },
    { name: 'App Runner pause and resume only', fire: false, policy: doc(allow(['apprunner:PauseService', 'apprunner:ResumeService', 'apprunner:DescribeService'], '*')) },
    { name: 'CodeBuild StartBuild (buildspec override)', fire: true, policy: doc(allow(['codebuild:StartBuild', 'codebuild:StartBuildBatch'], '*')), message: 'overridden buildspec', at: { line: 7, column: 9 } },
    { name: 'CodeBuild read-only', fire: false, policy: doc(allow(['codebuild:BatchGetBuilds', 'codebuild:ListProjects'], '*')) },
    { name: 'CodeBuild StartBuildBatch alone (buildspec override)', fire: true, policy: doc(allow('codebuild:StartBuildBatch', '*')), message: 'codebuild:StartBuildBatch lets it start a batch build', at: { line: 6, column: 17 } },
    { name: 'CodeBuild batch builds read and stopped only', fire: false, policy: doc(allow(['codebuild:BatchGetBuildBatches', 'codebuild:StopBuildBatch', 'codebuild:RetryBuildBatch'], '*')) },
    { name: 'AgentCore code interpreter session', fire: true, policy: doc(allow(['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'], '*')), message: 'code interpreter', at: { line: 7, column: 9 } },
    { name: 'AgentCore InvokeAgentRuntimeCommand on existing runtimes (pathfinding.cloud bedrock-004)', fire: true, policy: doc(allow('bedrock-agentcore:InvokeAgentRuntimeCommand', 'arn:aws:bedrock-agentcore:*:*:runtime/*')), message: 'root shell command in an existing AgentCore runtime', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'AgentCore InvokeAgentRuntime only (the agent, not a shell)', fire: false, policy: doc(allow(['bedrock-agentcore:InvokeAgentRuntime', 'bedrock-agentcore:GetAgentRuntime'], '*')) },
    { name: 'AgentCore session without invoke', fire: false, policy: doc(allow(['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:StopCodeInterpreterSession'], '*')) },
    { name: 'Allow + NotAction leaving escalation services in', fire: true, policy: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }), message: 'Allow with NotAction (every action except iam:*, organizations:*) leaves in escalation services', at: { line: 6, column: 7 } },
    { name: 'Allow + NotAction excluding every escalation service', fire: false, policy: doc({ Effect: 'Allow', NotAction: ['iam:*', 'lambda:*', 'glue:*', 'ssm:*', 'ec2-instance-connect:*', 'ec2:*', 'ecs:*', 'codebuild:*', 'cloudformation:*', 'sagemaker:*', 'apprunner:*', 'bedrock-agentcore:*', 'codedeploy:*', 'airflow:*'], Resource: '*' }) },
    { name: 'Allow + NotAction leaving only CodeDeploy in among the escalation services', fire: true, policy: doc({ Effect: 'Allow', NotAction: ['iam:*', 'lambda:*', 'glue:*', 'ssm:*', 'ec2-instance-connect:*', 'ec2:*', 'ecs:*', 'codebuild:*', 'cloudformation:*', 'sagemaker:*', 'apprunner:*', 'bedrock-agentcore:*', 'airflow:*'], Resource: '*' }), message: 'leaves in escalation services codedeploy: codedeploy:CreateDeployment lets it deploy a revision', severity: 'error', at: { line: 6, column: 7 } },
    { name: 'CodeDeploy deployment to existing instances', fire: true, policy: doc(allow('codedeploy:CreateDeployment', '*')), message: 'lifecycle hooks', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'CodeDeploy read-only', fire: false, policy: doc(allow(['codedeploy:GetDeployment', 'codedeploy:ListDeployments'], '*')) },
    { name: 'denied everywhere', fire: false, policy: doc(allow('iam:*', '*'), { Effect: 'Deny', Action: ['iam:Put*', 'iam:Attach*', 'iam:Create*', 'iam:Set*', 'iam:Update*', 'iam:Add*', 'iam:Delete*'], Resource: '*' }) },
  ],
  principal(p, { report, now }) {
    const found = directPathsOf(p, now);
    // One finding per granting statement and openness, listing the paths it opens.
    const byStmt = new Map<string, typeof found>();
    for (const f of found) {
      const k = `${f.g.doc.id}#${f.g.st.index}#${f.scope.level}`;
      byStmt.set(k, [...(byStmt.get(k) ?? []), f]);
    }
    for (const list of byStmt.values()) {
      const { g, scope } = list[0]!;
      const names = list.map((f) => f.names.join('+'));
      const at = grantAt(g);
      const first = list[0]!;
      const more = list.length > 1 ? ` (also ${names.slice(1, 5).join(', ')}${names.length > 5 ? ', …' : ''})` : '';
      const data = { subject: p.label, names: first.names.join(' + '), verb: first.names.length > 1 ? 'let' : 'lets', gives: first.path.gives, more, limited: limitedSuffix(scope) };
      const viaNotAction = !g.pattern && g.st.notAction ? notActionParts(g.st.notAction, list.flatMap((f) => f.names)) : undefined;
      report({
        at,
        ...(viaNotAction ? { messageId: 'escalateNotAction', data: { ...data, ...viaNotAction } } : { messageId: 'escalate', data }),
        hint: 'remove the action or scope it tightly; workload roles should not manage IAM or other roles\' code',
        severity: scope.level === 'open' ? 'error' : 'warning',
        subject: p.label,
      });
    }
  },
};

/** What an Allow with NotAction excepts (the first three) and the escalation services of `actions` it leaves in. */
export function notActionParts(notAction: string[], actions: string[]): { except: string; services: string } {
  const svcs = [...new Set(actions.map((a) => a.split(':')[0]!))].sort();
  return { except: `${notAction.slice(0, 3).join(', ')}${notAction.length > 3 ? ', …' : ''}`, services: svcs.join(', ') };
}


/** A path without a passed role that a principal holds: the actions granting each group, the grant to point at, and how open it is. */
export interface DirectHit {
  path: EscalationPath;
  names: string[];
  g: Grant;
  scope: PathScope;
}

/** Every path of the table that needs no passed role and that the principal holds (not closed), in table order. */
export function directPathsOf(p: PrincipalView, now: number): DirectHit[] {
  const found: DirectHit[] = [];
  for (const path of DIRECT_PATHS) {
    const names: string[] = [];
    let scope: PathScope = { level: 'open' };
    let at: Grant | undefined;
    for (const group of path.needs) {
      const best = mostOpenGrant(p, path, group, now);
      if (!best || best.scope.level === 'closed') {
        at = undefined;
        break;
      }
      names.push(best.action);
      at ??= best.g;
      scope = lessOpen(scope, best.scope);
    }
    if (!at || names.length < path.needs.length) continue;
    found.push({ path, names, g: at, scope });
  }
  return found;
}

/** The grant (of any action of the group) that leaves the path most open, in table order on ties. */
export function mostOpenGrant(p: PrincipalView, path: EscalationPath, group: string[], now: number): { action: string; g: Grant; scope: PathScope } | undefined {
  let best: { action: string; g: Grant; scope: PathScope } | undefined;
  for (const action of group) {
    const hit = actionScope(grantsOf(p, action), path, action, now);
    if (hit && (!best || openRank(hit.scope) > openRank(best.scope))) best = { action, ...hit };
    if (best?.scope.level === 'open') return best;
  }
  return best;
}

/** The first action of a group the principal is granted, with its grants. */
export function firstGranted(p: PrincipalView, group: string[]): { action: string; gs: Grant[] } | undefined {
  for (const action of group) {
    const gs = grantsOf(p, action);
    if (gs.length) return { action, gs };
  }
  return undefined;
}
