// Cold CPU of the lint engine on the corpus, this checkout against another, interleaved (issue 14):
// each run is a fresh node process that collects the inputs, then times lint() alone with a fresh
// IamData — main-thread CPU (from /proc, Linux: what the run waits for) and process CPU (with the
// JIT compiler and GC threads). Prints medians and the median of the per-pair ratios; asserts
// nothing. The main-thread figure moves much less than wall time when other work shares the machine.
//
//   npm run build && CHARTER_BEFORE=/tmp/charter-before BENCH_RUNS=9 node bench/lint-cpu.mjs [INPUT...]
//
// CHARTER_BEFORE is another checkout's root with a built dist/ (without it, this checkout alone).
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tierAsCli } from './as-cli.mjs';
import { mainThreadCpuMs } from './main-thread-cpu.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[2] === '--child') {
  const [, , , at, ...inputs] = process.argv;
  const { collectInputs } = await import(join(at, 'dist/cli/lint-run.js'));
  const { lint } = await import(join(at, 'dist/linter/engine.js'));
  const { IamData } = await import(join(at, 'dist/policy/iam-data.js'));
  const input = await collectInputs(inputs);
  await tierAsCli(input.files.length);
  const m0 = mainThreadCpuMs();
  const c0 = process.cpuUsage();
  const r = await lint({ files: input.files, specs: input.specs }, { iam: new IamData() });
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ main: mainThreadCpuMs() - m0, cpu: (c.user + c.system) / 1000, findings: r.findings.length }));
  process.exit(0);
}

const inputs = process.argv.length > 2 ? process.argv.slice(2).map((p) => resolve(p)) : [join(root, '..', 'shared', 'corpora', 'aws-managed-policies')];
const before = process.env.CHARTER_BEFORE ? resolve(process.env.CHARTER_BEFORE) : undefined;
const N = Number(process.env.BENCH_RUNS ?? 9);
const roots = before ? [['before', before], ['now', root]] : [['now', root]];
const once = (at) => {
  const p = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', at, ...inputs], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`${at}: exit ${p.status}\n${p.stderr}`);
  return JSON.parse(p.stdout.trim().split('\n').pop());
};
const runs = Object.fromEntries(roots.map(([tag]) => [tag, []]));
for (let i = 0; i < N; i++) for (const [tag, at] of roots) runs[tag].push(once(at));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`lint() of ${inputs.join(' ')}: ${N} interleaved cold runs, medians`);
for (const [tag] of roots) {
  const r = runs[tag];
  console.log(`  ${tag.padEnd(6)} main-thread CPU ${median(r.map((x) => x.main)).toFixed(1)} ms, process CPU ${median(r.map((x) => x.cpu)).toFixed(0)} ms, ${r[0].findings} findings`);
}
if (before) {
  for (const k of ['main', 'cpu']) {
    const ratios = runs.now.map((x, i) => x[k] / runs.before[i][k]);
    console.log(`  now/before ${k === 'main' ? 'main-thread' : 'process'} CPU: median of per-pair ratios ${median(ratios).toFixed(3)}`);
  }
}
