/**
 * How far an escalation path is open through one grant: the statement's resources and conditions
 * read against the path's breakers (src/linter/escalation-paths.ts). `open` is an error, `limited`
 * a warning that says what the path is limited to, `closed` no finding at all (the breaker holds:
 * the caller's own user, AWS managed policies, non-shell SSM documents, PassRole to another service).
 * Pure: decided from the statement's data, never from message text.
 */
import { globMatch, hasWildcard } from '../policy/glob.js';
import { allResources, cachedOn, type Grant } from './grants.js';
import type { Breaker, EscalationPath } from './escalation-paths.js';
import type { Cond, Stmt } from './types.js';

export type Openness = 'open' | 'limited' | 'closed';

export interface PathScope {
  level: Openness;
  /** For `limited`: what the path is limited to ("function:DeadlineResourceTracker*", "condition aws:ResourceTag/team"). */
  limitedTo?: string;
}

const RANK: Record<Openness, number> = { closed: 0, limited: 1, open: 2 };

/** closed 0, limited 1, open 2. */
export function openRank(s: PathScope): number {
  return RANK[s.level];
}

/** The more open of two scopes (any one grant that leaves the path open opens it). */
export function moreOpen(a: PathScope, b: PathScope): PathScope {
  return RANK[b.level] > RANK[a.level] ? b : a;
}

/** The less open of two scopes (every group of a path is needed: the tightest decides). */
export function lessOpen(a: PathScope, b: PathScope): PathScope {
  return RANK[b.level] < RANK[a.level] ? b : a;
}

/** Condition keys every request carries (a StringLike "*" on them matches every request). */
const ALWAYS_PRESENT = new Set(['aws:currenttime', 'aws:epochtime', 'aws:principalarn', 'aws:principalaccount', 'aws:principaltype', 'aws:requestedregion', 'aws:securetransport', 'aws:userid']);
/** Date keys whose value is the time of the request or of the session (never before a past date). */
const TIME_KEYS = new Set(['aws:currenttime', 'aws:epochtime', 'aws:tokenissuetime']);

