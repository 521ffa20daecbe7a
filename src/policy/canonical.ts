/**
 * Canonical form of IAM policy documents (design.md §5): the one place that decides how a document
 * is normalised, serialised, measured and hashed. compile emits it, plan compares live documents
 * in it, lint measures it.
 *
 * - statements with equal Sid, Effect, Principal, Resource and Condition are merged (actions
 *   unioned: never broadens);
 * - actions and resources de-duplicated and sorted case-insensitively; condition operators, keys
 *   and values sorted; a one-element list is written as a plain string;
 * - keys in a fixed order; statements sorted by their canonical bytes;
 * - no whitespace outside strings (IAM does not count whitespace toward size quotas).
 */
import * as crypto from 'node:crypto';
import type { ConditionBlock, ConditionValue, PolicyDocument, PolicyStatement, PrincipalValue } from './types.js';
import { POLICY_VERSION } from './types.js';

const STATEMENT_KEYS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;

/**
 * One-shot crypto.hash (Node 20.12+) where there is one: about half the cost of a Hash object per
 * call (a lint hashes each finding's fingerprint); the same bytes hashed (a string as UTF-8).
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'hex') => string }).hash;

export function sha256Hex(s: string | Buffer): string {
  return oneShot ? oneShot('sha256', s, 'hex') : crypto.createHash('sha256').update(s).digest('hex');
}

function cmpCi(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la < lb) return -1;
  if (la > lb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function asList<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** De-duplicated (exact), sorted case-insensitively. */
export function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort(cmpCi);
}

function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0]! : values;
}

function canonicalCondition(c: ConditionBlock): ConditionBlock {
  const out: ConditionBlock = {};
  for (const op of Object.keys(c).sort(cmpCi)) {
    const inner: Record<string, ConditionValue> = {};
    const block = c[op]!;
    for (const key of Object.keys(block).sort(cmpCi)) {
      const v = block[key]!;
      if (Array.isArray(v)) {
        const strs = [...new Set(v.map((x) => String(x)))].sort(cmpCi);
        inner[key] = strs.length === 1 ? strs[0]! : strs;
      } else inner[key] = String(v);
    }
    out[op] = inner;
  }
  return out;
}

function canonicalPrincipal(p: PrincipalValue): PrincipalValue {
  if (p === '*') return '*';
  const out: Record<string, string | string[]> = {};
  for (const k of Object.keys(p).sort(cmpCi)) out[k] = oneOrMany(sortedUnique(asList(p[k]!)));
  return out;
}

/** One statement in canonical key order with sorted lists. */
export function canonicalStatement(s: PolicyStatement): PolicyStatement {
  const out: Record<string, unknown> = {};
  for (const k of STATEMENT_KEYS) {
    const v = s[k];
    if (v === undefined) continue;
    switch (k) {
      case 'Principal':
      case 'NotPrincipal':
        out[k] = canonicalPrincipal(v as PrincipalValue);
        break;
      case 'Action':
      case 'NotAction':
      case 'Resource':
      case 'NotResource':
        out[k] = oneOrMany(sortedUnique(asList(v as string | string[])));
        break;
      case 'Condition':
        if (Object.keys(v as ConditionBlock).length) out[k] = canonicalCondition(v as ConditionBlock);
        break;
      default:
        out[k] = v;
    }
  }
  return out as unknown as PolicyStatement;
}

/** Key that decides whether two statements may be merged by unioning their actions; undefined: never merged. */
export function mergeKey(s: PolicyStatement): string | undefined {
  if (s.NotAction !== undefined || s.Action === undefined) return undefined;
  const { Action: _a, ...rest } = s;
  return JSON.stringify(rest);
}

export function canonicalPolicy(doc: PolicyDocument): PolicyDocument {
  const stmts = asList(doc.Statement).map(canonicalStatement);
  const merged: PolicyStatement[] = [];
  const byKey = new Map<string, PolicyStatement>();
  for (const s of stmts) {
    const key = mergeKey(s);
    const into = key !== undefined ? byKey.get(key) : undefined;
    if (into) {
      into.Action = oneOrMany(sortedUnique([...asList(into.Action), ...asList(s.Action)]));
      continue;
    }
    const copy = { ...s };
    merged.push(copy);
    if (key !== undefined) byKey.set(key, copy);
  }
  // Re-canonicalise merged statements so key order holds, then sort for a stable order.
  const finalStmts = merged.map(canonicalStatement);
  const keyed = finalStmts.map((s) => [JSON.stringify(s), s] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: PolicyDocument = { Version: doc.Version ?? POLICY_VERSION, Statement: keyed.map(([, s]) => s) };
  if (doc.Id !== undefined) return { Version: out.Version, Id: doc.Id, Statement: out.Statement };
  return out;
}

/** Compact JSON with object keys in insertion order (callers canonicalise first). */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v);
}

/** Pretty form of a canonical document, for files and diffs. */
export function prettyJson(v: unknown): string {
  return JSON.stringify(v, null, 2) + '\n';
}

/** Characters IAM counts toward its quotas: everything except whitespace outside strings. */
export function policySize(doc: PolicyDocument | string): number {
  const s = typeof doc === 'string' ? doc : canonicalJson(doc);
  let n = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inStr) {
      n++;
      if (c === 92) {
        i++;
        n++;
      } else if (c === 34) inStr = false;
    } else if (c === 34) {
      inStr = true;
      n++;
    } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9) n++;
  }
  return n;
}

/** sha256 of the canonical bytes of a document. */
export function policyHash(doc: PolicyDocument): string {
  return sha256Hex(canonicalJson(canonicalPolicy(doc)));
}
