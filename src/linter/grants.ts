/**
 * What a principal is allowed to do, over the union of its documents: which Allow statements
 * grant an action, whether an explicit unconditional Deny takes it away, and how scoped a grant is.
 * Wildcards in Action/NotAction are matched against the concrete action names the rules ask about;
 * a rule's fixed table of them (ActionTable) is matched in one walk over a statement's patterns.
 */
import { globMatch, globsIntersect, hasWildcard } from '../policy/glob.js';
import { elementPath } from './doc-model.js';
import { ESCALATION_PATHS } from './escalation-paths.js';
import type { DocView, Loc, PrincipalView, Stmt } from './types.js';

export interface Grant {
  doc: DocView;
  st: Stmt;
  /** The Action pattern that matched (undefined when granted through NotAction). */
  pattern?: string;
}

/** Where a grant is: its Action entry, or the NotAction key when granted through NotAction. */
export function grantAt(g: Grant): Loc {
  return g.pattern ? g.doc.pos(g.st.index, ...elementPath(g.st, 'Action', g.pattern)) : g.doc.keyPos(g.st.index, 'NotAction');
}

/**
 * Patterns of a statement element by service (a statement may list thousands): built once per
 * list and shared by every question asked of it (firstMatch for one action, ActionTable.covered
 * for a rule's table of them).
 */
interface PatternIndex {
  /** Patterns whose service part is literal, by lower-case service, in list order. */
  bySvc: Map<string, string[]>;
  /** "*" and patterns with a wildcard in the service part, in list order. */
  wild: string[];
  /** Literal patterns by lower-case name, the first of each (built on first use). */
  literal?: Map<string, string>;
}

/**
 * A value cached on the object it is computed from, under a symbol key not enumerable: it goes when the object
 * goes. (Module-level WeakMaps did this before; their entries, held by an old-generation table,
 * were promoted and kept until a full collection: a ×8 corpus lint's peak memory, issue 14.)
 */
export function cachedOn<O extends object, V>(o: O, key: symbol, make: (o: O) => V): V {
  const slot = o as unknown as Record<symbol, V | undefined>;
  let v = slot[key];
  if (v === undefined) {
    // `make` takes the object (a module-level function, not a closure made on every look-up).
    v = make(o);
    // Not enumerable: copies, comparisons and JSON of the object do not see it.
    if (Object.isExtensible(o)) Object.defineProperty(o, key, { value: v, configurable: true });
  }
  return v;
}

const INDEX = Symbol('grants.patternIndex');
const DENIES = Symbol('grants.denies');
const SINGLE = Symbol('grants.single');
const GRANTS = Symbol('grants.grantsOf');

function indexOf(list: string[]): PatternIndex {
  // Read here first: cachedOn's look-up (one site for every cache) is slower.
  return (list as unknown as Record<symbol, PatternIndex | undefined>)[INDEX] ?? cachedOn(list, INDEX, buildIndex);
}

function buildIndex(list: string[]): PatternIndex {
  const ix: PatternIndex = { bySvc: new Map(), wild: [] };
  // Patterns of one service tend to come together (long lists are sorted): a pattern that starts
  // with the previous literal service and its ":" joins that service's list without working its
  // service out again. Indexed: run before it is optimised, when for-of allocates per step.
  let prefix = '';
  let same: string[] | undefined;
  for (let j = 0; j < list.length; j++) {
    const p = list[j]!;
    if (same !== undefined && p.startsWith(prefix)) {
      same.push(p);
      continue;
    }
    const i = p.indexOf(':');
    const svc = i < 0 ? p : p.slice(0, i);
    if (p === '*' || hasWildcard(svc)) {
      ix.wild.push(p);
      continue;
    }
    const key = svc.toLowerCase();
    same = ix.bySvc.get(key);
    if (same) same.push(p);
    else ix.bySvc.set(key, (same = [p]));
    // Without a ":", the next pattern may start with this one and still be another service.
    if (i < 0) same = undefined;
    else prefix = p.slice(0, i + 1);
  }
  return ix;
}

function push<T>(m: Map<string, T[]>, key: string, x: T): void {
  const arr = m.get(key);
  if (arr) arr.push(x);
  else m.set(key, [x]);
}

