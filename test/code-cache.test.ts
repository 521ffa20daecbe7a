/**
 * Start-up (issue 14): bin/charter.js runs the CLI from dist/bundle-cjs/main.cjs compiled from V8's
 * code cache when the cache is there and V8 accepts it, and from the ESM bundle (dist/bundle/)
 * otherwise, with the same output (scripts/build-bundle.mjs, scripts/warm-code-cache.mjs). Which
 * path ran is read from the modules the run resolved (a resolve hook logs them): the ESM bundle's
 * files go through the module loader, the cached script does not.
 */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, binCopy, charterProcess, moduleLoadLog } from './cli-support.js';

const ARGS = ['lint', join(ROOT, 'test/fixtures/lint/cml-worker.json'), '--format', 'json'];

/** Run `node <bin> ...ARGS` with a resolve hook; the run and the module URLs it resolved. */
async function run(bin: string) {
  const mods = moduleLoadLog();
  const { code, stdout, stderr } = await charterProcess([...ARGS], { cwd: ROOT, nodeArgs: mods.nodeArgs, bin });
  return { out: { code, stdout, stderr }, loaded: mods.loaded() };
}

const esmChunks = (loaded: string[]) => loaded.filter((u) => /\/dist\/bundle\/[^/]+\.js$/.test(u));

it('runs from the code cache when it is there, and from the ESM bundle, with the same output, when it is missing or rejected', async () => {
  // One run at a time (child processes).
  const cached = await run(join(ROOT, 'bin', 'charter.js'));
  const missing = await run(binCopy('missing'));
  const stale = await run(binCopy('stale'));

  expect(esmChunks(cached.loaded)).toEqual([]);
  // bin/charter.js went for the cached script (bin/cjs-cli.js, node:vm) and the CLI ran: the findings (exit 1).
  expect(cached.loaded).toContain('node:vm');
  expect(cached.out.code).toBe(1);
  // Lint never import()s the AWS SDK on the cached path either (its imports stay lazy).
  expect(cached.loaded.filter((u) => /@aws-sdk|@smithy/.test(u))).toEqual([]);

  for (const fallback of [missing, stale]) {
    expect(fallback.loaded.some((u) => u.endsWith('/dist/bundle/main.js'))).toBe(true);
    expect(fallback.out).toEqual(cached.out);
  }
  expect(JSON.parse(cached.out.stdout)).toBeTruthy();
});

it('the build wrote the code cache and the script it belongs to', () => {
  const cjs = readFileSync(join(ROOT, 'dist', 'bundle-cjs', 'main.cjs'), 'utf8');
  expect(cjs.startsWith('"use strict";')).toBe(true);
  expect(cjs).not.toMatch(/\bimport\.meta\b/);
  // ASCII, so bin/cjs-cli.js's latin1 read is its UTF-8 text (and V8 holds it one byte a character).
  expect(cjs.match(/[^\x00-\x7f]/)).toBeNull();
  expect(readFileSync(join(ROOT, 'dist', 'bundle-cjs', 'main.cjs.cache')).length).toBeGreaterThan(1000);
});
