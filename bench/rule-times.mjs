// Per-rule time over one lint run (issue 14): wraps each rule's document/principal/spec callback
// in a timer and runs the built engine (dist/) in-process on the inputs given. Prints a table;
// asserts nothing. The wrapping adds a little to each call; read the shares, not the microseconds.
//
//   npm run build && node bench/rule-times.mjs ../shared/corpora/aws-managed-policies
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tierAsCli } from './as-cli.mjs';

const root = resolve(process.env.CHARTER_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const { collectInputs } = await import(join(root, 'dist/cli/lint-run.js'));
const { lint } = await import(join(root, 'dist/linter/engine.js'));
const { ALL_RULES } = await import(join(root, 'dist/linter/rules/index.js'));

const spent = new Map();
const timed = ALL_RULES.map((rule) => {
  const w = { ...rule };
  for (const k of ['document', 'principal', 'spec']) {
    const fn = rule[k];
    if (!fn) continue;
    w[k] = (x, ctx) => {
      const t = performance.now();
      try {
        return fn.call(rule, x, ctx);
      } finally {
        spent.set(rule.meta.id, (spent.get(rule.meta.id) ?? 0) + performance.now() - t);
      }
    };
  }
  return w;
});
const t0 = performance.now();
const input = await collectInputs(process.argv.slice(2));
await tierAsCli(input.files.length);
const t1 = performance.now();
const r = await lint(input, { rules: timed });
const t2 = performance.now();
const rulesTotal = [...spent.values()].reduce((a, b) => a + b, 0);
console.log(`inputs ${(t1 - t0).toFixed(0)} ms; lint ${(t2 - t1).toFixed(0)} ms (IAM data ${r.stats.dataMs.toFixed(0)} ms, rules phase ${r.stats.rulesMs.toFixed(0)} ms, of which in rules ${rulesTotal.toFixed(0)} ms); ${r.findings.length} findings`);
for (const [id, ms] of [...spent].sort((a, b) => b[1] - a[1])) if (ms >= 1) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${id}`);