/** The index's literal patterns by lower-case name (firstMatch's first look). */
function literalOf(ix: PatternIndex): Map<string, string> {
  if (!ix.literal) {
    ix.literal = new Map();
    for (const ps of ix.bySvc.values())
      for (const p of ps)
        if (!hasWildcard(p)) {
          const k = p.toLowerCase();
          if (!ix.literal.has(k)) ix.literal.set(k, p);
        }
  }
  return ix.literal;
}

/** An asked-for action in lower case and its service: rules ask about the same few hundred names for every principal. */
interface Query {
  lower: string;
  svc: string;
}
const queries = new Map<string, Query>();
function queryOf(action: string): Query {
  let q = queries.get(action);
  if (!q) {
    const lower = action.toLowerCase();
    const i = lower.indexOf(':');
    q = { lower, svc: i < 0 ? lower : lower.slice(0, i) };
    // Bounded: the names asked about come from the rules' tables and the documents' own actions.
    if (queries.size >= 20000) queries.clear();
    queries.set(action, q);
  }
  return q;
}

function firstMatch(list: string[], action: string): string | undefined {
  const ix = indexOf(list);
  const q = queryOf(action);
  const bySvc = ix.bySvc.get(q.svc);
  if (bySvc) {
    const lit = literalOf(ix).get(q.lower);
    if (lit !== undefined) return lit;
    for (const p of bySvc) if (hasWildcard(p) && globMatch(p, action)) return p;
  }
  for (const p of ix.wild) if (p === '*' || globMatch(p, action)) return p;
  return undefined;
}

export function stmtCoversAction(st: Stmt, action: string): string | undefined | false {
  if (st.action) return firstMatch(st.action, action) ?? false;
  if (st.notAction) return firstMatch(st.notAction, action) !== undefined ? false : undefined;
  return false;
}

/** Whether a statement's resources cover everything ("*" or NotResource). */
export function allResources(st: Stmt): boolean {
  if (st.notResource) return true;
  return (st.resource ?? []).some((r) => r === '*');
}

/** Whether every resource of the statement is a specific ARN (no wildcard at all). */
export function specificResources(st: Stmt): boolean {
  if (st.notResource || !st.resource || st.resource.length === 0) return false;
  return st.resource.every((r) => !hasWildcard(r));
}

export function isAllow(st: Stmt): boolean {
  return st.effect === 'Allow';
}

/**
 * The unconditional Deny statements of some documents. Cached only when there are some: most
 * documents hold none, and looking at their statements costs less than caching (a property
 * defined on the array).
 */
function denies(docs: DocView[]): Stmt[] {
  for (const d of docs) if (hasDeny(d)) return cachedOn(docs, DENIES, buildDenies);
  return NO_DENIES;
}

const NO_DENIES: Stmt[] = [];

/** Whether a document holds an unconditional Deny. */
function hasDeny(d: DocView): boolean {
  const sts = d.statements;
  for (let i = 0; i < sts.length; i++) if (unconditionalDeny(sts[i]!)) return true;
  return false;
}

function buildDenies(docs: DocView[]): Stmt[] {
  const out: Stmt[] = [];
  for (const d of docs) for (const st of d.statements) if (unconditionalDeny(st)) out.push(st);
  return out;
}

function unconditionalDeny(st: Stmt): boolean {
  return st.effect === 'Deny' && st.conditions.length === 0;
}

/**
 * Whether an unconditional Deny among `docs` takes `action` away on every resource the Allow
 * statement `st` grants it on: a Deny on "*", or one whose resource patterns cover each of the
 * Allow's resources (a Deny with NotResource is not counted: it leaves the named resources allowed).
 */
export function deniedFor(docs: DocView[], st: Stmt, action: string, covers?: (deny: Stmt) => boolean): boolean {
  return deniedBy(denies(docs), st, action, covers);
}

/** deniedFor with the unconditional Deny statements given. */
function deniedBy(ds: Stmt[], st: Stmt, action: string, covers?: (deny: Stmt) => boolean): boolean {
  for (const dst of ds) {
    if (dst.notResource || !(covers ? covers(dst) : stmtCoversAction(dst, action) !== false)) continue;
    const dr = dst.resource ?? [];
    if (dr.includes('*')) return true;
    if (st.notResource || !st.resource?.length) continue;
    if (st.resource.every((r) => dr.some((p) => globMatch(p, r)))) return true;
  }
  return false;
}

/**
 * Whether an unconditional Deny among `docs` takes `action` away on one named resource (a Deny on
 * "*" or a pattern matching it; a Deny with NotResource when the resource is not among the excepted).
 */
