// Issue 14's table, measured side by side in one interleaved run: every row is a ratio of two
// things timed in the same run (bare `node -e 0`, reading + JSON.parse of the corpus, and — when
// CHARTER_BEFORE names another checkout's root with a built dist/ — the same command there), so
// the figures mean something on a loaded machine. Wall time is the median of N runs (BENCH_RUNS,
// default 5), peak memory the median max RSS (GNU time). Prints a table; asserts nothing.
//
//   npm run build && node bench/table.bench.mjs   (or: npm run bench table)
//   CHARTER_BEFORE=/tmp/charter-before BENCH_RUNS=5 node bench/table.bench.mjs   (or: npm run bench table)
//
// Parliament (the Python peer the issue compares with) runs when PARLIAMENT names a command that
// lints a directory given as its one argument (e.g. a wrapper around `python3 -m parliament.cli
// --directory DIR --include_policy_extension "" ...` of a checkout built beside this one; nothing
// of it is in this repository); otherwise its row says it was not run. A bare `parliament
// --directory` is not tried: it looks only at *.json files, and the corpus's files have no
// extension, so it would time a run over no policy at all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const before = process.env.CHARTER_BEFORE ? resolve(process.env.CHARTER_BEFORE) : undefined;
const corpus = resolve(process.env.CHARTER_CORPUS ?? join(root, '..', 'shared', 'corpora', 'aws-managed-policies'));
const N = Number(process.env.BENCH_RUNS ?? 5);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = mkdtempSync(join(tmpdir(), 'charter-bench-'));

