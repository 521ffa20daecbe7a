/**
 * Golden tests: every spec in fixtures/ compiles to exactly the bundle pinned in
 * test/golden/<fixture>.json, and to exactly the `--out` file tree pinned in
 * test/golden/<fixture>.files.json (file path → sha256).
 *
 * After an intended change to compile output (e.g. the launch helper changes user-data), review the
 * diff and regenerate with:
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts
 *
 * then `git diff test/golden/` shows exactly what changed.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { bundleFiles } from '../src/compiler/output.js';
import { prettyJson, sha256Hex } from '../src/policy/canonical.js';

const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const GOLDEN = 'test/golden';
const fixtures = readdirSync('fixtures').filter((f) => f.endsWith('.yaml')).sort();

function check(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (UPDATE || !existsSync(path)) {
    if (!UPDATE) throw new Error(`missing golden file ${path}: run UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts`);
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual, `${path} differs: if intended, regenerate with UPDATE_GOLDEN=1`).toBe(readFileSync(path, 'utf8'));
}

describe('golden compile outputs', () => {
  it('has a fixture per seed scenario', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(11);
  });
  for (const f of fixtures) {
    it(`fixtures/${f}`, async () => {
      const bundle = await compileSpec(loadSpecFile(join('fixtures', f)));
      const name = f.replace(/\.yaml$/, '');
      check(`${name}.json`, prettyJson(bundle));
      const files = bundleFiles(bundle);
      const listing: Record<string, string> = {};
      for (const k of [...files.keys()].sort()) listing[k] = sha256Hex(files.get(k)!);
      check(`${name}.files.json`, prettyJson(listing));
    });
  }
});
