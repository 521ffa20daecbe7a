// Lint benchmarks: the whole AWS managed policy corpus (cold and warm), and `charter lint` of a
// small spec as a process (wall time, no AWS SDK). Prints numbers; asserts nothing.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';

const cpus = availableParallelism();

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(process.env.CHARTER_CORPUS ?? join(root, '..', 'shared', 'corpora', 'aws-managed-policies'));
const ms = (n) => `${n.toFixed(0)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (existsSync(corpus)) {
  // Each corpus run in a fresh process, so "cold" includes loading the IAM reference data.
  const script = `
    const { lint } = await import(${JSON.stringify(join(root, 'dist/linter/engine.js'))});
    const { policyFilesInDir, readPolicyFile } = await import(${JSON.stringify(join(root, 'dist/linter/file-source.js'))});
    const dir = ${JSON.stringify(corpus)};
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const files = policyFilesInDir(dir).map((p) => readPolicyFile(p, p.slice(dir.length + 1)));
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const r = await lint({ files });
    const t2 = performance.now();
    const cpu = process.cpuUsage(c1);
    const r2 = await lint({ files });
    const t3 = performance.now();
    const by = {};
    for (const f of r.findings) { const k = f.rule + ' ' + f.severity; by[k] = (by[k] || 0) + 1; }
    const grammarErrors = r.findings.filter((f) => f.category === 'grammar' && f.severity === 'error').length;
    console.log(JSON.stringify({ files: files.length, readMs: t1 - t0, coldMs: t2 - t1, coldCpuMs: (cpu.user + cpu.system) / 1000, dataMs: r.stats.dataMs, rulesMs: r.stats.rulesMs, warmMs: t3 - t2, warmRulesMs: r2.stats.rulesMs, grammarErrors, by }));
  `;
  const measure = () => {
    const runs = [];
    for (let i = 0; i < 5; i++) {
      const p = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root });
      if (p.status !== 0) {
        console.error(p.stderr);
        process.exit(1);
      }
      runs.push(JSON.parse(p.stdout));
    }
    return runs;
  };
  const runs = measure();
  const last = runs[runs.length - 1];
  console.log(`corpus: ${last.files} AWS managed policies (${corpus}); ${cpus} cores`);
  console.log(`  read files            ${ms(median(runs.map((r) => r.readMs)))}`);
  console.log(`  lint, cold process    median ${ms(median(runs.map((r) => r.coldMs)))}, min ${ms(Math.min(...runs.map((r) => r.coldMs)))} wall; median ${ms(median(runs.map((r) => r.coldCpuMs)))} CPU  (IAM data ${ms(median(runs.map((r) => r.dataMs)))}, rules ${ms(median(runs.map((r) => r.rulesMs)))}; ${runs.length} fresh processes)`);
  console.log(`  lint, warm (2nd run)  ${ms(median(runs.map((r) => r.warmMs)))}  (rules ${ms(median(runs.map((r) => r.warmRulesMs)))})`);
  console.log(`  grammar errors        ${last.grammarErrors}`);
  console.log('  findings by rule:');
  for (const [k, v] of Object.entries(last.by).sort((a, b) => b[1] - a[1])) console.log(`    ${String(v).padStart(5)}  ${k}`);
} else console.log(`corpus not found at ${corpus}: skipped`);

const bin = join(root, 'bin/charter.js');
for (const spec of ['fixtures/ml-research.yaml', 'test/fixtures/lint/seeds-agent.yaml']) {
  const walls = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const p = spawnSync(process.execPath, [bin, 'lint', spec, '--format', 'json'], { encoding: 'utf8', cwd: root });
    walls.push(performance.now() - t0);
    if (p.status === 2) {
      console.error(p.stderr);
      process.exit(1);
    }
  }
  console.log(`charter lint ${spec}: median wall ${ms(median(walls))} (min ${ms(Math.min(...walls))}, 7 runs)`);
}
const t0 = performance.now();
spawnSync(process.execPath, ['-e', '0']);
console.log(`(node startup alone: ${ms(performance.now() - t0)})`);
