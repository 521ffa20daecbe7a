/** privilege-escalation: iam:PassRole combined with an action that runs something with the passed role. */
import { grantAt, grantsOf, type Grant } from '../grants.js';
import { openRank, passScope, type PathScope } from '../path-scope.js';
import type { PrincipalView, Rule } from '../types.js';
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
  principal(p, { report, now }) {
    const pass = grantsOf(p, 'iam:PassRole');
    if (pass.length === 0) return;
    // Paths found, grouped by the PassRole statement they go through: one finding per statement and openness.
    const groups = new Map<string, { pg: Grant; scope: PathScope; paths: Array<{ combo: Combo; names: string[]; parts: Grant[] }> }>();
    // The most open PassRole grant for each service a role may be passed to (combinations share services).
    const bestFor = new Map<string, { g: Grant; scope: PathScope } | undefined>();
    for (const combo of PASS_ROLE_COMBOS) {
      // What the combination needs besides PassRole first: most principals lack it, and then how
      // open PassRole is toward the service does not matter.
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
      let best = bestFor.get(combo.service);
      if (!bestFor.has(combo.service)) {
        for (const g of pass) {
          const scope = passScope(g, combo.service, now);
          if (!best || openRank(scope) > openRank(best.scope)) best = { g, scope };
        }
        bestFor.set(combo.service, best);
      }
      if (!best || best.scope.level === 'closed') continue;
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
