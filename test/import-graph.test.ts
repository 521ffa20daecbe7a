/**
 * The layering of src/ (design.md: cli → {compiler, linter, plan, apply} → {aws, policy, spec}),
 * read from the sources: every static import, re-export, type import and dynamic import().
 * The linter and the planner/executor do not know each other; the AWS layer imports none of
 * compiler, linter, plan or apply (its callers tell it what to read).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Top-level folder under src/ of a file ("diagnostics.ts" for a file directly in src/). */
function layer(file: string): string {
  return relative(SRC, file).split(sep)[0]!;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.[^'"]+)['"]/g;

/** Every relative import of each file under src/, resolved to a file path. */
function edges(): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  for (const f of files(SRC)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) out.push({ from: f, to: resolve(dirname(f), m[1]!.replace(/\.js$/, '.ts')) });
  }
  return out;
}

const FORBIDDEN: Array<[string, string[]]> = [
  // The linter is the engine; inputs, endpoints, baselines, formatter choice and exit code live in src/cli (lint-run.ts).
  // It gets Access Analyzer's results and live state as data (src/cli/lint-aa.ts, lint-live.ts make the calls): no src/aws either.
  ['linter', ['aws', 'plan', 'apply', 'cli']],
  ['plan', ['linter']],
  ['apply', ['linter']],
  ['aws', ['compiler', 'linter', 'plan', 'apply']],
];

describe('import graph of src/', () => {
  const all = edges();

  it('sees the imports it checks (static, type-only and dynamic)', () => {
    const rel = (e: { from: string; to: string }) => `${relative(SRC, e.from)} -> ${relative(SRC, e.to)}`;
    const seen = new Set(all.map(rel));
    expect(seen.has(`cli${sep}lint.ts -> cli${sep}lint-run.ts`)).toBe(true); // dynamic import()
    expect(seen.has(`plan${sep}types.ts -> policy${sep}live-types.ts`)).toBe(true); // import type
    expect(all.length).toBeGreaterThan(200);
  });

  for (const [from, banned] of FORBIDDEN) {
    it(`no arrow from src/${from} to ${banned.map((b) => `src/${b}`).join(', ')}`, () => {
      const bad = all.filter((e) => layer(e.from) === from && banned.includes(layer(e.to))).map((e) => `${relative(SRC, e.from)} imports ${relative(SRC, e.to)}`);
      expect(bad).toEqual([]);
    });
  }
});
