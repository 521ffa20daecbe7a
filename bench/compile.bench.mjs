// Compile benchmarks (prints numbers; never asserts wall time in tests):
//  1. generated spec of 1,000 services and 200 instance groups: load + compile time (target < 1 s);
//  2. 2,000 services / 400 groups: ratio to (1) (target ≤ 2.2×);
//  3. `charter compile` of a small spec as a process: wall time (target < 300 ms), and whether any
//     @aws-sdk module is loaded (it must not be).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { parseSpec } = await import(pathToFileURL(join(root, 'dist/spec/load.js')).href);
const { compileSpec } = await import(pathToFileURL(join(root, 'dist/compiler/index.js')).href);

import { generateSpec } from './spec-gen.mjs';


async function timeCompile(text, runs) {
  const times = [];
  let bundle;
  for (let r = 0; r < runs; r++) {
    if (globalThis.gc) globalThis.gc();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const loaded = parseSpec(text, 'bench.yaml');
    const t1 = performance.now();
    bundle = await compileSpec(loaded);
    const t2 = performance.now();
    const c = process.cpuUsage(c0);
    times.push({ load: t1 - t0, compile: t2 - t1, total: t2 - t0, cpu: (c.user + c.system) / 1000 });
  }
  times.sort((a, b) => a.total - b.total);
  return { median: times[Math.floor(times.length / 2)], min: times[0], times, bundle };
}

/** Interleave the two sizes so both see the same background load; keep every run. */
async function timeBoth(textA, textB, rounds) {
  const a = [];
  const b = [];
  let bundleA;
  let bundleB;
  for (let r = 0; r < rounds; r++) {
    const ra = await timeCompile(textA, 1);
    const rb = await timeCompile(textB, 1);
    a.push(ra.min);
    b.push(rb.min);
    bundleA = ra.bundle;
    bundleB = rb.bundle;
  }
  const stats = (xs, bundle) => {
    const byTotal = [...xs].sort((x, y) => x.total - y.total);
    const byCpu = [...xs].sort((x, y) => x.cpu - y.cpu);
    return { median: byTotal[Math.floor(xs.length / 2)], min: byTotal[0], cpuMedian: byCpu[Math.floor(xs.length / 2)].cpu, bundle };
  };
  return [stats(a, bundleA), stats(b, bundleB)];
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;

// Warm up (iam-data files, JIT) on a small spec.
await timeCompile(generateSpec(20, 5), 2);

const small = generateSpec(1000, 200);
const big = generateSpec(2000, 400);
const [a, b] = await timeBoth(small, big, 7);
const load = (await import('node:os')).loadavg()[0].toFixed(1);
console.log(`(load average ${load} on ${(await import('node:os')).cpus().length} CPUs: wall times are inflated by other work; CPU time is the steadier number)`);
console.log(`1,000 services / 200 groups (${(small.length / 1024).toFixed(0)} KB spec), median of 7: load ${fmt(a.median.load)} + compile ${fmt(a.median.compile)} = ${fmt(a.median.total)} wall (min ${fmt(a.min.total)}), ${fmt(a.cpuMedian)} CPU  [target < 1000 ms]  roles ${a.bundle.roles.length}, launches ${a.bundle.launches.length}`);
console.log(`2,000 services / 400 groups (${(big.length / 1024).toFixed(0)} KB spec), median of 7: load ${fmt(b.median.load)} + compile ${fmt(b.median.compile)} = ${fmt(b.median.total)} wall (min ${fmt(b.min.total)}), ${fmt(b.cpuMedian)} CPU`);
console.log(`ratio 2,000 / 1,000: ${(b.median.total / a.median.total).toFixed(2)}x median wall, ${(b.min.total / a.min.total).toFixed(2)}x min wall, ${(b.cpuMedian / a.cpuMedian).toFixed(2)}x median CPU  [target <= 2.2x]`);

// CLI: wall time of `charter compile` on a small spec, and no @aws-sdk module loaded.
const dir = mkdtempSync(join(tmpdir(), 'charter-bench-'));
const log = join(dir, 'loaded.txt');
const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes('@aws-sdk')) appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`,
);
const register = join(dir, 'register.mjs');
writeFileSync(
  register,
  `import { register, createRequire } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\nconst Module = createRequire(import.meta.url)('node:module');\nconst orig = Module._load;\nModule._load = function (req, ...rest) { if (String(req).includes('@aws-sdk')) appendFileSync(${JSON.stringify(log)}, 'require ' + req + '\\n'); return orig.call(this, req, ...rest); };\n`,
);
const spec = join(root, 'fixtures/ml-research.yaml');
const bin = join(root, 'bin/charter.js');
const walls = [];
const cpus = [];
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
for (let i = 0; i < 9; i++) {
  const t0 = performance.now();
  const r = timeBin
    ? spawnSync(timeBin, ['-f', '%U %S', process.execPath, bin, 'compile', spec], { encoding: 'utf8' })
    : spawnSync(process.execPath, [bin, 'compile', spec], { encoding: 'utf8' });
  walls.push(performance.now() - t0);
  if (r.status !== 0) {
    console.log(`charter compile failed: ${r.stderr}`);
    process.exitCode = 1;
    break;
  }
  if (timeBin) {
    const [u, s] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
    cpus.push((u + s) * 1000);
  }
}
walls.sort((x, y) => x - y);
cpus.sort((x, y) => x - y);
const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, bin, 'compile', spec, '--format', 'json'], { encoding: 'utf8' });
const loaded = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
console.log(`charter compile fixtures/ml-research.yaml: median wall ${fmt(walls[Math.floor(walls.length / 2)])} (min ${fmt(walls[0])}, max ${fmt(walls[walls.length - 1])})${cpus.length ? `, median CPU ${fmt(cpus[Math.floor(cpus.length / 2)])}` : ''}  [target < 300 ms wall]`);
console.log(`@aws-sdk modules loaded by compile: ${r.status === 0 ? loaded.length : `? (exit ${r.status})`}${loaded.length ? ` (${loaded.slice(0, 3).join(', ')})` : ''}  [target 0]`);
