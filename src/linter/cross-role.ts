/**
 * Escalation between roles (issue 11 §1, what Principal Mapper does for a whole account, here over
 * the roles one spec creates and, with `--reference live`, the live roles read beside them): a role
 * reaches another when it can
 *
 * - assume it: the target's trust names the role's ARN (same account: no identity grant needed), or
 *   names its account or anyone and the role is granted sts:AssumeRole on the target's ARN;
 * - pass it: iam:PassRole on the target's ARN, the actions of a pass-role path of the table
 *   (src/linter/escalation-paths.ts), and the target trusts the service the path runs it in;
 * - rewrite its trust: iam:UpdateAssumeRolePolicy on the target's ARN.
 *
 * Reaching a role is an escalation when the target is granted something the role is not
 * (grantedBeyond), or when the role can also change the target's policies (Put/AttachRolePolicy on
 * it: it can then give the target, and so itself, anything). Pure: decided from the documents.
 */
import type { Bundle } from '../compiler/types.js';
import type { IamData } from '../policy/iam-data.js';
import { globMatch, globsIntersect, hasWildcard } from '../policy/glob.js';
import { deniedFor, deniedOn, grantsOf, isAllow, stmtCoversAction, type Grant } from './grants.js';
import { alwaysTrue, conditionScope, lessOpen, openRank, passConditionScope, type PathScope } from './path-scope.js';
import { PASS_ROLE_PATHS, type EscalationPath } from './escalation-paths.js';
import { isRootPrincipal, principalAccount, principalsOf } from './rules/trust-util.js';
import { directPathsOf } from './rules/privesc-action.js';
import type { LiveRoleView, PrincipalView, Stmt } from './types.js';

export interface RoleNode {
  /** "role deploy" (a spec role: its service name) or "live role charter-x". */
  label: string;
  /** Its ARN; the account part is "*" when the spec does not say it. */
  arn: string;
  account?: string;
  p: PrincipalView;
  live: boolean;
}

/** The spec's roles as nodes (principals as the engine built them, matched to the bundle's roles). */
export function specRoleNodes(bundle: Bundle, principals: PrincipalView[]): RoleNode[] {
  const out: RoleNode[] = [];
  for (const p of principals) {
    const r = p.role;
    if (!r) continue;
    out.push({ label: p.label, arn: `arn:${bundle.partition}:iam::${bundle.account ?? '*'}:role${r.path}${r.name}`, ...(bundle.account ? { account: bundle.account } : {}), p, live: false });
  }
  return out;
}

export function liveRoleNodes(roles: LiveRoleView[]): RoleNode[] {
  return roles.map((r) => {
    const account = principalAccount(r.arn);
    return { label: r.principal.label, arn: r.arn, ...(account ? { account } : {}), p: r.principal, live: true };
  });
}

/** Whether a resource pattern names the role (a spec without `account:`: any account, the spec's roles share one). */
export function namesRole(pattern: string, t: RoleNode): boolean {
  if (t.account) return globMatch(pattern, t.arn);
  const parts = pattern.split(':');
  if (parts.length < 6) return globMatch(pattern, t.arn);
  const acct = parts[4]!;
  return globMatch(pattern, t.arn.replace(/^(arn:[^:]*:iam::)[^:]*:/, `$1${hasWildcard(acct) ? '000000000000' : acct}:`));
}

/** Grants of `action` whose resources name the role, unless an unconditional Deny takes it away on it. */
export function grantsOn(p: PrincipalView, action: string, t: RoleNode): Grant[] {
  if (deniedOn(p.docs, action, t.arn)) return [];
  return grantsOf(p, action).filter((g) => (g.st.notResource ? !g.st.notResource.some((r) => namesRole(r, t)) : (g.st.resource ?? []).some((r) => namesRole(r, t))));
}

function bestOf<T extends { scope: PathScope }>(xs: T[]): T | undefined {
  let best: T | undefined;
  for (const x of xs) if (x.scope.level !== 'closed' && (!best || openRank(x.scope) > openRank(best.scope))) best = x;
  return best;
}

/** A role session carries no MFA: `Bool aws:MultiFactorAuthPresent true` (without IfExists) shuts roles out. */
function requiresMfa(st: Stmt): boolean {
  return st.conditions.some((c) => c.base === 'Bool' && !c.ifExists && c.key.toLowerCase() === 'aws:multifactorauthpresent' && c.values.some((v) => v.toLowerCase() === 'true'));
}

/** How a reach goes, with the grant or trust statement to point at. */
export type Reach =
  | { kind: 'assume'; how: 'names' | 'account' | 'any'; trust: Stmt; g?: Grant; scope: PathScope }
  | { kind: 'pass'; path: EscalationPath; names: string[]; g: Grant; scope: PathScope }
  | { kind: 'rewrite-trust'; g: Grant; scope: PathScope };

