/**
 * Turn a raw policy document (possibly malformed) into the statement model rules read. Shape
 * problems are left for the grammar rules; here anything unusable is simply skipped.
 */
import type { Cond, DocView, Loc, Stmt } from './types.js';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strList(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

const SET_OPS = ['ForAllValues', 'ForAnyValue'] as const;

export function parseOperator(op: string): { base: string; set?: 'ForAllValues' | 'ForAnyValue'; ifExists: boolean } {
  let rest = op;
  let set: 'ForAllValues' | 'ForAnyValue' | undefined;
  for (const s of SET_OPS) {
    if (rest.startsWith(s + ':')) {
      set = s;
      rest = rest.slice(s.length + 1);
    }
  }
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'IfExists') {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  return set ? { base: rest, set, ifExists } : { base: rest, ifExists };
}

/** Each operator's parts, worked out once per run (a corpus repeats a few dozen operators thousands of times). */
const operators = new Map<string, ReturnType<typeof parseOperator>>();

function conditions(c: unknown): Cond[] {
  if (!isObject(c)) return [];
  const out: Cond[] = [];
  for (const op of Object.keys(c)) {
    const block = c[op];
    if (!isObject(block)) continue;
    let parts = operators.get(op);
    if (parts === undefined) {
      if (operators.size >= 1024) operators.clear();
      operators.set(op, (parts = parseOperator(op)));
    }
    const { base, set, ifExists } = parts;
    for (const key of Object.keys(block)) {
      const raw = block[key];
      // The scalars among the values (of a list: its elements that are there), as strings.
      const values: string[] = [];
      if (Array.isArray(raw)) {
        for (let i = 0; i < raw.length; i++) {
          const x: unknown = raw[i];
          if (x !== null && typeof x !== 'object' && i in raw) values.push(String(x));
        }
      } else if (raw !== null && typeof raw !== 'object') values.push(String(raw));
      // One shape for every condition (set undefined when absent).
      out.push({ op, base, set, ifExists, key, values, raw });
    }
  }
  return out;
}

/** The statements of a document (Statement may be one object or a list). */
export function rawStatements(doc: unknown): unknown[] {
  if (!isObject(doc)) return [];
  const s = doc.Statement;
  if (Array.isArray(s)) return s;
  if (isObject(s)) return [s];
  return [];
}

export function statementPointer(doc: unknown, i: number): string {
  return isObject(doc) && Array.isArray(doc.Statement) ? `/Statement/${i}` : '/Statement';
}

export function normalizeStatements(doc: unknown): Stmt[] {
  const out: Stmt[] = [];
  const raw = rawStatements(doc);
  for (let index = 0; index < raw.length; index++) {
    const s = raw[index];
    if (!isObject(s)) continue;
    // Every field set, in one order, absent ones undefined: one object shape for every statement,
    // so the rules' property reads stay monomorphic (a shape per combination of elements made them
    // megamorphic and deoptimised the rules on a corpus).
    const st: Stmt = {
      index,
      raw: s,
      sid: typeof s.Sid === 'string' ? s.Sid : undefined,
      effect: typeof s.Effect === 'string' ? s.Effect : undefined,
      action: strList(s.Action),
      notAction: strList(s.NotAction),
      resource: strList(s.Resource),
      notResource: strList(s.NotResource),
      principal: s.Principal,
      notPrincipal: s.NotPrincipal,
      conditions: conditions(s.Condition),
    };
    out.push(st);
  }
  return out;
}

/** Index of a string value inside a statement element that may be a string or a list. */
export function elementPath(st: Stmt, element: 'Action' | 'NotAction' | 'Resource' | 'NotResource', value: string): Array<string | number> {
  const v = st.raw[element];
  if (Array.isArray(v)) {
    const i = v.indexOf(value);
    return i >= 0 ? [element, i] : [element];
  }
  return [element];
}

/** Whether a statement document has a policy variable anywhere in Resource or Condition values. */
export function usesPolicyVariables(st: Stmt): boolean {
  const has = (s: string) => /\$\{[^}]+\}/.test(s);
  return (st.resource ?? []).some(has) || (st.notResource ?? []).some(has) || st.conditions.some((c) => c.values.some(has));
}

/**
 * A document that has no source positions of its own (an AWS managed policy modelled by name, a
 * live role's policy): every position is `at`, the place in the spec that brings it in.
 */
export function docAt(o: { id: string; label: string; kind: 'identity' | 'trust'; raw: unknown; at: Loc; principalId: string }): DocView {
  return {
    id: o.id,
    label: o.label,
    kind: o.kind,
    container: o.kind === 'trust' ? 'trust' : 'managed',
    raw: o.raw,
    statements: normalizeStatements(o.raw),
    size: 0,
    file: o.at.file,
    pos: () => o.at,
    keyPos: () => o.at,
    principalId: o.principalId,
    fromSpec: true,
  };
}
