/** privilege-escalation: iam:PassRole combined with an action that runs something with the passed role. */
import { grantsOf, unconstrained, type Grant } from '../grants.js';
import { elementPath } from '../doc-model.js';
import { globMatch } from '../../policy/glob.js';
import type { PrincipalView, Rule } from '../types.js';
import { allow, doc, SPEC_HEAD } from './util.js';

interface Combo {
  service: string; // principal the role is passed to
  /** Every group must be granted; a group is satisfied by any of its actions. */
  needs: string[][];
  how: string;
}

export const PASS_ROLE_COMBOS: readonly Combo[] = [
  { service: 'ec2.amazonaws.com', needs: [['ec2:RunInstances']], how: 'launch an instance with a more privileged instance profile and read its credentials' },
  { service: 'lambda.amazonaws.com', needs: [['lambda:CreateFunction'], ['lambda:InvokeFunction', 'lambda:CreateEventSourceMapping', 'lambda:AddPermission', 'lambda:CreateFunctionUrlConfig']], how: 'create a function with a more privileged role and run it' },
  { service: 'glue.amazonaws.com', needs: [['glue:CreateDevEndpoint']], how: 'create a Glue dev endpoint with a more privileged role and log in to it' },
  { service: 'glue.amazonaws.com', needs: [['glue:CreateJob', 'glue:UpdateJob'], ['glue:StartJobRun', 'glue:CreateTrigger']], how: 'run a Glue job with a more privileged role' },
  { service: 'cloudformation.amazonaws.com', needs: [['cloudformation:CreateStack', 'cloudformation:CreateStackSet', 'cloudformation:UpdateStack']], how: 'create a stack that runs with a more privileged service role' },
  { service: 'cloudformation.amazonaws.com', needs: [['cloudformation:CreateChangeSet'], ['cloudformation:ExecuteChangeSet']], how: 'execute a change set with a more privileged service role' },
  { service: 'datapipeline.amazonaws.com', needs: [['datapipeline:CreatePipeline'], ['datapipeline:PutPipelineDefinition']], how: 'run a data pipeline with a more privileged role' },
  { service: 'codebuild.amazonaws.com', needs: [['codebuild:CreateProject'], ['codebuild:StartBuild', 'codebuild:StartBuildBatch']], how: 'run a build with a more privileged service role' },
  { service: 'ecs-tasks.amazonaws.com', needs: [['ecs:RegisterTaskDefinition'], ['ecs:RunTask', 'ecs:StartTask', 'ecs:CreateService', 'ecs:UpdateService']], how: 'run an ECS task with a more privileged task role' },
  { service: 'sagemaker.amazonaws.com', needs: [['sagemaker:CreateNotebookInstance'], ['sagemaker:CreatePresignedNotebookInstanceUrl']], how: 'open a notebook running with a more privileged role' },
  { service: 'sagemaker.amazonaws.com', needs: [['sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'sagemaker:CreateHyperParameterTuningJob']], how: 'run a SageMaker job with a more privileged role' },
  { service: 'apprunner.amazonaws.com', needs: [['apprunner:CreateService']], how: 'run an App Runner service with a more privileged instance role' },
  { service: 'autoscaling.amazonaws.com', needs: [['autoscaling:CreateLaunchConfiguration', 'ec2:CreateLaunchTemplate'], ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup']], how: 'launch instances with a more privileged instance profile through Auto Scaling' },
  { service: 'states.amazonaws.com', needs: [['states:CreateStateMachine'], ['states:StartExecution']], how: 'run a state machine with a more privileged role' },
  { service: 'elasticmapreduce.amazonaws.com', needs: [['elasticmapreduce:RunJobFlow']], how: 'run an EMR cluster with a more privileged role' },
  { service: 'codestar.amazonaws.com', needs: [['codestar:CreateProject']], how: 'create a CodeStar project with a more privileged role' },
  { service: 'bedrock.amazonaws.com', needs: [['bedrock:CreateAgent', 'bedrock-agentcore:CreateCodeInterpreter']], how: 'run an agent with a more privileged role' },
];

/** Whether a PassRole grant is limited (iam:PassedToService) to services other than `svc`. */
function passBlocked(g: Grant, svc: string): boolean {
  const cs = g.st.conditions.filter((c) => c.key.toLowerCase() === 'iam:passedtoservice' && !c.base.includes('Not'));
  if (cs.length === 0) return false;
  return cs.some((c) => !c.values.some((v) => (c.base === 'StringLike' ? globMatch(v, svc) : v.toLowerCase() === svc)));
}

function atOf(g: Grant) {
  return g.pattern ? g.doc.pos(g.st.index, ...elementPath(g.st, 'Action', g.pattern)) : g.doc.keyPos(g.st.index, 'NotAction');
}

function where(g: Grant, p: PrincipalView): string {
  if (g.doc.id.includes('#aws:') || g.doc.principalId !== p.id) return g.doc.label; // an AWS managed policy modelled by name
  const l = atOf(g);
  return `${l.file}:${l.line}`;
}

export const privescPassRole: Rule = {
  meta: {
    id: 'privesc-pass-role',
    title: 'Privilege escalation through iam:PassRole',
    severity: 'error',
    category: 'privilege-escalation',
    docs: {
      what: 'The role may pass roles (iam:PassRole) and also start something that runs with a passed role: ec2:RunInstances; lambda:CreateFunction with InvokeFunction / CreateEventSourceMapping; glue:CreateDevEndpoint or CreateJob + StartJobRun; cloudformation:CreateStack; datapipeline:CreatePipeline + PutPipelineDefinition; codebuild:CreateProject + StartBuild; ecs:RegisterTaskDefinition + RunTask; sagemaker notebooks and jobs; apprunner:CreateService; Auto Scaling; Step Functions; EMR. Evaluated over the union of the role\'s documents, wildcards expanded; an iam:PassedToService condition for another service removes the combination.',
      why: 'Passing a more privileged role to a compute service and running code there yields that role\'s credentials. Error when PassRole is on wildcard roles; warning when it names specific roles.',
      bad: 'statements:\n  - actions: [iam:PassRole, ec2:RunInstances]\n    resources: ["*"]',
      good: 'statements:\n  - actions: [iam:PassRole]\n    resources: ["arn:aws:iam::123456789012:role/app-worker"]\n    conditions: { StringEquals: { "iam:PassedToService": ec2.amazonaws.com } }',
      fix: 'Scope iam:PassRole to the exact role ARNs the workload passes and add an iam:PassedToService condition.',
    },
  },
  cases: [
    { name: 'RunInstances without PassRole', fire: false, policy: doc(allow('ec2:RunInstances', '*')) },
    { name: 'PassRole limited to another service', fire: false, policy: doc(allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } }), allow('ec2:RunInstances', '*')) },
    { name: 'PassRole + RunInstances', fire: true, policy: doc(allow(['iam:PassRole', 'ec2:RunInstances'], '*')), message: 'ec2:RunInstances' },
    { name: 'PassRole + Lambda create & invoke', fire: true, policy: doc(allow('iam:PassRole', '*'), allow(['lambda:CreateFunction', 'lambda:InvokeFunction'], '*')), message: 'lambda:CreateFunction' },
    { name: 'lambda create alone is not a path', fire: false, policy: doc(allow('iam:PassRole', '*'), allow('lambda:CreateFunction', '*')) },
    { name: 'across two inline policies of one role', fire: true, spec: `${SPEC_HEAD}services:\n  ci:\n    statements:\n      - actions: [iam:PassRole]\n        resources: ["*"]\n      - actions: [codebuild:CreateProject, codebuild:StartBuild]\n        resources: ["*"]\n    trust: [ec2]\n`, message: 'codebuild' },
  ],
  principal(p, { report }) {
    const pass = grantsOf(p, 'iam:PassRole');
    if (pass.length === 0) return;
    // Paths found, grouped by the PassRole statement they go through: one finding per statement.
    const groups = new Map<string, { pg: Grant; broad: boolean; paths: Array<{ combo: Combo; names: string[]; parts: Grant[] }> }>();
    for (const combo of PASS_ROLE_COMBOS) {
      const usable = pass.filter((g) => !passBlocked(g, combo.service));
      if (usable.length === 0) continue;
      const parts: Grant[] = [];
      const names: string[] = [];
      let ok = true;
      for (const group of combo.needs) {
        let hit: { g: Grant; a: string } | undefined;
        for (const a of group) {
          const gs = grantsOf(p, a);
          if (gs.length) {
            hit = { g: gs[0]!, a };
            break;
          }
        }
        if (!hit) {
          ok = false;
          break;
        }
        parts.push(hit.g);
        names.push(hit.a);
      }
      if (!ok) continue;
      const broadG = usable.find((g) => g.st.conditions.length === 0 && (unconstrained(g) || (g.st.resource ?? []).some((r) => r.includes('*'))));
      const pg = broadG ?? usable[0]!;
      const k = `${pg.doc.id}#${pg.st.index}`;
      const grp = groups.get(k) ?? { pg, broad: broadG !== undefined, paths: [] };
      grp.paths.push({ combo, names, parts });
      groups.set(k, grp);
    }
    for (const { pg, broad, paths } of groups.values()) {
      const first = paths[0]!;
      const others = first.parts.map((g, i) => `${first.names[i]} (${where(g, p)})`).join(', ');
      const more = paths.length > 1 ? `; ${paths.length - 1} more path${paths.length > 2 ? 's' : ''}: ${paths.slice(1).map((x) => x.names.join(' + ')).join(', ')}` : '';
      report({
        at: atOf(pg),
        message: `${p.label} can escalate privileges: iam:PassRole with ${others} lets it ${first.combo.how}${broad ? '' : ' (PassRole is limited to named roles or by conditions)'}${more}`,
        hint: `scope iam:PassRole to the roles it must pass and add an iam:PassedToService condition (e.g. "${first.combo.service}")`,
        severity: broad ? 'error' : 'warning',
        subject: p.label,
        key: `passrole ${paths.map((x) => x.names.join('+')).join(',')}`,
      });
    }
  },
};
