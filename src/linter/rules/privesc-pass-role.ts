/** privilege-escalation: iam:PassRole combined with an action that runs something with the passed role. */
import { grantAt, grantsOf, type Grant } from '../grants.js';
import { openRank, passScope, type PathScope } from '../path-scope.js';
import type { PrincipalView, Rule } from '../types.js';
import { allow, doc, SPEC_HEAD } from './util.js';
import { PASS_ROLE_PATHS } from '../escalation-paths.js';
import { firstGranted } from './privesc-action.js';

interface Combo {
  service: string; // principal the role is passed to
  /** Every group must be granted; a group is satisfied by any of its actions. */
  needs: string[][];
  how: string;
}

/** The table's pass-role paths. */
export const PASS_ROLE_COMBOS: readonly Combo[] = PASS_ROLE_PATHS.map((x) => ({ service: x.passTo!, needs: x.needs, how: x.gives }));


function where(g: Grant, p: PrincipalView): string {
  if (g.doc.id.includes('#aws:') || g.doc.principalId !== p.id) return g.doc.label; // an AWS managed policy modelled by name
  const l = grantAt(g);
  return `${l.file}:${l.line}`;
}

export const privescPassRole: Rule = {
  meta: {
    id: 'privesc-pass-role',
    title: 'Privilege escalation through iam:PassRole',
    severity: 'error',
    category: 'privilege-escalation',
    docs: {
      what: 'The role may pass roles (iam:PassRole) and also start something that runs with a passed role (the pass-role paths of src/linter/escalation-paths.ts, each sourced from the public catalogues): ec2:RunInstances, spot requests and launch templates; lambda:CreateFunction with InvokeFunction / CreateEventSourceMapping; glue:CreateDevEndpoint or CreateJob + StartJobRun; cloudformation:CreateStack; datapipeline:CreatePipeline + PutPipelineDefinition; codebuild:CreateProject + StartBuild; ecs:RegisterTaskDefinition + RunTask; sagemaker notebooks and jobs; apprunner:CreateService; Amplify CreateApp + CreateBranch + StartJob; cognito-identity:SetIdentityPoolRoles; Auto Scaling; Step Functions; EMR. Evaluated over the union of the role\'s documents, wildcards expanded; an iam:PassedToService condition for another service removes the combination; one that admits the path\'s own service limits nothing, nor does a condition that is always true (aws:TokenIssueTime after a past date, aws:SecureTransport true).',
      why: 'Passing a more privileged role to a compute service and running code there yields that role\'s credentials. Error when PassRole is on every role ("*", role/*) without a limiting condition; warning, naming what it is limited to, when it names roles, a role-name prefix, or carries a condition that limits the roles (aws:ResourceTag …).',
      bad: 'statements:\n  - actions: [iam:PassRole, ec2:RunInstances]\n    resources: ["*"]',
      good: 'statements:\n  - actions: [iam:PassRole]\n    resources: ["arn:aws:iam::123456789012:role/app-worker"]\n    conditions: { StringEquals: { "iam:PassedToService": ec2.amazonaws.com } }',
      fix: 'Scope iam:PassRole to the exact role ARNs the workload passes and add an iam:PassedToService condition.',
    },
    messages: {
      passRole: '{{subject}} can escalate privileges: iam:PassRole with {{with}} lets it {{gives}}{{limited}}{{more}}',
    },
  },
  cases: [
    { name: 'RunInstances without PassRole', fire: false, policy: doc(allow('ec2:RunInstances', '*')) },
    { name: 'PassRole limited to another service', fire: false, policy: doc(allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } }), allow('ec2:RunInstances', '*')) },
    { name: 'PassRole + RunInstances', fire: true, policy: doc(allow(['iam:PassRole', 'ec2:RunInstances'], '*')), message: 'ec2:RunInstances', severity: 'error', at: { line: 7, column: 9 } },
    { name: 'iam:PassedToService naming the very service the path uses leaves it open', fire: true, policy: doc(allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }), allow('ec2:RunInstances', '*')), message: 'ec2:RunInstances', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'iam:PassedToService matching every service (StringLike *.amazonaws.com) leaves it open', fire: true, policy: doc(allow('iam:PassRole', '*', { StringLike: { 'iam:PassedToService': '*.amazonaws.com' } }), allow('ec2:RunInstances', '*')), message: 'ec2:RunInstances', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'StringNotEquals iam:PassedToService naming the path\'s service closes it', fire: false, policy: doc(allow('iam:PassRole', '*', { StringNotEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }), allow('ec2:RunInstances', '*')) },
    { name: 'StringNotEquals iam:PassedToService naming another service leaves it open', fire: true, policy: doc(allow('iam:PassRole', '*', { StringNotEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } }), allow('ec2:RunInstances', '*')), message: 'ec2:RunInstances', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'an always-true condition (aws:TokenIssueTime after a past date) limits nothing', fire: true, policy: doc(allow('iam:PassRole', '*', { DateGreaterThan: { 'aws:TokenIssueTime': '2019-06-01T00:00:00Z' } }), allow('ec2:RunInstances', '*')), message: 'ec2:RunInstances', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'a condition that limits the roles is a warning naming it', fire: true, policy: doc(allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com', 'aws:ResourceTag/team': 'web' } }), allow('ec2:RunInstances', '*')), message: 'limited to condition aws:ResourceTag/team', severity: 'warning', at: { line: 6, column: 17 } },
    { name: 'PassRole on a role-name prefix is a warning naming it', fire: true, policy: doc(allow('iam:PassRole', 'arn:aws:iam::123456789012:role/app-*'), allow('ec2:RunInstances', '*')), message: 'limited to role/app-*', severity: 'warning', at: { line: 6, column: 17 } },
    { name: 'PassRole on every role of the account', fire: true, policy: doc(allow('iam:PassRole', 'arn:aws:iam::123456789012:role/*'), allow('ec2:RunInstances', '*')), message: 'ec2:RunInstances', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'PassRole denied on the roles it names', fire: false, policy: doc(allow('iam:PassRole', 'arn:aws:iam::123456789012:role/app-*'), allow('ec2:RunInstances', '*'), { Effect: 'Deny', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/*' }) },
    { name: 'PassRole + Lambda create & invoke', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['lambda:CreateFunction', 'lambda:InvokeFunction'], '*')), message: 'lambda:CreateFunction', at: { line: 6, column: 17 } },
    { name: 'lambda create alone is not a path', fire: false, policy: doc(allow('iam:PassRole', '*'), allow('lambda:CreateFunction', '*')) },
    { name: 'spot instances with PassRole only for Lambda', fire: false, policy: doc(allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } }), allow(['ec2:RequestSpotInstances', 'ec2:RequestSpotFleet'], '*')) },
    { name: 'PassRole + spot instances', fire: true, policy: doc(allow('iam:PassRole', '*'), allow('ec2:RequestSpotInstances', '*')), message: 'spot instances', at: { line: 6, column: 17 } },
    { name: 'PassRole + launch template + fleet', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['ec2:CreateLaunchTemplate', 'ec2:CreateFleet'], '*')), message: 'launch template', at: { line: 6, column: 17 } },
    { name: 'launch template without a launch', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['ec2:CreateLaunchTemplate', 'ec2:DescribeLaunchTemplates'], '*')) },
    { name: 'PassRole + StackSet', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'], '*')), message: 'stack set', at: { line: 6, column: 17 } },
    { name: 'StackSet created but never deployed to instances', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['cloudformation:CreateStackSet', 'cloudformation:DescribeStackSet'], '*')) },
    { name: 'PassRole + Data Pipeline', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline'], '*')), message: 'data pipeline', at: { line: 6, column: 17 } },
    { name: 'Data Pipeline never activated', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], '*')) },
    { name: 'PassRole + AgentCore code interpreter', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['bedrock-agentcore:CreateCodeInterpreter', 'bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'], '*')), message: 'AgentCore code interpreter', at: { line: 6, column: 17 } },
    { name: 'AgentCore interpreter with PassRole for another service', fire: false, policy: doc(allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }), allow(['bedrock-agentcore:CreateCodeInterpreter', 'bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'], '*')) },
    { name: 'PassRole + Amplify app, branch and build job', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['amplify:CreateApp', 'amplify:CreateBranch', 'amplify:StartJob'], '*')), message: 'Amplify app', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'Amplify app never built', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['amplify:CreateApp', 'amplify:CreateBranch', 'amplify:GetJob'], '*')) },
    { name: 'PassRole + Allow NotAction leaving Amplify in', fire: true, policy: doc(allow('iam:PassRole', '*'), { Effect: 'Allow', NotAction: ['iam:*', 'ec2:*', 'lambda:*', 'glue:*', 'cloudformation:*', 'datapipeline:*', 'codebuild:*', 'ecs:*', 'batch:*', 'sagemaker:*', 'apprunner:*', 'autoscaling:*', 'states:*', 'elasticmapreduce:*', 'codestar:*', 'bedrock:*', 'bedrock-agentcore:*', 'cognito-identity:*'], Resource: '*' }), message: 'amplify:CreateApp', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'PassRole + Cognito identity pool roles', fire: true, policy: doc(allow('iam:PassRole', '*'), allow('cognito-identity:SetIdentityPoolRoles', '*')), message: 'identity pool', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'Cognito pool roles with PassRole only for Lambda', fire: false, policy: doc(allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } }), allow('cognito-identity:SetIdentityPoolRoles', '*')) },
    { name: 'PassRole + ECS RunTask overriding an existing task definition\'s role (pathfinding.cloud ecs-008)', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['ecs:RunTask'], '*')), message: 'ecs:RunTask', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'ECS RunTask with PassRole only for Lambda', fire: false, policy: doc(allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } }), allow(['ecs:RunTask', 'ecs:StartTask'], '*')) },
    { name: 'PassRole + Glue interactive session (glue-007)', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['glue:CreateSession', 'glue:RunStatement'], '*')), message: 'Glue interactive session', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'Glue session created but no statement run', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['glue:CreateSession', 'glue:GetSession'], '*')) },
    { name: 'PassRole + Braket hybrid job (braket-001)', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['braket:CreateJob'], '*')), message: 'Braket hybrid job', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'Braket jobs read only', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['braket:GetJob', 'braket:SearchJobs'], '*')) },
    { name: 'PassRole + EMR Serverless application and job run (emrserverless-001)', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['emr-serverless:CreateApplication', 'emr-serverless:StartJobRun'], '*')), message: 'EMR Serverless', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'EMR Serverless application never run', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['emr-serverless:CreateApplication', 'emr-serverless:GetApplication'], '*')) },
    { name: 'PassRole + GameLift build upload and fleet (gamelift-001)', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['gamelift:CreateBuild', 'gamelift:RequestUploadCredentials', 'gamelift:CreateFleet'], '*')), message: 'game server build', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'GameLift fleet without a way to upload a build', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['gamelift:CreateBuild', 'gamelift:CreateFleet'], '*')) },
    { name: 'PassRole + HealthOmics workflow run (omics-001)', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['omics:CreateWorkflow', 'omics:StartRun'], '*')), message: 'HealthOmics workflow', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'HealthOmics workflow created, never run', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['omics:CreateWorkflow', 'omics:GetWorkflow'], '*')) },
    { name: 'PassRole + Managed Apache Flink application (kinesisanalytics-001)', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['kinesisanalytics:CreateApplication', 'kinesisanalytics:StartApplication'], '*')), message: 'Managed Apache Flink', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'Flink application created, never started', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['kinesisanalytics:CreateApplication', 'kinesisanalytics:DescribeApplication'], '*')) },
    { name: 'PassRole + EC2 Image Builder component, recipe, infrastructure and image (imagebuilder-001)', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['imagebuilder:CreateComponent', 'imagebuilder:CreateImageRecipe', 'imagebuilder:CreateInfrastructureConfiguration', 'imagebuilder:CreateImage'], '*')), message: 'build an image whose component runs', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'Image Builder without an infrastructure configuration to pass the profile in', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['imagebuilder:CreateComponent', 'imagebuilder:CreateImageRecipe', 'imagebuilder:CreateImage'], '*')) },
    { name: 'PassRole + AgentCore harness and runtime command (bedrock-005)', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['bedrock-agentcore:CreateHarness', 'bedrock-agentcore:InvokeAgentRuntimeCommand'], '*')), message: 'AgentCore harness', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'AgentCore harness created with PassRole only for EC2', fire: false, policy: doc(allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }), allow(['bedrock-agentcore:CreateHarness', 'bedrock-agentcore:GetHarness'], '*')) },
    { name: 'PassRole + MWAA environment (mwaa-001)', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['airflow:CreateEnvironment'], '*')), message: 'managed Airflow environment', severity: 'error', at: { line: 6, column: 17 } },
    { name: 'MWAA environments read only', fire: false, policy: doc(allow('iam:PassRole', '*'), allow(['airflow:GetEnvironment', 'airflow:ListEnvironments'], '*')) },
    { name: 'across two inline policies of one role', fire: true, spec: `${SPEC_HEAD}services:\n  ci:\n    statements:\n      - actions: [iam:PassRole]\n        resources: ["*"]\n      - actions: [codebuild:CreateProject, codebuild:StartBuild]\n        resources: ["*"]\n    trust: [ec2]\n`, message: 'codebuild', at: { line: 8, column: 19 } },
  ],
  principal(p, { report, now }) {
    const pass = grantsOf(p, 'iam:PassRole');
    if (pass.length === 0) return;
    // Paths found, grouped by the PassRole statement they go through: one finding per statement and openness.
    const groups = new Map<string, { pg: Grant; scope: PathScope; paths: Array<{ combo: Combo; names: string[]; parts: Grant[] }> }>();
    for (const combo of PASS_ROLE_COMBOS) {
      let best: { g: Grant; scope: PathScope } | undefined;
      for (const g of pass) {
        const scope = passScope(g, combo.service, now);
        if (!best || openRank(scope) > openRank(best.scope)) best = { g, scope };
      }
      if (!best || best.scope.level === 'closed') continue;
      const parts: Grant[] = [];
      const names: string[] = [];
      let ok = true;
      for (const group of combo.needs) {
        const hit = firstGranted(p, group);
        if (!hit) {
          ok = false;
          break;
        }
        parts.push(hit.gs[0]!);
        names.push(hit.action);
      }
      if (!ok) continue;
      const pg = best.g;
      const k = `${pg.doc.id}#${pg.st.index}#${best.scope.level}`;
      const grp = groups.get(k) ?? { pg, scope: best.scope, paths: [] };
      grp.paths.push({ combo, names, parts });
      groups.set(k, grp);
    }
    for (const { pg, scope, paths } of groups.values()) {
      const first = paths[0]!;
      const others = first.parts.map((g, i) => `${first.names[i]} (${where(g, p)})`).join(', ');
      const more = paths.length > 1 ? `; ${paths.length - 1} more path${paths.length > 2 ? 's' : ''}: ${paths.slice(1).map((x) => x.names.join(' + ')).join(', ')}` : '';
      report({
        at: grantAt(pg),
        messageId: 'passRole',
        data: { subject: p.label, paths: paths.map((x) => x.names.join('+')).join(','), gives: first.combo.how, limited: scope.level === 'limited' ? ` (PassRole is limited to ${scope.limitedTo})` : '' },
        // Where each action is granted (file:line) and the other paths, for the reader.
        context: { with: others, more },
        hint: `scope iam:PassRole to the roles it must pass and add an iam:PassedToService condition (e.g. "${first.combo.service}")`,
        severity: scope.level === 'open' ? 'error' : 'warning',
        subject: p.label,
      });
    }
  },
};
