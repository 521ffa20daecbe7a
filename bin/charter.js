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
  const { main } = await import('../dist/bundle/main.js');
  process.exitCode = await main(argv);
}
