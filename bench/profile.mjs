// CPU profile breakdown of one charter run (issue 14): runs `node --cpu-prof bin/charter.js ARGS`
// and sums self time by where it is spent: module loading, IAM data, positioned parsing, each
// rule, formatting, GC, ... Prints a table; asserts nothing.
//
//   node bench/profile.mjs lint ../shared/corpora/aws-managed-policies --format json
//   CHARTER_ROOT=/tmp/charter-before node bench/profile.mjs lint fixtures/ml-research.yaml
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.env.CHARTER_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const args = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'charter-prof-'));
// By default the unbundled build (dist/cli/main.js), so self time is attributed by source file;
// PROFILE_BUNDLE=1 profiles bin/charter.js (the bundle) as users run it.
const entry = process.env.PROFILE_BUNDLE
  ? [join(root, 'bin/charter.js'), ...args]
  : ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(join(root, 'dist/cli/main.js'))}); process.exitCode = await main(${JSON.stringify(args)});`];
// PROFILE_NODE_FLAGS (e.g. --no-turbo-inlining) are passed to node: without inlining, a rule's time
// is not folded into the engine loop that calls it.
const nodeFlags = (process.env.PROFILE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const p = spawnSync(process.execPath, [...nodeFlags, '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200', ...entry], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
if (p.status === 2 || p.status === null) {
  console.error(p.stderr);
  process.exit(1);
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'));
rmSync(dir, { recursive: true, force: true });

/** The bucket a profile node's self time belongs to (by its function and script). */
export function bucket(cf) {
  const url = cf.url ?? '';
  const fn = cf.functionName;
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)' || fn === '(program)') return fn;
  if (/\/rules\/([^/]+)\.js/.test(url)) return 'rule ' + url.match(/\/rules\/([^/]+)\.js/)[1];
  if (/iam-data|iam-index/.test(url)) return 'IAM data';
  if (/json-positions/.test(url)) return 'parse with positions';
  if (/\/format\/|formatJson|formatSarif|formatText|formatGithub/.test(url + fn)) return 'formatting';
  if (/js-yaml/.test(url)) return 'js-yaml';
  if (/node_modules\/yargs|node_modules\/y18n|node_modules\/cliui|yargs-parser/.test(url)) return 'yargs';
  if (/node:internal\/modules|node:internal\/vm|^node:internal\/process\/|internal\/modules/.test(url) || fn === 'compileFunction' || fn === 'compileSourceTextModule') return 'module loading';
  if (/linter\/(grants|doc-model|file-source|engine|bundle-source|escalation|suppress|run)/.test(url)) return 'engine/views';
  if (/\/compiler\//.test(url)) return 'compiler';
  if (/\/spec\//.test(url)) return 'spec load';
  if (url === '' && fn === 'parse') return 'JSON.parse';
  if (url === '' ) return 'native: ' + (fn || '(anonymous)');
  if (/dist\/|bundle/.test(url)) return 'charter other';
  return 'other node';
}

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) {
  const n = byId.get(prof.samples[i]);
  self.set(n.id, (self.get(n.id) ?? 0) + (dt[i] ?? 0));
}
const totals = new Map();
let all = 0;
for (const [id, us] of self) {
  const b = bucket(byId.get(id).callFrame);
  totals.set(b, (totals.get(b) ?? 0) + us);
  all += us;
}
const rows = [...totals].sort((a, b) => b[1] - a[1]);
console.log(`charter ${args.join(' ')}  (${root}): ${(all / 1000).toFixed(0)} ms sampled, exit ${p.status}`);
for (const [b, us] of rows) if (us / all >= 0.005) console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms  ${((100 * us) / all).toFixed(1).padStart(5)}%  ${b}`);
if (process.env.TOP) {
  const fns = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const k = `${bucket(cf)} | ${cf.functionName || '(anon)'} ${cf.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${cf.lineNumber + 1}`;
    fns.set(k, (fns.get(k) ?? 0) + us);
  }
  console.log('top functions (self):');
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP))) console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
}
