/** Spec-loading test helper: the problems parseSpec reports, as `line:col message (hint)` lines. */
import { parseSpec } from '../src/spec/load.js';
import { InputError } from '../src/diagnostics.js';

export function specProblems(text: string): string[] {
  try {
    parseSpec(text, 'spec.yaml');
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => `${p.pos?.line}:${p.pos?.col} ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
    throw e;
  }
  return [];
}
