// The CLI bundled as one CommonJS script (dist/bundle-cjs/main.cjs, scripts/build-bundle.mjs), run
// in the one wrapper both bin/charter.js and the build's warm-up (scripts/warm-code-cache.mjs) use:
// V8 accepts a code cache only for the very source it was made from (issue 14, start-up).
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const CJS_MAIN = new URL('../dist/bundle-cjs/main.cjs', import.meta.url);
export const CJS_CACHE = new URL('main.cjs.cache', CJS_MAIN);

/** main.cjs compiled in its wrapper, from `cachedData` when given (check `cachedDataRejected`). */
export function compileCli(cachedData) {
  // ASCII (scripts/build-bundle.mjs checks): latin1 gives the same text as UTF-8, decoded faster.
  const source = readFileSync(CJS_MAIN, 'latin1');
  return new Script(`(function (exports, require, module, __filename, __dirname, __charterImportMetaUrl, __dyni) {${source}\n})`, {
    filename: CJS_MAIN.href,
    ...(cachedData ? { cachedData } : {}),
  });
}

/** Run the compiled script; its `main`. Its dynamic imports (the AWS SDK, IAM data) go through this module's import(). */
export function runCli(script) {
  const file = fileURLToPath(CJS_MAIN);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, fileURLToPath(new URL('.', CJS_MAIN)), CJS_MAIN.href, (specifier) => import(specifier));
  return module.exports.main;
}

/** The CLI's main from the code cache; undefined when the cache or the script is missing, or V8 rejects the cache (stale, another node or V8 flags). */
export function cachedMain() {
  let cachedData, script;
  try {
    cachedData = readFileSync(CJS_CACHE);
    script = compileCli(cachedData);
  } catch {
    return undefined;
  }
  return script.cachedDataRejected === false ? runCli(script) : undefined;
}