export function deniedOn(docs: DocView[], action: string, resource: string): boolean {
  for (const dst of denies(docs)) {
    if (stmtCoversAction(dst, action) === false) continue;
    if (dst.notResource ? !dst.notResource.some((p) => globMatch(p, resource)) : (dst.resource ?? []).some((p) => globMatch(p, resource))) return true;
  }
  return false;
}

/** A document as a document set of its own (one array per document, so its Deny list is cached once). */
function alone(d: DocView): DocView[] {
  return cachedOn(d, SINGLE, single);
}

function single(d: DocView): DocView[] {
  return [d];
}

/** deniedFor within one document: what a Deny in the same policy takes away. */
export function deniedInDoc(d: DocView, st: Stmt, action: string): boolean {
  return hasDeny(d) && deniedFor(alone(d), st, action);
}

/**
 * deniedInDoc for an action pattern as written ("iam:*", "*"): a Deny takes all of it away when one
 * of its Action patterns contains the whole pattern, or when none of its NotAction patterns
 * overlaps it (a Deny with NotAction "glue:Get*" leaves part of "glue:*" allowed).
 */
export function patternDeniedInDoc(d: DocView, st: Stmt, pattern: string): boolean {
  if (!hasDeny(d)) return false;
  return deniedFor(alone(d), st, pattern, (dst) => (dst.action ? dst.action.some((p) => globMatch(p, pattern)) : dst.notAction ? !dst.notAction.some((p) => globsIntersect(p, pattern)) : false));
}

/** What is worked out once per principal: the services its Allows can touch, and grantsOf by action. */
interface PrincipalGrants {
  /** Services an Allow of the principal can touch at all (a quick pre-filter for grantsOf). */
  svcs: Set<string>;
  any: boolean;
  byAction: Map<string, Grant[]>;
}

function principalGrants(p: PrincipalView): PrincipalGrants {
  return cachedOn(p, GRANTS, buildReach);
}

function buildReach(p: PrincipalView): PrincipalGrants {
  const r: PrincipalGrants = { svcs: new Set<string>(), any: false, byAction: new Map() };
  for (const d of p.docs)
    for (const st of d.statements) {
      if (!isAllow(st)) continue;
      if (st.notAction || !st.action) {
        r.any = true;
        continue;
      }
      for (const a of st.action) {
        const i = a.indexOf(':');
        const svc = i < 0 ? a : a.slice(0, i);
        if (a === '*' || hasWildcard(svc)) r.any = true;
        else r.svcs.add(svc.toLowerCase());
      }
    }
  return r;
}

const NONE: Grant[] = [];

/** One action of an ActionTable that a statement covers: its position in the table and the pattern that covers it (stmtCoversAction's answer). */
export interface TableHit {
  k: number;
  /** The Action pattern that matches (undefined when covered through NotAction). */
  pattern: string | undefined;
}

const NO_HITS: TableHit[] = [];
/** Longest Action list that coveredBy reads without an index. */
const SCAN_AT_MOST = 32;

/**
 * A fixed list of actions that rules ask about of every statement or principal (the escalation
 * paths, the sensitive reads, the credential actions), indexed by name and by service so that one
 * walk over a statement's Action patterns finds every listed action the statement covers: most
 * statements cover none, and a pattern of a service the list does not name costs one look-up.
 * Answers exactly what stmtCoversAction and grantsOf answer, action by action.
 */
export class ActionTable {
  readonly actions: readonly string[];
  /** Position by the name as listed. */
  private readonly position = new Map<string, number>();
  /** Positions by lower-case name. */
  private readonly byName = new Map<string, number[]>();
  /** Positions by lower-case service. */
  private readonly bySvc = new Map<string, number[]>();
  /** Where a principal's grants of the listed actions are cached. */
  private readonly key = Symbol('grants.actionTable');
  /** Builds a principal's grants (made once: cachedOn takes a function of the principal alone). */
  private readonly build: (p: PrincipalView) => Grant[][];

  /** The actions in the order given (an action listed twice is at two positions, as a rule's table lists it). */
  constructor(actions: readonly string[]) {
    this.actions = actions;
    this.actions.forEach((a, k) => {
      if (!this.position.has(a)) this.position.set(a, k);
      const q = queryOf(a);
      push(this.byName, q.lower, k);
      push(this.bySvc, q.svc, k);
    });
    this.build = (p) => tableGrants(p, this);
  }

