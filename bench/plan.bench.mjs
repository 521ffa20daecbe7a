// Plan read cost: 500 roles (with instance profiles) and 200 instances in the sandbox, planned with
// the bulk reader (GetAccountAuthorizationDetails) and, for comparison, role by role. Counts come from
// the sandbox's own call counter. Bound (issue): ceil(500/100) + ceil(200/1000) + 3 read calls, plus
// the ListRoles pages that bring role descriptions and session durations (GAAD does not return
// them; issue 10 §2): ceil(roles / IAM page size), 1 call at AWS's 1,000 a page.
import { startSandbox } from '../dist/sandbox/index.js';
import { awsClients, SANDBOX_CREDENTIALS } from '../dist/aws/clients.js';
import { parseSpec } from '../dist/spec/load.js';
import { compileSpec } from '../dist/compiler/index.js';
import { readLiveState } from '../dist/aws/live-state.js';
import { plan } from '../dist/plan/plan.js';
import { readOptionsForBundle } from '../dist/plan/read-options.js';
import { EXPIRES_AT_PLACEHOLDER } from '../dist/compiler/types.js';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, AddRoleToInstanceProfileCommand } from '@aws-sdk/client-iam';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROLES = Number(process.env.PLAN_BENCH_ROLES ?? 500);
const INSTANCES = Number(process.env.PLAN_BENCH_INSTANCES ?? 200);
const GROUPS = Number(process.env.PLAN_BENCH_GROUPS ?? 100);

function specText() {
  const lines = ['version: 1', 'name: bench', 'prefix: charter', 'region: us-west-2', 'account: "123456789012"', 'services:'];
  for (let i = 0; i < ROLES; i++) {
    lines.push(`  svc${i}:`, `    statements:`, `      - actions: [s3:GetObject]`, `        resources: ["arn:aws:s3:::bucket-${i}/*"]`, `    trust: [ec2]`);
  }
  lines.push('instances:');
  for (let g = 0; g < GROUPS; g++) lines.push(`  group${g}:`, `    service: svc${g}`, `    type: t3.micro`, `    image: ami-0123456789abcdef0`, `    count: ${INSTANCES / GROUPS}`, `    ttl: 1h`);
  // The first GROUPS services run instances (so have instance profiles); the rest are plain roles,
  // like most roles in an account.
  return lines.join('\n') + '\n';
}

const tagList = (t) => Object.keys(t).map((Key) => ({ Key, Value: t[Key] }));

async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (next < items.length) await fn(items[next++]); }));
}

const sb = await startSandbox({ region: 'us-west-2' });
try {
  const cfg = { region: 'us-west-2', endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS };
  const iam = new IAMClient(cfg);
  const ec2 = new EC2Client(cfg);
  const b = await compileSpec(parseSpec(specText(), 'bench.yaml'));
  const t0 = performance.now();
  await pool(b.roles, 16, async (r) => {
    await iam.send(new CreateRoleCommand({ RoleName: r.name, Path: r.path, AssumeRolePolicyDocument: JSON.stringify(r.trust.document), Tags: tagList(r.tags) }));
    for (const p of r.inline) await iam.send(new PutRolePolicyCommand({ RoleName: r.name, PolicyName: p.name, PolicyDocument: JSON.stringify(p.document) }));
    for (const m of r.managed) await iam.send(new AttachRolePolicyCommand({ RoleName: r.name, PolicyArn: m.arn }));
  });
  for (const p of b.instanceProfiles) {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: p.name, Path: p.path, Tags: tagList(p.tags) }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: p.name, RoleName: p.roleName }));
  }
  for (const l of b.launches) {
    await pool([...Array(l.count).keys()], 16, async (i) => {
      await ec2.send(new RunInstancesCommand({ ...l.runInstances, MinCount: 1, MaxCount: 1, ClientToken: `bench-${l.group}-${i}`, UserData: Buffer.from(l.userData.replace(EXPIRES_AT_PLACEHOLDER, '2099-01-01T00:00:00Z')).toString('base64') }));
    });
  }
  console.log(`setup: ${b.roles.length} roles, ${b.instanceProfiles.length} instance profiles, ${INSTANCES} instances in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const bound = (page) => Math.ceil(ROLES / 100) + Math.ceil(INSTANCES / 1000) + 3 + Math.ceil(ROLES / page);
  const clients = awsClients({ ...cfg, maxAttempts: 3 });
  // "bulk/100": IAM pages of 100 items (the bound's assumption; AWS often returns short GAAD pages,
  // and so does the sandbox), DescribeInstances at 1000.
  for (const mode of ['auto', 'bulk/100', 'per-resource']) {
    sb.resetStats();
    const t = performance.now();
    const live = await readLiveState(clients, mode === 'bulk/100' ? { ...readOptionsForBundle(b, 'gaad'), pageSize: 100 } : readOptionsForBundle(b, mode));
    const tRead = performance.now() - t;
    const tp = performance.now();
    const p = await plan(b, live, { prune: false, adopt: false });
    const wall = performance.now() - t;
    const tPlan = performance.now() - tp;
    const tw = performance.now();
    await plan(b, live, { prune: false, adopt: false });
    const tWarm = performance.now() - tw;
    const s = sb.stats();
    const page = mode === 'bulk/100' ? 100 : 1000;
    const changed = p.changes.filter((c) => c.action !== 'no-op').length;
    console.log(
      `${{ auto: 'bulk (GAAD)   ', 'bulk/100': 'bulk, 100/page', 'per-resource': 'per-resource  ' }[mode]} read calls ${String(s.reads).padStart(5)} (reader counted ${live.readCalls}, mode ${live.readMode})  ` +
        `read ${tRead.toFixed(0)} ms, plan ${tPlan.toFixed(0)} ms (again: ${tWarm.toFixed(0)} ms), read+plan ${wall.toFixed(0)} ms, ${p.changes.length} plan entries, ${changed} changes` +
        (mode !== 'per-resource' ? `  bound ${bound(page)}: ${s.reads <= bound(page) ? 'OK' : 'EXCEEDED'}` : ''),
    );
    console.log(`   calls by action: ${JSON.stringify(s.actions)}`);
    if (mode !== 'per-resource' && (s.reads > bound(page) || changed !== 0)) process.exitCode = 1;
  }
} finally {
  await sb.stop();
}
