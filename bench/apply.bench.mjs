// Apply bench: 50 roles + 5 launch groups against the sandbox with a 10 s IAM→EC2 propagation
// delay. Prints the wall time (close to one delay when profiles propagate in parallel, not fifty)
// and the write calls against the minimum (one CreateRole, one PutRolePolicy per inline document,
// one AttachRolePolicy per ARN, one CreateInstanceProfile + AddRoleToInstanceProfile per profile,
// one RunInstances per instance). RunInstances attempts rejected while a profile propagates are
// counted separately. A second run adds the fault profile (20% Throttling, 5% InternalError, 2%
// connection resets) with the SDK's default retry timing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../dist/sandbox/index.js';
import { awsClients, SANDBOX_CREDENTIALS } from '../dist/aws/clients.js';
import { realHooks } from '../dist/apply/hooks.js';
import { runApply } from '../dist/apply/run.js';
import { loadSpecFile } from '../dist/spec/load.js';
import { compileSpec } from '../dist/compiler/index.js';

const ROLES = 50;
const GROUPS = 5;
const PER_GROUP = 2;
const DELAY = Number(process.env.PROPAGATION_MS ?? 10_000);
const REGION = 'us-west-2';

function spec(edited = false) {
  const L = ['version: 1', 'name: bench-apply', 'prefix: charter', `region: ${REGION}`, 'account: "123456789012"', 'services:'];
  for (let i = 0; i < ROLES; i++) {
    L.push(`  svc${i}:`, '    policies: [s3:ReadOnly, logs:WriteOnly]', `    scope: { s3: ["arn:aws:s3:::bench-${i}${edited && i === 0 ? '-edited' : ''}", "arn:aws:s3:::bench-${i}${edited && i === 0 ? '-edited' : ''}/*"] }`, '    trust: [ec2]');
    if (i % 10 === 0) L.push('    managed: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]');
  }
  L.push('instances:');
  for (let g = 0; g < GROUPS; g++) L.push(`  g${g}:`, `    service: svc${g}`, '    type: t3.micro', '    image: ami-0123456789abcdef0', `    count: ${PER_GROUP}`, '    ttl: 2h');
  return L.join('\n') + '\n';
}

const quiet = { write: () => true };

async function run(label, sandboxOpts) {
  const dir = mkdtempSync(join(tmpdir(), 'charter-bench-apply-'));
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, spec());
  const bundle = await compileSpec(loadSpecFile(file));
  const min = {
    'iam:CreateRole': bundle.roles.length,
    'iam:PutRolePolicy': bundle.roles.reduce((n, r) => n + r.inline.length, 0),
    'iam:AttachRolePolicy': bundle.roles.reduce((n, r) => n + r.managed.length, 0),
    'iam:CreateInstanceProfile': bundle.instanceProfiles.length,
    'iam:AddRoleToInstanceProfile': bundle.instanceProfiles.length,
    'ec2:RunInstances': bundle.launches.reduce((n, l) => n + l.count, 0),
  };
  const minTotal = Object.values(min).reduce((a, b) => a + b, 0);
  const sb = await startSandbox({ region: REGION, propagationDelayMs: DELAY, ...sandboxOpts });
  const clients = awsClients({ region: REGION, endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS });
  const opts = {
    clients, hooks: realHooks(),
    io: { out: quiet, err: quiet, outTty: false, inTty: false, confirm: async () => false },
    autoApprove: true, prune: false, adopt: false, format: 'text', pool: 8,
    journalDir: join(dir, '.charter'), profileWaitMs: 120_000, signal: new AbortController().signal,
  };
  const t0 = performance.now();
  const r = await runApply(file, opts);
  const wall = performance.now() - t0;
  const st = sb.stats();
  const writes = Object.fromEntries(Object.entries(st.actions).filter(([k]) => !/:(Get|List|Describe)|GetCallerIdentity/.test(k)));
  const runAttempts = writes['ec2:RunInstances'] ?? 0;
  const iamWrites = Object.entries(writes).filter(([k]) => k.startsWith('iam:')).reduce((n, [, v]) => n + v, 0);
  const iamMin = minTotal - min['ec2:RunInstances'];
  sb.resetStats();
  const t1 = performance.now();
  const again = await runApply(file, opts);
  const noopWall = performance.now() - t1;
  const noopWrites = sb.stats().writes;
  // A policy edit on a role in use (svc0, the role of launch group g0): its name is stable, so only
  // the in-place writes are wanted (PutRolePolicy, TagRole for its content hash tag), no CreateRole,
  // no RunInstances.
  writeFileSync(file, spec(true));
  sb.resetStats();
  const edit = await runApply(file, opts);
  const editWrites = Object.fromEntries(Object.entries(sb.stats().actions).filter(([k]) => !/:(Get|List|Describe)|GetCallerIdentity|\(DryRun\)/.test(k)));
  await sb.stop();
  console.log(`\n-- ${label}`);
  console.log(`roles ${bundle.roles.length}, launch groups ${bundle.launches.length} × ${PER_GROUP}, propagation delay ${DELAY / 1000} s, pool 8`);
  console.log(`apply: ${r.summary.status}, wall ${(wall / 1000).toFixed(2)} s (= ${(wall / DELAY).toFixed(2)} × one delay; serial waits would be ≥ ${((GROUPS * DELAY) / 1000).toFixed(0)} s, per-role waits ${(ROLES * DELAY) / 1000} s)`);
  console.log(`write calls at the sandbox: ${st.writes} (minimum ${minTotal}); IAM writes ${iamWrites} (minimum ${iamMin}); RunInstances ${runAttempts} = ${min['ec2:RunInstances']} launches + ${runAttempts - min['ec2:RunInstances']} refused while profiles propagated; DryRun probes (reads) ${st.actions['ec2:RunInstances(DryRun)'] ?? 0}`);
  console.log(`by action: ${JSON.stringify(writes)}`);
  console.log(`apply's own count: ${r.summary.writeCalls}; reads ${st.reads}; faults injected ${st.faults}`);
  console.log(`re-apply (no-op): ${again.summary.status}, ${noopWrites} write calls, ${(noopWall / 1000).toFixed(2)} s`);
  const editTotal = Object.values(editWrites).reduce((a, b) => a + b, 0);
  const inPlace = { 'iam:PutRolePolicy': 1, 'iam:TagRole': 1 };
  const sorted = (o) => JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
  const onlyInPlace = sorted(editWrites) === sorted(inPlace);
  console.log(`IAM writes at the floor: ${iamWrites === iamMin ? 'yes' : 'NO'} (${iamWrites} / ${iamMin})`);
  console.log(`policy edit on a role in use: ${edit.summary.status}, ${editTotal} write calls ${JSON.stringify(editWrites)}; CreateRole ${editWrites['iam:CreateRole'] ?? 0}, RunInstances ${editWrites['ec2:RunInstances'] ?? 0}; only the in-place writes ${JSON.stringify(inPlace)}: ${onlyInPlace ? 'yes' : 'NO'}`);
}

await run('clean', {});
if (!process.env.SKIP_FAULTS) await run('faults: 20% Throttling, 5% InternalError, 2% connection resets (SDK default retry timing)', { faults: { throttle: 0.2, internalError: 0.05, connectionReset: 0.02 }, seed: 42 });
