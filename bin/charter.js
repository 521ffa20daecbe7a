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
  // The same CLI as dist/bundle/main.js, compiled from V8's code cache when it is there and V8
  // accepts it (bin/cjs-cli.js), which saves most of every run's compile work; else the ESM bundle.
  const main = (await import('./cjs-cli.js')).cachedMain() ?? (await import('../dist/bundle/main.js')).main;
  process.exitCode = await main(argv);
}
