#!/usr/bin/env node
// Entry point: the CLI bundle in dist/bundle/ (built by `npm install` through the prepare script:
// tsc, then esbuild from the same sources; scripts/build-bundle.mjs).
import { readFileSync } from 'node:fs';

process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // What main() prints for a bare --version (src/cli/main.ts), without loading the CLI at all.
  process.stdout.write(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version + '\n');
} else {
  const main = (await cachedMain()) ?? (await import('../dist/bundle/main.js')).main;
  process.exitCode = await main(argv);
}

/**
 * The same CLI as dist/bundle/main.js, bundled as one CommonJS script and compiled from V8's code
 * cache, which saves most of the compile work of every run (issue 14, start-up; both files are made
 * by scripts/build-bundle.mjs and scripts/warm-code-cache.mjs). Undefined — so the ESM bundle
 * runs — when the cache is missing or V8 rejects it (a stale cache, another node or V8 flags).
 * The wrapper text must stay identical to scripts/warm-code-cache.mjs's: V8 checks the source.
 */
async function cachedMain() {
  const url = new URL('../dist/bundle-cjs/main.cjs', import.meta.url);
  let cachedData, source;
  try {
    cachedData = readFileSync(new URL('main.cjs.cache', url));
    source = readFileSync(url, 'utf8');
  } catch {
    return undefined;
  }
  const [{ Script }, { createRequire }, { fileURLToPath }] = await Promise.all([import('node:vm'), import('node:module'), import('node:url')]);
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __charterImportMetaUrl, __dyni) {${source}\n})`, {
    filename: url.href,
    cachedData,
  });
  if (script.cachedDataRejected !== false) return undefined;
  const file = fileURLToPath(url);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, fileURLToPath(new URL('.', url)), url.href, (specifier) => import(specifier));
  return module.exports.main;
}
