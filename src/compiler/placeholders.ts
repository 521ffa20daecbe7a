/**
 * `{name}` placeholders in spec strings: {region} {accountId} {partition} and template params.
 * IAM policy variables (`${aws:username}`) are left alone. A string element of a list that holds a
 * list-valued param expands into one element per value.
 */
import type { ConditionValue } from '../policy/types.js';

/** `{name}` not preceded by `$` (so `${aws:username}` is an IAM policy variable, not ours). */
const PLACEHOLDER = /(?<!\$)\{([A-Za-z][A-Za-z0-9_]*)\}/g;

export type PlaceholderValue = string | string[];

export interface PlaceholderScope {
  /** Values by name. A missing name is unresolved. */
  values: ReadonlyMap<string, PlaceholderValue>;
  /** Names that are known but have no value here (e.g. accountId with no `account`), with a hint. */
  missingHints?: ReadonlyMap<string, string>;
}

export interface Unresolved {
  name: string;
  hint?: string;
}

export function hasPlaceholder(s: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(s);
}

/**
 * Substitute every placeholder. Returns one string per combination of list values (usually one).
 * Unresolved names are collected into `unresolved` and left in place.
 */
export function expandPlaceholders(s: string, scope: PlaceholderScope, unresolved: Unresolved[]): string[] {
  if (!s.includes('{')) return [s];
  let results = [''];
  let last = 0;
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(s); m; m = PLACEHOLDER.exec(s)) {
    const lit = s.slice(last, m.index);
    last = m.index + m[0].length;
    const name = m[1]!;
    const v = scope.values.get(name);
    let parts: string[];
    if (v === undefined) {
      if (!unresolved.some((u) => u.name === name)) unresolved.push({ name, hint: scope.missingHints?.get(name) });
      parts = [m[0]];
    } else parts = Array.isArray(v) ? v : [v];
    const next: string[] = [];
    for (const r of results) for (const p of parts) next.push(r + lit + p);
    results = next;
  }
  const tail = s.slice(last);
  return results.map((r) => r + tail);
}

/** Substitute in a scalar context: list values are joined by "," (callers avoid this for lists). */
export function expandScalar(s: string, scope: PlaceholderScope, unresolved: Unresolved[]): string {
  const all = expandPlaceholders(s, scope, unresolved);
  return all.length === 1 ? all[0]! : all.join(',');
}

export function expandList(list: readonly string[], scope: PlaceholderScope, unresolved: Unresolved[]): string[] {
  const out: string[] = [];
  for (const s of list) out.push(...expandPlaceholders(s, scope, unresolved));
  return out;
}

/** A condition value with placeholders substituted: each string of a list may expand to several; a scalar that expands to several becomes a list. */
export function expandConditionValue(v: ConditionValue, scope: PlaceholderScope, unresolved: Unresolved[]): ConditionValue {
  if (Array.isArray(v)) return v.flatMap((x): Array<string | number | boolean> => (typeof x === 'string' ? expandPlaceholders(x, scope, unresolved) : [x]));
  if (typeof v === 'string') {
    const all = expandPlaceholders(v, scope, unresolved);
    return all.length === 1 ? all[0]! : all;
  }
  return v;
}
