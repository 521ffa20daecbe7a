// lint() of the same input again and again in one process (issue 14): what the engine costs once
// V8 has compiled and optimised it, next to the cold first run a user's `charter lint` pays. Each
// run after the first uses a fresh IamData (its pattern and detail caches empty, as in a cold run),
// so the gap between run 1 and the later runs is V8 warming up, not charter's caches. Main-thread
// CPU from /proc (Linux). Prints a table; asserts nothing.
//
//   npm run build && node bench/lint-warm.mjs [INPUT...]   (default: the AWS managed policy corpus)
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mainThreadCpuMs } from './main-thread-cpu.mjs';
import { tierAsCli } from './as-cli.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const inputs = process.argv.length > 2 ? process.argv.slice(2).map((p) => resolve(p)) : [join(root, '..', 'shared', 'corpora', 'aws-managed-policies')];
const runs = Number(process.env.BENCH_RUNS ?? 8);
const { collectInputs } = await import(join(root, 'dist/cli/lint-run.js'));
const { lint } = await import(join(root, 'dist/linter/engine.js'));
const { IamData } = await import(join(root, 'dist/policy/iam-data.js'));
const input = await collectInputs(inputs);
// As `charter lint` does for many files.
await tierAsCli(input.files.length);
console.log(`lint() of ${inputs.join(' ')} (${input.files.length} files), ${runs} runs in one process, fresh IamData each`);
console.log('| run | wall | main-thread CPU | process CPU |\n|---|---|---|---|');
for (let i = 1; i <= runs; i++) {
  const m0 = mainThreadCpuMs();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await lint({ files: input.files, specs: input.specs }, { iam: new IamData() });
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  console.log(`| ${i} | ${wall.toFixed(0)} ms | ${(mainThreadCpuMs() - m0).toFixed(0)} ms | ${((c.user + c.system) / 1000).toFixed(0)} ms |`);
}
