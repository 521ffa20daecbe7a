/** privilege-escalation: single actions that let a principal raise its own privileges. */
import { grantAt, grantsEscalationActions, grantsOf, type Grant } from '../grants.js';
import { actionScope, lessOpen, limitedSuffix, openRank, type PathScope } from '../path-scope.js';
import type { PrincipalView, Rule } from '../types.js';
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
  if (!grantsEscalationActions(p)) return found;
  // Indexed loops here and below: run for every principal, mostly before they are optimised, when for-of allocates per step.
  for (let i = 0; i < DIRECT_PATHS.length; i++) {
    const path = DIRECT_PATHS[i]!;
    // Nothing allocated for the paths a principal does not hold (most paths, for most principals).
    let names: string[] | undefined;
    let scope: PathScope | undefined;
    let at: Grant | undefined;
    for (let j = 0; j < path.needs.length; j++) {
      const group = path.needs[j]!;
      const best = mostOpenGrant(p, path, group, now);
      if (!best || best.scope.level === 'closed') {
        at = undefined;
        break;
      }
      (names ??= []).push(best.action);
      at ??= best.g;
      scope = scope ? lessOpen(scope, best.scope) : best.scope;
    }
    if (!at || !names || !scope || names.length < path.needs.length) continue;
    found.push({ path, names, g: at, scope });
  }
  return found;
}

/** The grant (of any action of the group) that leaves the path most open, in table order on ties. */
export function mostOpenGrant(p: PrincipalView, path: EscalationPath, group: string[], now: number): { action: string; g: Grant; scope: PathScope } | undefined {
  let best: { action: string; g: Grant; scope: PathScope } | undefined;
  for (let i = 0; i < group.length; i++) {
    const action = group[i]!;
    const gs = grantsOf(p, action);
    if (gs.length === 0) continue;
    const hit = actionScope(gs, path, action, now);
    if (hit && (!best || openRank(hit.scope) > openRank(best.scope))) best = { action, ...hit };
    if (best?.scope.level === 'open') return best;
  }
  return best;
}

/** The first action of a group the principal is granted, with its grants. */
export function firstGranted(p: PrincipalView, group: string[]): { action: string; gs: Grant[] } | undefined {
  for (let i = 0; i < group.length; i++) {
    const action = group[i]!;
    const gs = grantsOf(p, action);
    if (gs.length) return { action, gs };
  }
  return undefined;
}