function dateOf(v: string): number | undefined {
  const n = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Whether a condition entry holds for every request that could use the path: a time key after a
 * date in the past, aws:SecureTransport true (AWS APIs are HTTPS only), StringLike "*" on a key
 * every request carries (or with IfExists).
 */
export function alwaysTrue(c: Cond, now: number): boolean {
  const key = c.key.toLowerCase();
  if (c.set === 'ForAllValues') return false; // other semantics; never assumed
  if ((c.base === 'DateGreaterThan' || c.base === 'DateGreaterThanEquals') && TIME_KEYS.has(key)) {
    const ds = c.values.map(dateOf);
    return ds.length > 0 && ds.some((d) => d !== undefined && d < now);
  }
  if (c.base === 'Bool' && key === 'aws:securetransport') return c.values.some((v) => v.toLowerCase() === 'true');
  if (c.base === 'StringLike' && (c.ifExists || ALWAYS_PRESENT.has(key))) return c.values.includes('*');
  return false;
}

/** Whether a resource names only the caller itself (`…:user/${aws:username}`, `…:user/*\/${aws:username}`). */
export function callerOnly(r: string): boolean {
  return /^arn:[^:]+:iam::[^:]*:user\/(.*\/)?\$\{aws:(username|userid)\}$/i.test(r);
}

/** The resource part of an ARN pattern ("function:Foo*", "role/app-*"), or the whole string when it is not an ARN. */
function resourcePart(r: string): string {
  const parts = r.split(':');
  return parts.length >= 6 ? parts.slice(5).join(':') : r;
}

/** The name part after the resource type ("Foo*" of "function:Foo*", "app/*" of "role/app/*"). */
function namePart(r: string): string {
  const res = resourcePart(r);
  const m = /^([A-Za-z0-9-]+)[:/](.*)$/s.exec(res);
  return m ? m[2]! : res;
}

/** Whether a pattern's name part is wildcards only (matches every name). */
function anyName(r: string): boolean {
  return /^[*?/:]*$/.test(namePart(r)) || /^[*?]/.test(resourcePart(r));
}

/** Resources of a statement that could name an SSM document (`…:ssm:…:document/…`, or a pattern matching such ARNs). */
function documentResources(st: Stmt): string[] {
  return (st.resource ?? []).filter((r) => {
    const parts = r.split(':');
    if (parts.length < 6) return hasWildcard(r);
    if (!globMatch(parts[2]!, 'ssm')) return false;
    const type = resourcePart(r).replace(/\/.*$/s, '');
    return /^document$/i.test(type) || (hasWildcard(type) && globMatch(type, 'document'));
  });
}

/** `Bool ssm:SessionDocumentAccessCheck true`: Session Manager checks the session document (the default one too). */
function documentCheck(c: Cond): boolean {
  return c.base === 'Bool' && !c.ifExists && c.key.toLowerCase() === 'ssm:sessiondocumentaccesscheck' && c.values.some((v) => v.toLowerCase() === 'true');
}

/**
 * The document side of an SSM path through one grant: open when it admits a shell document (or,
 * for StartSession without ssm:SessionDocumentAccessCheck, the default shell session), limited by a
 * document pattern that matches none of the known shells, closed when it names only non-shell
 * documents or none.
 */
function documentSide(g: Grant, action: string, shells: string[], now: number): PathScope {
  const st = g.st;
  const conds = conditionScope(st.conditions, now);
  if (allResources(st)) return conds;
  if (action.toLowerCase() === 'ssm:startsession' && !st.conditions.some(documentCheck)) return conds;
  let out: PathScope = { level: 'closed' };
  for (const r of documentResources(st)) {
    const name = namePart(r);
    if (anyName(r) || shells.some((s) => (hasWildcard(name) ? globMatch(name, s) : s.toLowerCase() === name.toLowerCase()))) return conds;
    if (hasWildcard(name)) out = moreOpen(out, { level: 'limited', limitedTo: `documents ${name}` });
  }
  return lessOpen(out, conds);
}

/** The target side (instances, managed nodes) of an SSM path through one grant. */
function targetSide(g: Grant, now: number): PathScope {
  const st = g.st;
  const conds = conditionScope(st.conditions, now);
  if (allResources(st)) return conds;
  const docs = new Set(documentResources(st));
  const targets = (st.resource ?? []).filter((r) => !docs.has(r));
  if (targets.length === 0) return { level: 'closed' };
  return lessOpen(resourcesScope(targets), conds);
}

/** Whether a breaker holds for this grant (undefined: it does not apply or does not hold). */
function breakerScope(b: Breaker, g: Grant): PathScope | undefined {
  const rs = g.st.resource;
  switch (b.kind) {
    case 'caller-only':
      return !g.st.notResource && rs && rs.length > 0 && rs.every(callerOnly) ? { level: 'closed' } : undefined;
    case 'resources-within':
      return !g.st.notResource && rs && rs.length > 0 && rs.every((r) => b.patterns.some((p) => globMatch(p, r))) ? { level: 'closed' } : undefined;
    case 'documents-not-shell':
      return undefined; // both sides of the request at once: actionScope
    case 'passed-to-other-service':
      return undefined; // a PassRole condition: passScope
  }
}

/** How far a statement's conditions limit a path: open when none limits (or each is always true). */
export function conditionScope(conds: Cond[], now: number, ignore: (c: Cond) => boolean = () => false): PathScope {
  // The document check limits documents only, which the documents-not-shell breaker reads.
  const limiting = conds.filter((c) => !ignore(c) && !documentCheck(c) && !alwaysTrue(c, now));
  if (limiting.length === 0) return { level: 'open' };
  const keys = [...new Set(limiting.map((c) => c.key))];
  return { level: 'limited', limitedTo: `condition${keys.length > 1 ? 's' : ''} ${keys.join(', ')}` };
}

function resourcesScope(rs: string[]): PathScope {
  if (rs.some(anyName)) return { level: 'open' };
  const shown = rs.slice(0, 3).map(resourcePart).join(', ') + (rs.length > 3 ? ', …' : '');
  return { level: 'limited', limitedTo: shown };
}

const RESOURCE_SCOPE = Symbol('path-scope.resourceScope');

/**
 * How open a statement's resources leave a path. Computed once per Resource list (pass-role paths
 * ask for every combination), cached on the list rather than the statement: statements keep one shape.
 */
function resourceScope(st: Stmt): PathScope {
  if (allResources(st)) return { level: 'open' };
  const rs = st.resource;
  return rs ? cachedOn(rs, RESOURCE_SCOPE, resourcesScope) : resourcesScope([]);
}

/** How open the path is through one grant of `action` (SSM paths: actionScope, which reads all grants together). */
export function grantScope(g: Grant, path: EscalationPath, now: number): PathScope {
  for (const b of path.breaks) {
    const s = breakerScope(b, g);
    if (s?.level === 'closed') return s;
    if (s?.level === 'limited') return lessOpen(s, conditionScope(g.st.conditions, now));
  }
  return lessOpen(resourceScope(g.st), conditionScope(g.st.conditions, now));
}

/**
 * How open the path is through the grants of one action, and the grant to point at. An SSM path
 * needs a shell document and a target in the same request, which may come from different
 * statements: the most open document side and the most open target side, the tighter of the two.
 */
export function actionScope(gs: Grant[], path: EscalationPath, action: string, now: number): { g: Grant; scope: PathScope } | undefined {
  const docs = path.breaks.find((b): b is Extract<Breaker, { kind: 'documents-not-shell' }> => b.kind === 'documents-not-shell');
  let best: { g: Grant; scope: PathScope } | undefined;
  if (!docs) {
    for (const g of gs) {
      const scope = grantScope(g, path, now);
      if (!best || openRank(scope) > openRank(best.scope)) best = { g, scope };
    }
    return best;
  }
  let doc: { g: Grant; scope: PathScope } | undefined;
  let target: { g: Grant; scope: PathScope } | undefined;
  for (const g of gs) {
    const d = documentSide(g, action, docs.shells, now);
    const t = targetSide(g, now);
    if (!doc || openRank(d) > openRank(doc.scope)) doc = { g, scope: d };
    if (!target || openRank(t) > openRank(target.scope)) target = { g, scope: t };
  }
  if (!doc || !target) return undefined;
  return openRank(target.scope) < openRank(doc.scope) ? target : doc;
}

/**
 * How open the path is through one iam:PassRole grant: closed when iam:PassedToService names only
 * other services; an iam:PassedToService that admits the path's own service limits nothing.
 */
export function passScope(g: Grant, service: string, now: number): PathScope {
  return lessOpen(resourceScope(g.st), passConditionScope(g, service, now));
}

/** The conditions side of passScope alone (for a grant already known to name the passed role). */
export function passConditionScope(g: Grant, service: string, now: number): PathScope {
  const conds = g.st.conditions;
  if (conds.length === 0) return { level: 'open' };
  const svc = service.toLowerCase();
  const admits = (c: Cond) => c.values.some((v) => (c.base.includes('Like') ? globMatch(v, svc) : v.toLowerCase() === svc));
  for (const c of conds) {
    if (!isPassedToService(c)) continue;
    const negated = c.base.includes('Not');
    if (negated ? admits(c) : !admits(c)) return { level: 'closed' };
  }
  return conditionScope(conds, now, isPassedToService);
}

function isPassedToService(c: Cond): boolean {
  return c.key.toLowerCase() === 'iam:passedtoservice';
}

/** " — limited to X" for a limited scope, "" otherwise. */
export function limitedSuffix(s: PathScope): string {
  return s.level === 'limited' ? ` — limited to ${s.limitedTo ?? 'named resources'}` : '';
}