  /** The position of an action as listed, if it is. */
  indexOf(action: string): number | undefined {
    return this.position.get(action);
  }

  /** The listed actions a statement covers (Action or NotAction; whatever its effect), in table order. */
  covered(st: Stmt): TableHit[] {
    if (st.action) return this.coveredBy(st.action);
    if (st.notAction) {
      let out: TableHit[] | undefined;
      for (let k = 0; k < this.actions.length; k++) if (firstMatch(st.notAction, this.actions[k]!) === undefined) (out ??= []).push({ k, pattern: undefined });
      return out ?? NO_HITS;
    }
    return NO_HITS;
  }

  /**
   * The listed actions an Action list covers, each with the pattern firstMatch would return: a
   * literal first, then a pattern of the action's service, then one with a wildcard in its
   * service part; the first in list order within each kind. Only the services the list and the
   * table share are looked at (the list's patterns by service: PatternIndex).
   */
  private coveredBy(list: string[]): TableHit[] {
    // A short list not indexed yet is read pattern by pattern: cheaper than building its index.
    if (list.length <= SCAN_AT_MOST && (list as unknown as Record<symbol, PatternIndex | undefined>)[INDEX] === undefined) return this.coveredByScan(list);
    const ix = indexOf(list);
    const out: TableHit[] = [];
    const kinds: number[] = [];
    // Indexed loops and forEach here and below: called for every statement and table, mostly before
    // it is optimised, when for-of allocates an iterator and a result (and a Map an entry) per step.
    if (ix.bySvc.size <= this.bySvc.size) {
      ix.bySvc.forEach((ps, svc) => {
        const ks = this.bySvc.get(svc);
        if (ks) this.coverService(ps, ks, out, kinds);
      });
    } else
      this.bySvc.forEach((ks, svc) => {
        const ps = ix.bySvc.get(svc);
        if (ps) this.coverService(ps, ks, out, kinds);
      });
    for (let w = 0; w < ix.wild.length; w++) this.coverWild(ix.wild[w]!, out, kinds);
    if (out.length === 0) return NO_HITS;
    return out.length > 1 ? out.sort((a, b) => a.k - b.k) : out;
  }

  /** coveredBy without an index: each pattern looked up in the table by its service. */
  private coveredByScan(list: string[]): TableHit[] {
    const out: TableHit[] = [];
    const kinds: number[] = [];
    // The previous literal service with its ":", and the table's positions of it (as buildIndex, a run of one service is looked up once).
    let prefix = '';
    let ks: number[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (prefix === '' || !p.startsWith(prefix)) {
        const c = p.indexOf(':');
        const svc = c < 0 ? p : p.slice(0, c);
        if (p === '*' || hasWildcard(svc)) {
          this.coverWild(p, out, kinds);
          continue;
        }
        ks = this.bySvc.get(svc.toLowerCase());
        prefix = c < 0 ? '' : p.slice(0, c + 1);
      }
      if (ks !== undefined) this.coverPattern(p, ks, out, kinds);
    }
    if (out.length === 0) return NO_HITS;
    return out.length > 1 ? out.sort((a, b) => a.k - b.k) : out;
  }

  /** coveredBy for the patterns `ps` of one service whose listed actions are at `ks`. */
  private coverService(ps: string[], ks: number[], out: TableHit[], kinds: number[]): void {
    for (let i = 0; i < ps.length; i++) this.coverPattern(ps[i]!, ks, out, kinds);
  }

  /** coveredBy for one pattern of a service whose listed actions are at `ks`: a literal by name, else each of them matched. */
  private coverPattern(p: string, ks: number[], out: TableHit[], kinds: number[]): void {
    if (!hasWildcard(p)) {
      const named = this.byName.get(p.toLowerCase());
      if (named) for (let j = 0; j < named.length; j++) note(out, kinds, named[j]!, p, 0);
    } else for (let j = 0; j < ks.length; j++) if (globMatch(p, this.actions[ks[j]!]!)) note(out, kinds, ks[j]!, p, 1);
  }

  /** coveredBy for a pattern with a wildcard in its service part ("*", "iam*:…"): every listed action matched. */
  private coverWild(p: string, out: TableHit[], kinds: number[]): void {
    for (let k = 0; k < this.actions.length; k++) if (p === '*' || globMatch(p, this.actions[k]!)) note(out, kinds, k, p, 2);
  }

