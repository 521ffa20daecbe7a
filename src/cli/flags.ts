/**
 * Unknown flags, named as typed, with a did-you-mean. yargs reads `--no-X` as "X is false" for any
 * X: an unknown `--no-such-flag` came out as "Unknown arguments: such-flag, suchFlag", and `--no-out`
 * on a string option handed `false` to the command (a crash). Only declared booleans have a `--no-`
 * form here. Runs before yargs' own strict check, with the options of the command being run.
 */
import type { InputProblem } from '../diagnostics.js';

/** The parts of yargs' `getOptions()` read here. */
export interface DeclaredOptions {
  key: Record<string, unknown>;
  boolean: string[];
  alias: Record<string, string[]>;
  hiddenOptions?: string[];
}

const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest candidate, if close enough to be a typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD || (d === bestD && best !== undefined && c < best)) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.min(3, Math.floor(name.length / 3))) ? best : undefined;
}

/** One problem per unknown long flag in `tokens` (the raw command line, up to `--`). */
export function flagProblems(tokens: string[], o: DeclaredOptions): InputProblem[] {
  const names = new Set<string>();
  for (const k of Object.keys(o.key)) names.add(k);
  for (const [k, v] of Object.entries(o.alias)) {
    names.add(k);
    for (const a of v) names.add(a);
  }
  const known = new Set([...names].map(kebab));
  const booleans = new Set<string>();
  for (const b of o.boolean) {
    booleans.add(kebab(b));
    for (const a of o.alias[b] ?? []) booleans.add(kebab(a));
  }
  const hidden = new Set((o.hiddenOptions ?? []).map(kebab));
  // Suggestions: the long options --help shows (not positionals, which have no key).
  const visible = Object.keys(o.key).map(kebab).filter((k) => k.length > 1 && !hidden.has(k));
  const visibleBooleans = visible.filter((k) => booleans.has(k));

  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t === '--') break;
    if (!t.startsWith('--') || t.length < 3) continue;
    const typed = t.slice(2).split('=')[0]!;
    const name = kebab(typed);
    if (seen.has(typed) || known.has(name)) continue;
    seen.add(typed);
    // yargs negates only the literal `--no-` prefix (`--noColor` is just unknown).
    if (typed.startsWith('no-') && name.length > 3) {
      const base = name.slice(3);
      if (booleans.has(base)) continue;
      if (known.has(base)) {
        problems.push({ message: `--${typed}: --${base} takes a value and has no --no- form`, hint: `omit --${base} instead` });
        continue;
      }
      const near = closest(name, visibleBooleans.map((b) => `no-${b}`));
      problems.push({ message: `unknown option --${typed}${near ? `: did you mean --${near}?` : ''}` });
      continue;
    }
    const near = closest(name, [...visible, ...visibleBooleans.map((b) => `no-${b}`)]);
    problems.push({ message: `unknown option --${typed}${near ? `: did you mean --${near}?` : ''}` });
  }
  return problems;
}