/** sts:AssumeRole of `t` by `s`, through the most open trust statement that admits it. */
function assumeReach(s: RoleNode, t: RoleNode, now: number): Reach | undefined {
  if (!t.p.trust || deniedOn(s.p.docs, 'sts:AssumeRole', t.arn)) return undefined;
  const grants = grantsOn(s.p, 'sts:AssumeRole', t).map((g) => ({ g, scope: conditionScope(g.st.conditions, now) }));
  const granted = bestOf(grants);
  const found: Reach[] = [];
  for (const st of t.p.trust.statements) {
    if (!isAllow(st) || stmtCoversAction(st, 'sts:AssumeRole') === false || requiresMfa(st)) continue;
    const pr = principalsOf(st);
    const trustScope = conditionScope(st.conditions, now);
    if (pr.aws.some((a) => a !== '*' && !isRootPrincipal(a) && namesRole(a, s))) {
      // Same account, the role named: the trust alone lets it in.
      found.push({ kind: 'assume', how: 'names', trust: st, ...(granted ? { g: granted.g } : {}), scope: trustScope });
      continue;
    }
    const how = s.account && pr.aws.some((a) => isRootPrincipal(a) && principalAccount(a) === s.account) ? 'account' : pr.any ? 'any' : undefined;
    if (how && granted) found.push({ kind: 'assume', how, trust: st, g: granted.g, scope: lessOpen(trustScope, granted.scope) });
  }
  return bestOf(found);
}

/** Whether the trust lets a service principal assume the role. */
function trustsService(t: RoleNode, service: string): boolean {
  return (t.p.trust?.statements ?? []).some((st) => isAllow(st) && stmtCoversAction(st, 'sts:AssumeRole') !== false && principalsOf(st).service.some((x) => x.toLowerCase() === service));
}

/** The first pass-role path of the table that passes `t` and that `s` can run. */
function passReach(s: RoleNode, t: RoleNode, now: number): Reach | undefined {
  const pass = grantsOn(s.p, 'iam:PassRole', t);
  if (pass.length === 0) return undefined;
  const found: Reach[] = [];
  for (const path of PASS_ROLE_PATHS) {
    if (!trustsService(t, path.assumedBy ?? path.passTo!)) continue;
    const best = bestOf(pass.map((g) => ({ g, scope: passConditionScope(g, path.passTo!, now) })));
    if (!best) continue;
    const names: string[] = [];
    for (const group of path.needs) {
      const hit = group.find((a) => grantsOf(s.p, a).length > 0);
      if (!hit) break;
      names.push(hit);
    }
    if (names.length < path.needs.length) continue;
    found.push({ kind: 'pass', path, names, g: best.g, scope: best.scope });
    if (best.scope.level === 'open') break;
  }
  return bestOf(found);
}

function rewriteReach(s: RoleNode, t: RoleNode, now: number): Reach | undefined {
  return bestOf(grantsOn(s.p, 'iam:UpdateAssumeRolePolicy', t).map((g) => ({ kind: 'rewrite-trust' as const, g, scope: conditionScope(g.st.conditions, now) })));
}

/** How `s` reaches `t` (the most open way; assume before pass before a trust rewrite on ties). */
export function reach(s: RoleNode, t: RoleNode, now: number): Reach | undefined {
  return bestOf([assumeReach(s, t, now), passReach(s, t, now), rewriteReach(s, t, now)].filter((x): x is Reach => x !== undefined));
}

/** Put/AttachRolePolicy of `s` on `t`: the action and grant. */
export function changeOf(s: RoleNode, t: RoleNode, now: number): { action: string; g: Grant; scope: PathScope } | undefined {
  const found = ['iam:PutRolePolicy', 'iam:AttachRolePolicy'].flatMap((action) => grantsOn(s.p, action, t).map((g) => ({ action, g, scope: conditionScope(g.st.conditions, now) })));
  return bestOf(found);
}

/** Whether the principal is granted every action on every resource with no limiting condition, and denied nothing. */
export function holdsEverything(p: PrincipalView, now: number): boolean {
  const sts = p.docs.flatMap((d) => d.statements);
  return sts.some((st) => isAllow(st) && st.action?.includes('*') && st.resource?.includes('*') && st.conditions.every((c) => alwaysTrue(c, now))) && !sts.some((st) => st.effect === 'Deny');
}

/**
 * Why a role amounts to an administrator, if it does: it holds every action on every resource, or
 * it holds an open path of the table to raise its own privileges (whoever becomes it can take the
 * account over). Undefined for a role that merely holds more than another.
 */