  /** grantsOf for every listed action at once, by position (computed once per principal). */
  grantsOf(p: PrincipalView): Grant[][] {
    // Read here first: rules ask hundreds of times per principal, and cachedOn's look-up (one site for every cache) is slower.
    return (p as unknown as Record<symbol, Grant[][] | undefined>)[this.key] ?? cachedOn(p, this.key, this.build);
  }
}

/** Records that pattern `p` of kind `kind` (0 literal, 1 of the service, 2 wildcard service) covers position `k`: the first of the lowest kind wins. */
function note(out: TableHit[], kinds: number[], k: number, p: string, kind: number): void {
  for (let x = 0; x < out.length; x++)
    if (out[x]!.k === k) {
      if (kind < kinds[x]!) {
        out[x]!.pattern = p;
        kinds[x] = kind;
      }
      return;
    }
  out.push({ k, pattern: p });
  kinds.push(kind);
}

/** grantsIn for every action of a table: one walk over the principal's Allow statements. */
function tableGrants(p: PrincipalView, table: ActionTable): Grant[][] {
  let out: Grant[][] | undefined;
  const ds = denies(p.docs);
  for (let i = 0; i < p.docs.length; i++) {
    const d = p.docs[i]!;
    for (let j = 0; j < d.statements.length; j++) {
      const st = d.statements[j]!;
      if (!isAllow(st)) continue;
      const hits = table.covered(st);
      for (let h = 0; h < hits.length; h++) {
        const { k, pattern } = hits[h]!;
        if (ds.length && deniedBy(ds, st, table.actions[k]!)) continue;
        out ??= table.actions.map(() => NONE);
        const gs = out[k] === NONE ? (out[k] = []) : out[k]!;
        gs.push(pattern === undefined ? { doc: d, st } : { doc: d, st, pattern });
      }
    }
  }
  return out ?? NO_GRANTS;
}

const NO_GRANTS: Grant[][] = [];

/** The actions principal rules ask grantsOf about for every principal: the escalation table's and iam:PassRole. */
const ASKED = new ActionTable([...new Set([...ESCALATION_PATHS.flatMap((x) => x.needs.flat()), 'iam:PassRole'])]);

/** Whether the principal is granted any action of the escalation table or iam:PassRole (most are not: the escalation rules stop there). */
export function grantsEscalationActions(p: PrincipalView): boolean {
  return ASKED.grantsOf(p) !== NO_GRANTS;
}

/**
 * Allow statements granting `action` to the principal, less those an unconditional Deny takes away
 * on all their resources. Computed once per principal and action (privesc-action, privesc-pass-role
 * and cross-role ask about the same actions; those of the escalation table are found all at once,
 * in one walk over the principal's statements): the list returned is shared, and callers only read it.
 */
export function grantsOf(p: PrincipalView, action: string, extra: DocView[] = []): Grant[] {
  if (extra.length) return grantsIn([...p.docs, ...extra], action);
  const k = ASKED.indexOf(action);
  if (k !== undefined) return ASKED.grantsOf(p)[k] ?? NONE;
  const pg = principalGrants(p);
  if (!pg.any && !pg.svcs.has(queryOf(action).svc)) return NONE;
  let gs = pg.byAction.get(action);
  if (gs === undefined) pg.byAction.set(action, (gs = grantsIn(p.docs, action)));
  return gs;
}

function grantsIn(docs: DocView[], action: string): Grant[] {
  const out: Grant[] = [];
  for (const d of docs)
    for (const st of d.statements) {
      if (!isAllow(st)) continue;
      const m = stmtCoversAction(st, action);
      if (m === false) continue;
      if (deniedFor(docs, st, action)) continue;
      out.push(m === undefined ? { doc: d, st } : { doc: d, st, pattern: m });
    }
  return out;
}

/** The best (broadest) grant: unconditional on all resources first. */
export function broadest(grants: Grant[]): Grant | undefined {
  const score = (g: Grant) => (allResources(g.st) ? 2 : 0) + (g.st.conditions.length === 0 ? 1 : 0);
  let best: Grant | undefined;
  for (const g of grants) if (!best || score(g) > score(best)) best = g;
  return best;
}

/** Whether a grant is unconstrained: all resources and no condition. */
export function unconstrained(g: Grant): boolean {
  return allResources(g.st) && g.st.conditions.length === 0;
}
