/**
 * Issue 11 §4: case tables and their builders are test code; the build (dist/ from tsc, and the
 * esbuild bundle in dist/bundle/) holds none. Needs `npm run build` first (npm test does).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ALL_RULES } from '../../src/linter/rules/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
}

/** What only a case table or its builders contain: a row's `fire:` flag, the case spec header, a `mutate(bundle)` hook. */
const MARKERS: Array<[string, RegExp]> = [
  ['a case row (fire: true|false)', /\bfire\s*:\s*(?:true|false|!0|!1)\b/],
  ['the case spec header (SPEC_HEAD)', /name: case\\nregion: /],
  ['a case table (cases: [)', /\bcases\s*:\s*\[/],
];

describe('case tables do not ship', () => {
  it('no rule object carries a case table (source)', () => {
    expect(ALL_RULES.filter((r) => 'cases' in r).map((r) => r.meta.id)).toEqual([]);
  });

  it('dist/ exists (npm run build)', () => {
    expect(existsSync(join(DIST, 'cli', 'main.js')), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true);
    expect(existsSync(join(DIST, 'bundle', 'main.js')), 'dist/bundle is missing: run `npm run build`').toBe(true);
  });

  it('no rule object of the built rule set carries a case table (dist/linter/rules/index.js)', async () => {
    const built = (await import(pathToFileURL(join(DIST, 'linter', 'rules', 'index.js')).href)) as { ALL_RULES: Array<{ meta: { id: string } }> };
    expect(built.ALL_RULES.length).toBe(ALL_RULES.length);
    expect(built.ALL_RULES.filter((r) => 'cases' in r).map((r) => r.meta.id)).toEqual([]);
  });

  it('no file of dist/ (tsc output and the esbuild bundle) holds a case row, the case spec header or a case table', () => {
    const files = jsFiles(DIST);
    expect(files.some((f) => f.includes(`${join('dist', 'bundle')}`))).toBe(true);
    const hits = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return MARKERS.filter(([, re]) => re.test(text)).map(([what]) => `${relative(ROOT, f)}: ${what}`);
    });
    expect(hits).toEqual([]);
  });

  it('the markers do find what they look for (a table back in a rule module would be caught)', () => {
    const table = readFileSync(join(ROOT, 'test', 'rules', 'cases', 'imds-v2.ts'), 'utf8');
    const util = readFileSync(join(ROOT, 'test', 'rules', 'cases', 'util.ts'), 'utf8');
    expect([MARKERS[0]![1].test(table), MARKERS[1]![1].test(util), MARKERS[2]![1].test("  cases: [\n    { name: 'x', fire: true },")]).toEqual([true, true, true]);
  });
});
