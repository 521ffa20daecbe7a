#!/usr/bin/env node
// Entry point: the CLI bundle in dist/bundle/ (built by `npm install` through the prepare script:
// tsc, then esbuild from the same sources; scripts/build-bundle.mjs).
import { main } from '../dist/bundle/main.js';

process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
