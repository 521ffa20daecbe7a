/**
 * A loaded YAML spec's shape — the plain JS value plus a map from JSON-pointer paths to source
 * positions — and the pointer helpers every stage uses. The loader itself (js-yaml's event
 * stream) is src/spec/yaml-load.ts, apart, so what only points into a spec (the linter's rules, a
 * plain policy file's lint) does not load js-yaml.
 */
import type { InputProblem, SourcePos } from '../diagnostics.js';

export const MAX_SPEC_BYTES = 5 * 1024 * 1024;
export const MAX_DEPTH = 64;
/** Nodes after alias expansion; a real spec has a few thousand at most. */
export const MAX_EXPANDED_NODES = 200_000;

export type YamlValue = null | boolean | number | string | YamlValue[] | { [k: string]: YamlValue };

export interface NodePos {
  /** Where the value starts. */
  value: SourcePos;
  /** Where the mapping key naming this value starts (absent for sequence items and the root). */
  key?: SourcePos;
  /** The source text of a plain scalar that YAML resolved to a number, boolean or null (`4410`, `true`). */
  plain?: string;
}

export interface LoadedYaml {
  file: string;
  text: string;
  value: YamlValue;
  /** JSON pointer ("" = root, "/services/web/policies/0") → position. */
  positions: Map<string, NodePos>;
  /** Non-fatal problems (duplicate keys, unsupported tags) when loaded with `collect: true`. */
  problems: InputProblem[];
}

/** Escape one JSON-pointer segment (RFC 6901). */
export function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => '/' + pointerSegment(s)).join('');
}

/** The unescaped segments of a JSON pointer (RFC 6901; "" is the root, no segments). */
export function pointerSegments(ptr: string): string[] {
  return ptr === '' ? [] : ptr.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The position of a path, or of its nearest ancestor that has one. */
export function positionOf(y: Pick<LoadedYaml, 'positions' | 'file'>, path: string, which: 'key' | 'value' = 'value'): SourcePos {
  let p = path;
  for (;;) {
    const np = y.positions.get(p);
    if (np) return (which === 'key' && np.key) || np.value;
    if (p === '') return { file: y.file, line: 1, col: 1 };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