export function adminReason(p: PrincipalView, now: number): string | undefined {
  if (holdsEverything(p, now)) return 'it is granted every action on every resource';
  const open = directPathsOf(p, now).find((h) => h.scope.level === 'open');
  return open ? `${open.names.join(' + ')} ${open.names.length > 1 ? 'let' : 'lets'} it ${open.path.gives}` : undefined;
}

/**
 * Whether the principal can already make itself anything: every action on every resource, or an
 * open IAM path of the table (write its own policies, versions, boundaries). Such a role gains
 * nothing by becoming another; a role that only holds paths through other resources (a function,
 * an instance to take over) still gains from a concrete target in the spec.
 */
export function selfAdministering(p: PrincipalView, now: number): boolean {
  return holdsEverything(p, now) || directPathsOf(p, now).some((h) => h.scope.level === 'open' && h.path.needs.flat().every((a) => a.toLowerCase().startsWith('iam:')));
}

/** Whether the resources of statement `s` cover those of statement `t`. */
function resourcesCover(s: Stmt, t: Stmt): boolean {
  if (s.resource?.includes('*')) return true;
  if (s.notResource) {
    if (t.notResource) return s.notResource.every((p) => t.notResource!.some((q) => globMatch(q, p)));
    return (t.resource ?? []).every((r) => !s.notResource!.some((p) => globsIntersect(p, r)));
  }
  if (t.notResource || !t.resource) return false;
  return t.resource.every((r) => (s.resource ?? []).some((p) => globMatch(p, r)));
}

/** Whether the conditions of statement `s` hold wherever those of `t` do (each limiting one is also in `t`). */
function conditionsCover(s: Stmt, t: Stmt, now: number): boolean {
  const same = (a: Stmt['conditions'][number], b: Stmt['conditions'][number]) => a.op === b.op && a.key.toLowerCase() === b.key.toLowerCase() && a.values.length === b.values.length && a.values.every((v) => b.values.includes(v));
  return s.conditions.filter((c) => !alwaysTrue(c, now)).every((c) => t.conditions.some((d) => same(c, d)));
}

function covered(s: PrincipalView, action: string, t: Stmt, now: number): boolean {
  return grantsOf(s, action).some((g) => resourcesCover(g.st, t) && conditionsCover(g.st, t, now));
}

/**
 * Up to `max` things `t` is granted that `s` is not (actions, or a whole pattern when none of it is):
 * empty when `s` holds everything `t` holds, on the same resources, with no stricter condition.
 */
export function grantedBeyond(t: PrincipalView, s: PrincipalView, iam: IamData, now: number, max = 3): string[] {
  const out: string[] = [];
  const push = (x: string) => {
    if (!out.some((y) => y.toLowerCase() === x.toLowerCase())) out.push(x);
  };
  const sAllows = s.docs.flatMap((d) => d.statements.filter(isAllow));
  for (const d of t.docs)
    for (const st of d.statements) {
      if (!isAllow(st)) continue;
      if (st.notAction) {
        const broader = sAllows.some((x) => (x.action?.includes('*') || x.notAction?.every((p) => st.notAction!.some((q) => globMatch(q, p)))) && resourcesCover(x, st) && conditionsCover(x, st, now));
        if (!broader) push(`every action except ${st.notAction.slice(0, 2).join(', ')}${st.notAction.length > 2 ? ', …' : ''}`);
      }
      for (const a of st.action ?? []) {
        const concrete = hasWildcard(a) ? iam.expand(a) : [a];
        if (concrete.length === 0) {
          // A service the IAM data does not know: compare the pattern as text.
          if (!sAllows.some((x) => x.action?.some((q) => globMatch(q, a)) && resourcesCover(x, st) && conditionsCover(x, st, now))) push(a);
        } else {
          const missing: string[] = [];
          let kept = 0;
          for (const c of concrete) {
            if (deniedFor(t.docs, st, c)) continue;
            if (covered(s, c, st, now)) kept++;
            else missing.push(c);
            if (kept > 0 && missing.length >= max) break;
          }
          // None of the pattern is held: name the pattern itself.
          if (missing.length > 0 && hasWildcard(a) && kept === 0) push(a);
          else for (const m of missing) push(properName(iam, m));
        }
        if (out.length >= max) return out.slice(0, max);
      }
      if (out.length >= max) return out.slice(0, max);
    }
  return out;
}

/** "iam:passrole" → "iam:PassRole" from the IAM data (as given when unknown). */
function properName(iam: IamData, action: string): string {
  const i = action.indexOf(':');
  const name = iam.actionNames(action.slice(0, i))?.get(action.slice(i + 1).toLowerCase());
  return name ? `${action.slice(0, i)}:${name}` : action;
}
