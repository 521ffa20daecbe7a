/**
 * Start-up (issue 14): a command loads only the bundle chunks it needs. `charter lint` of a plain
 * policy file loads neither js-yaml (src/spec/yaml-load.ts holds the only import of it) nor the
 * spec loader; string-width's Unicode tables are built only when help text is laid out
 * (scripts/build-bundle.mjs).
 */
import { expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, binCopy, charterProcess, moduleLoadLog } from './cli-support.js';

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

it('run from a directory with no package.json above it, yargs does not load node:assert (it looks for its package.json in the package, not from the current directory up)', async () => {
  const d = mkdtempSync(join(tmpdir(), 'charter-cwd-'));
  const log = join(d, 'modules.txt');
  const hook = join(d, 'hook.cjs');
  writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(log)}, process.moduleLoadList.join('\\n')));`);
  const r = await charterProcess(['lint', join(ROOT, 'test/fixtures/lint/cml-worker.json'), '--format', 'json'], { cwd: d, nodeArgs: ['--require', hook] });
  expect(r.code).toBe(1);
  const loaded = readFileSync(log, 'utf8').split('\n');
  // The code-cached script ran (and with it yargs), and node:assert was not loaded.
  expect(loaded).toContain('NativeModule vm');
  expect(loaded.filter((m) => /^NativeModule (assert$|internal\/assert\/)/.test(m))).toEqual([]);
});
