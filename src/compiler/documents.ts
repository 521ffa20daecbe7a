/**
 * Sourced statements → CompiledDocument: the canonical document (src/policy/canonical.ts), its
 * hash and size, and one origin per canonical statement (origins of merged statements are unioned).
 */
import { canonicalJson, canonicalPolicy, canonicalStatement, mergeKey, policySize, sha256Hex } from '../policy/canonical.js';
import type { PolicyStatement } from '../policy/types.js';
import type { SourcePos } from '../diagnostics.js';
import type { CompiledDocument, StatementOrigin } from './types.js';
import type { SourcedStatement } from './permissions.js';

/** The key canonicalPolicy merges by (everything but Action); a statement it never merges is keyed by all of it. */
function originKey(s: PolicyStatement): string {
  const k = mergeKey(s);
  return k === undefined ? 'full:' + JSON.stringify(s) : 'merge:' + k;
}

function posKey(p: SourcePos): string {
  return `${p.file}\u0000${String(p.line).padStart(8, '0')}\u0000${String(p.col).padStart(6, '0')}`;
}

function unionOrigins(list: StatementOrigin[]): StatementOrigin {
  const pos = new Map<string, SourcePos>();
  const from = new Set<string>();
  for (const o of list) {
    for (const p of o.pos) if (!pos.has(posKey(p))) pos.set(posKey(p), p);
    for (const f of o.from) from.add(f);
  }
  // Keep the first origin's primary position first; the rest in source order, for determinism.
  const primary = list[0]?.pos[0];
  const rest = [...pos.entries()].filter(([k]) => !primary || k !== posKey(primary)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
  return { pos: primary ? [primary, ...rest] : rest, from: [...from].sort() };
}

export function compileDocument(stmts: readonly SourcedStatement[]): CompiledDocument {
  const doc = canonicalPolicy({ Statement: stmts.map((s) => s.statement) });
  // Attribute origins: each input statement lands in the output statement with its merge key.
  const byKey = new Map<string, StatementOrigin[]>();
  // Inputs sorted by primary position so the union (and its "first") does not depend on input order.
  const sorted = [...stmts].sort((a, b) => {
    const ka = a.origin.pos[0] ? posKey(a.origin.pos[0]) : '';
    const kb = b.origin.pos[0] ? posKey(b.origin.pos[0]) : '';
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  for (const s of sorted) {
    const k = originKey(canonicalStatement(s.statement));
    const l = byKey.get(k);
    if (l) l.push(s.origin);
    else byKey.set(k, [s.origin]);
  }
  const origins = doc.Statement.map((st) => unionOrigins(byKey.get(originKey(st)) ?? []));
  const json = canonicalJson(doc);
  return { document: doc, hash: sha256Hex(json), size: policySize(json), origins };
}
