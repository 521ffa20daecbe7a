/**
 * Inline-policy overflow. IAM caps a role's inline policies at 10,240 non-whitespace characters in
 * total and a managed policy at 6,144. When the inline document is too large, statements move into
 * customer-managed policies (packed first-fit-decreasing, deterministic), up to the managed-policy
 * quota per role (attached AWS policies count). A statement too large for one policy is split by its
 * Action (or Resource) list: the union of the parts grants exactly what the whole did, never more.
 * NotAction lists are never split (that would broaden).
 */
import { canonicalJson, canonicalPolicy, policySize } from '../policy/canonical.js';
import type { PolicyStatement } from '../policy/types.js';
import type { SourcedStatement } from './permissions.js';

export const INLINE_AGGREGATE_LIMIT = 10_240;
export const MANAGED_POLICY_LIMIT = 6_144;

/** Size of a document holding exactly these (canonical) statements. */
export function docSize(stmts: readonly PolicyStatement[]): number {
  return policySize(canonicalJson(canonicalPolicy({ Statement: [...stmts] })));
}

const EMPTY_DOC = docSize([]);

function stmtSize(s: PolicyStatement): number {
  return policySize(canonicalJson(s));
}

/** Split one statement until each part fits `limit` as a whole document. Returns undefined when it cannot. */
function splitToFit(s: SourcedStatement, limit: number): SourcedStatement[] | undefined {
  if (EMPTY_DOC + stmtSize(s.statement) <= limit) return [s];
  const st = s.statement;
  for (const key of ['Action', 'Resource', 'NotResource'] as const) {
    const v = st[key];
    if (!Array.isArray(v) || v.length < 2) continue;
    const mid = Math.ceil(v.length / 2);
    const a = splitToFit({ statement: { ...st, [key]: v.slice(0, mid) }, origin: s.origin }, limit);
    const b = splitToFit({ statement: { ...st, [key]: v.slice(mid) }, origin: s.origin }, limit);
    if (a && b) return [...a, ...b];
  }
  return undefined;
}

export interface OverflowResult {
  inline: SourcedStatement[];
  managed: SourcedStatement[][];
}

export type OverflowError = { kind: 'statement-too-large'; size: number; origin: SourcedStatement['origin'] } | { kind: 'too-many'; needed: number; available: number; inlineSize: number; sizes: number[] };

/**
 * Partition canonical statements into the inline document and managed documents.
 * `stmts` are the canonical statements of the inline document, with origins.
 */
export function splitOverflow(stmts: readonly SourcedStatement[], slots: number): OverflowResult | OverflowError {
  const total = docSize(stmts.map((s) => s.statement));
  if (total <= INLINE_AGGREGATE_LIMIT) return { inline: [...stmts], managed: [] };
  // Keep statements inline in canonical order while they fit; the rest move out.
  const inline: SourcedStatement[] = [];
  const moved: SourcedStatement[] = [];
  let used = EMPTY_DOC;
  for (const s of stmts) {
    const add = stmtSize(s.statement) + (inline.length ? 1 : 0);
    if (moved.length === 0 && used + add <= INLINE_AGGREGATE_LIMIT) {
      inline.push(s);
      used += add;
    } else moved.push(s);
  }
  const pieces: SourcedStatement[] = [];
  for (const s of moved) {
    const parts = splitToFit(s, MANAGED_POLICY_LIMIT);
    if (!parts) return { kind: 'statement-too-large', size: stmtSize(s.statement), origin: s.origin };
    pieces.push(...parts);
  }
  // First-fit decreasing; ties broken by canonical bytes so the packing is deterministic.
  const keyed = pieces.map((p) => ({ p, size: stmtSize(p.statement), json: canonicalJson(p.statement) }));
  keyed.sort((a, b) => b.size - a.size || (a.json < b.json ? -1 : a.json > b.json ? 1 : 0));
  const bins: Array<{ items: SourcedStatement[]; used: number }> = [];
  for (const k of keyed) {
    let bin = bins.find((b) => b.used + k.size + (b.items.length ? 1 : 0) <= MANAGED_POLICY_LIMIT);
    if (!bin) {
      bin = { items: [], used: EMPTY_DOC };
      bins.push(bin);
    }
    bin.used += k.size + (bin.items.length ? 1 : 0);
    bin.items.push(k.p);
  }
  // Canonical merging inside a bin can only shrink it, so the estimate is an upper bound.
  if (bins.length > slots) return { kind: 'too-many', needed: bins.length, available: slots, inlineSize: total, sizes: bins.map((b) => b.used) };
  return { inline, managed: bins.map((b) => b.items) };
}
