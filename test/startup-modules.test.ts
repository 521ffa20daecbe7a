/**
 * Start-up (issue 14): a command loads only the bundle chunks it needs. `charter lint` of a plain
 * policy file loads neither js-yaml (src/spec/yaml-load.ts holds the only import of it) nor the
 * spec loader; string-width's Unicode tables are built only when help text is laid out
 * (scripts/build-bundle.mjs).
 */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binCopy, charterProcess, moduleLoadLog } from './cli-support.js';

it('lint of a plain policy file loads no YAML parser', async () => {
  const mods = moduleLoadLog();
  // The ESM bundle's chunks (a run from the code-cached script, test/code-cache.test.ts, loads none).
  const r = await charterProcess(['lint', 'test/fixtures/lint/cml-worker.json', '--format', 'json'], { nodeArgs: mods.nodeArgs, bin: binCopy('missing') });
  expect(r.code).toBe(1);
  const chunks = mods.loaded().filter((u) => /\/dist\/bundle\/[^/]+\.js$/.test(u));
  expect(chunks.some((u) => /\/lint-run-\w+\.js$/.test(u))).toBe(true);
  // js-yaml's own message text, in whichever chunk holds it.
  const yamlChunks = chunks.filter((u) => readFileSync(fileURLToPath(u), 'utf8').includes('unacceptable kind of an object to dump'));
  expect(yamlChunks).toEqual([]);
  expect(chunks.filter((u) => /\/load-\w+\.js$/.test(u))).toEqual([]);
  // The lint ran from the bundle (the check above would pass vacuously on a run that loaded nothing).
  expect(chunks.length).toBeGreaterThan(5);
});

it('the bundle builds string-width lazily (no Intl.Segmenter at module evaluation)', () => {
  // A chunk's top level (column 0 after minifyWhitespace is not guaranteed): the lazy wrapper is there.
  const dir = fileURLToPath(new URL('../dist/bundle/', import.meta.url));
  const log = readFileSync(join(dir, 'main.js'), 'utf8');
  const yargsChunk = /\.\/(yargs-\w+\.js)/.exec(log)![1]!;
  const src = readFileSync(join(dir, yargsChunk), 'utf8');
  expect(src).toContain('stringWidthInit');
  expect(src.split('new Intl.Segmenter').length - 1).toBe(src.split('function stringWidthInit').length - 1);
});