/** One run: wall ms, CPU ms (user + system) and peak RSS MB (the last two from GNU time, when present). */
function once(cmd, args, cwd = root) {
  const rss = join(tmp, 'rss');
  const t0 = performance.now();
  const p = TIME ? spawnSync(TIME, ['-f', '%U %S %M', '-o', rss, cmd, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 }) : spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (p.status === 2 || p.status === null || p.status > 2) throw new Error(`${cmd} ${args.join(' ')}: exit ${p.status}\n${p.stderr}`);
  const [user, sys, kb] = TIME ? readFileSync(rss, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  return { ms, cpu: (user + sys) * 1000, mb: kb / 1024 };
}

// Inputs.
const haveCorpus = existsSync(corpus);
const x8 = join(tmp, 'x8');
if (haveCorpus) {
  spawnSync('mkdir', ['-p', x8]);
  for (let i = 0; i < 8; i++) symlinkSync(corpus, join(x8, `copy${i}`));
}
const floorScript = join(tmp, 'floor.mjs');
writeFileSync(
  floorScript,
  `import { readdirSync, readFileSync } from 'node:fs';\nimport { join } from 'node:path';\nconst d = process.argv[2];\nlet n = 0;\nfor (const f of readdirSync(d)) { try { JSON.parse(readFileSync(join(d, f), 'utf8')); n++; } catch {} }\nif (n === 0) process.exit(3);\n`,
);
const { generateSpec } = await import('./spec-gen.mjs');
let spec250, spec4000;
if (generateSpec) {
  spec250 = join(tmp, 's250.yaml');
  spec4000 = join(tmp, 's4000.yaml');
  writeFileSync(spec250, generateSpec(250, 50));
  writeFileSync(spec4000, generateSpec(4000, 800));
}
const parliamentCmd = process.env.PARLIAMENT ? resolve(process.env.PARLIAMENT) : undefined;
if (parliamentCmd && !existsSync(parliamentCmd)) throw new Error(`PARLIAMENT=${process.env.PARLIAMENT}: no such command`);
const parliament = parliamentCmd !== undefined;

// Commands, by name; `bin(r)` is charter at checkout r.
const bin = (r) => join(r, 'bin', 'charter.js');
const node = process.execPath;
const cmds = {
  bare: () => [node, ['-e', '0']],
  floor: () => [node, [floorScript, corpus]],
  parliament: () => [parliamentCmd, [corpus]],
  corpus: (r) => [node, [bin(r), 'lint', corpus, '--format', 'json']],
  corpus8: (r) => [node, [bin(r), 'lint', x8, '--format', 'json']],
  // The README's tip for large lints on small machines: one V8 platform thread instead of four.
  corpusPool1: () => [node, ['--v8-pool-size=1', bin(root), 'lint', corpus, '--format', 'json']],
  small: (r) => [node, [bin(r), 'lint', join(root, 'test/fixtures/lint/cml-worker.json'), '--format', 'json']],
  mlLint: (r) => [node, [bin(r), 'lint', join(root, 'fixtures/ml-research.yaml'), '--format', 'json']],
  mlCompile: (r) => [node, [bin(r), 'compile', join(root, 'fixtures/ml-research.yaml')]],
  version: (r) => [node, [bin(r), '--version']],
  c250: (r) => [node, [bin(r), 'compile', spec250]],
  c4000: (r) => [node, [bin(r), 'compile', spec4000]],
};
const wanted = ['bare', 'small', 'mlLint', 'mlCompile', 'version'];
if (haveCorpus) wanted.push('floor', 'corpus', 'corpusPool1', 'corpus8');
if (parliament && haveCorpus) wanted.push('parliament');
if (spec250) wanted.push('c250', 'c4000');
const perRoot = new Set(['corpus', 'corpus8', 'small', 'mlLint', 'mlCompile', 'version', 'c250', 'c4000']);
const roots = before ? [['now', root], ['before', before]] : [['now', root]];

// Interleaved: each round runs every command once, in the same order.
const res = {};
for (let i = 0; i < N; i++) {
  for (const k of wanted) {
    for (const [tag, r] of perRoot.has(k) ? roots : [['', root]]) {
      const [c, a] = cmds[k](r);
      const key = tag ? `${k}.${tag}` : k;
      (res[key] ??= []).push(once(c, a));
    }
  }
}
rmSync(tmp, { recursive: true, force: true });

const ms = (k) => (res[k] ? median(res[k].map((x) => x.ms)) : NaN);
const mb = (k) => (res[k] ? median(res[k].map((x) => x.mb)) : NaN);
// CPU time (user + system) moves less than wall time when other work shares the machine.
const cpu = (k) => (res[k] ? median(res[k].map((x) => x.cpu)) : NaN);
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const rows = [];
const row = (work, tag, figure, value, target) => rows.push([work, tag, figure, value, target]);
for (const [tag] of roots) {
  const s = (k) => `${k}.${tag}`;
  if (haveCorpus) {
    row('lint of the corpus (--format json)', tag, `${f(ms(s('corpus')), 0)} ms (cpu ${f(cpu(s('corpus')), 0)} ms), ${f(mb(s('corpus')), 0)} MB peak`, parliament ? `charter/Parliament ${f(ms(s('corpus')) / ms('parliament'), 3)} (cpu ${f(cpu(s('corpus')) / cpu('parliament'), 3)}); Parliament ${f(ms('parliament'), 0)} ms (cpu ${f(cpu('parliament'), 0)} ms), ${f(mb('parliament'), 0)} MB` : 'Parliament: not run (set PARLIAMENT)', '≤ 0.05');
    row('same corpus vs read + JSON.parse of every file', tag, `floor ${f(ms('floor'), 0)} ms (cpu ${f(cpu('floor'), 0)} ms)`, `${f(ms(s('corpus')) / ms('floor'))}× (cpu ${f(cpu(s('corpus')) / cpu('floor'))}×)`, '≤ 3×');
    row('same corpus vs bare node -e 0', tag, `bare ${f(ms('bare'), 0)} ms (cpu ${f(cpu('bare'), 0)} ms)`, `${f(ms(s('corpus')) / ms('bare'))}× (cpu ${f(cpu(s('corpus')) / cpu('bare'))}×)`, '≤ 4×');
  }
  row('lint of one small policy file', tag, `${f(ms(s('small')), 0)} ms, ${f(mb(s('small')), 0)} MB`, `${f(ms(s('small')) / ms('bare'))}× bare node`, '≤ 2×');
  row('lint of fixtures/ml-research.yaml', tag, `${f(ms(s('mlLint')), 0)} ms, ${f(mb(s('mlLint')), 0)} MB`, `${f(ms(s('mlLint')) / ms('bare'))}× bare node`, '≤ 2×');
  row('compile of fixtures/ml-research.yaml', tag, `${f(ms(s('mlCompile')), 0)} ms, ${f(mb(s('mlCompile')), 0)} MB`, `${f(ms(s('mlCompile')) / ms('bare'))}× bare node`, '≤ 2×');
  row('charter --version', tag, `${f(ms(s('version')), 0)} ms, ${f(mb(s('version')), 0)} MB`, `${f(ms(s('version')) / ms('bare'))}× bare node`, '≤ 1.5×');
  if (haveCorpus) row('lint of the corpus ×8', tag, `${f(ms(s('corpus8')), 0)} ms (cpu ${f(cpu(s('corpus8')), 0)} ms), ${f(mb(s('corpus8')), 0)} MB peak`, `memory ${f(mb(s('corpus8')) / mb(s('corpus')))}× for 8× input; time ${f(ms(s('corpus8')) / ms(s('corpus')))}×`, 'memory ≤ 1.3×');
  if (spec250) row('compile 4,000 vs 250 services', tag, `${f(ms(s('c4000')), 0)} ms, ${f(mb(s('c4000')), 0)} MB (250: ${f(mb(s('c250')), 0)} MB)`, `time ${f(ms(s('c4000')) / ms(s('c250')))}× for 16× input`, 'keep');
}
if (haveCorpus) row('lint of the corpus, node --v8-pool-size=1 (README tip)', 'now', `${f(ms('corpusPool1'), 0)} ms (cpu ${f(cpu('corpusPool1'), 0)} ms)`, `${f(ms('corpusPool1') / ms('corpus.now'))}× the default run; ${f(ms('corpusPool1') / ms('bare'))}× bare node`, '—');
console.log(`issue 14 table: ${N} interleaved rounds, medians; bare node -e 0 = ${f(ms('bare'), 0)} ms (${f(mb('bare'), 0)} MB)${haveCorpus ? `; corpus ${corpus} (${readdirSync(corpus).length} files)` : '; corpus not found'}`);
console.log('| work | build | measured | ratio | target |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
