/**
 * Shared helpers for the apply/reap/crash suites: a sandbox over real HTTP, real SDK clients, the
 * real planner, and a quiet RunIo that captures output.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListRolesCommand, ListInstanceProfilesCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { startSandbox } from '../src/sandbox/index.js';
import type { RunningSandbox, SandboxOptions } from '../src/sandbox/types.js';
import { awsClients, SANDBOX_CREDENTIALS, type AwsClients, type AwsOptions } from '../src/aws/clients.js';
import { realHooks } from '../src/apply/hooks.js';
import { runApply, runDestroy, type ApplyOptions, type RunIo } from '../src/apply/run.js';
import type { Bundle } from '../src/compiler/types.js';

export const REGION = 'us-west-2';

export function tmp(prefix = 'charter-apply-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A spec with `roles` services (one of them used by a launch group of `count`). */
export function specText(o: { name?: string; roles?: number; count?: number; groups?: number; ttl?: string; extraPolicy?: string; naming?: 'stable' | 'content' } = {}): string {
  const roles = o.roles ?? 2;
  const groups = o.groups ?? 1;
  const L = [
    'version: 1',
    `name: ${o.name ?? 'apply-test'}`,
    'prefix: charter',
    ...(o.naming ? [`naming: ${o.naming}`] : []),
    `region: ${REGION}`,
    'account: "123456789012"',
    'tags: { owner: tests }',
    'services:',
  ];
  for (let i = 0; i < roles; i++) {
    L.push(`  svc${i}:`);
    L.push(`    policies: [s3:ReadOnly${i === 0 && o.extraPolicy ? `, ${o.extraPolicy}` : ''}]`);
    L.push(`    scope: { s3: ["arn:aws:s3:::bucket-${i}", "arn:aws:s3:::bucket-${i}/*"] }`);
    if (i === 0) L.push('    managed: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]');
    L.push('    trust: [ec2]');
  }
  if ((o.count ?? 2) > 0 && groups > 0) {
    L.push('instances:');
    for (let g = 0; g < groups; g++) {
      L.push(`  g${g}:`);
      L.push(`    service: svc${g % roles}`);
      L.push('    type: t3.micro');
      L.push('    image: ami-0123456789abcdef0');
      L.push(`    count: ${o.count ?? 2}`);
      L.push(`    ttl: ${o.ttl ?? '2h'}`);
    }
  }
  return L.join('\n') + '\n';
}

export function writeSpec(dir: string, text: string, file = 'spec.yaml'): string {
  const p = join(dir, file);
  writeFileSync(p, text);
  return p;
}

export async function sandbox(o: SandboxOptions = {}, fastRetries = false): Promise<{ sb: RunningSandbox; clients: AwsClients }> {
  const sb = await startSandbox({ region: REGION, ...o });
  const opts = { region: REGION, endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 8 };
  return { sb, clients: fastRetries ? fastRetryClients(opts) : awsClients(opts) };
}

/**
 * One sandbox for a test file: started before its tests (handed to `set`, which assigns the file's
 * own `sb` / `clients`), stopped after them, and with `resetEach` emptied (state and stats) before
 * each test.
 */
export function useSandbox(set: (s: { sb: RunningSandbox; clients: AwsClients }) => void, o: SandboxOptions & { resetEach?: boolean; fastRetries?: boolean } = {}): void {
  const { resetEach, fastRetries, ...options } = o;
  let running: RunningSandbox | undefined;
  beforeAll(async () => {
    const s = await sandbox(options, fastRetries);
    running = s.sb;
    set(s);
  });
  afterAll(async () => {
    await running?.stop();
  });
  if (resetEach) beforeEach(() => running?.reset());
}

/**
 * Real SDK clients with charter's retry strategy and a short backoff (10 ms × retry instead of the
 * 100 ms–20 s exponential), so fault-injection suites stay fast. Same retry decisions, same HTTP.
 */
export function fastRetryClients(o: AwsOptions): AwsClients {
  return awsClients({ ...o, retryDelay: (retry: number) => 10 * retry });
}

export interface Captured extends RunIo {
  text(): string;
}

export function captureIo(o: { inTty?: boolean; answer?: boolean } = {}): Captured {
  let buf = '';
  const w = { write: (s: string) => { buf += s; return true; } };
  return {
    out: w,
    err: w,
    outTty: false,
    inTty: o.inTty ?? false,
    confirm: async () => o.answer ?? false,
    text: () => buf,
  };
}

export function applyOptions(clients: AwsClients, dir: string, over: Partial<ApplyOptions> = {}): ApplyOptions {
  return {
    clients,
    hooks: realHooks(),
    io: captureIo(),
    autoApprove: true,
    prune: false,
    adopt: false,
    format: 'text',
    pool: 8,
    journalDir: join(dir, '.charter'),
    profileWaitMs: 120_000,
    signal: new AbortController().signal,
    ...over,
  };
}

export { runApply, runDestroy };

/** Everything in the sandbox that matters for convergence checks. */
export async function snapshot(clients: AwsClients) {
  const iam = await clients.iam();
  const ec2 = await clients.ec2();
  const roles = (await iam.send(new ListRolesCommand({ MaxItems: 1000 }))).Roles ?? [];
  const roleTags: Record<string, Record<string, string>> = {};
  for (const r of roles) {
    const g = await iam.send(new GetRoleCommand({ RoleName: r.RoleName! }));
    roleTags[r.RoleName!] = Object.fromEntries((g.Role?.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
  }
  const profiles = (await iam.send(new ListInstanceProfilesCommand({ MaxItems: 1000 }))).InstanceProfiles ?? [];
  const res = await ec2.send(new DescribeInstancesCommand({}));
  const instances = (res.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => ({
    id: i.InstanceId!,
    state: i.State?.Name ?? '',
    token: i.ClientToken ?? '',
    tags: Object.fromEntries((i.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
    profile: i.IamInstanceProfile?.Arn ?? '',
  }));
  return {
    roles: roles.map((r) => r.RoleName!).sort(),
    roleTags,
    profiles: profiles.map((p) => ({ name: p.InstanceProfileName!, roles: (p.Roles ?? []).map((r) => r.RoleName!) })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    instances,
    active: instances.filter((i) => ['pending', 'running', 'stopping', 'stopped'].includes(i.state)),
  };
}

/** The converged state a bundle wants: its roles, its profiles holding their role, `count` instances per group. */
export function expectConverged(snap: Awaited<ReturnType<typeof snapshot>>, bundle: Bundle): string[] {
  const problems: string[] = [];
  const managedRoles = snap.roles.filter((r) => snap.roleTags[r]?.['charter:managed'] === 'true');
  const want = bundle.roles.map((r) => r.name).sort();
  if (JSON.stringify(managedRoles) !== JSON.stringify(want)) problems.push(`roles ${managedRoles.join(',')} != ${want.join(',')}`);
  const wantProfiles = bundle.instanceProfiles.map((p) => p.name).sort();
  const gotProfiles = snap.profiles.map((p) => p.name);
  if (JSON.stringify(gotProfiles) !== JSON.stringify(wantProfiles)) problems.push(`profiles ${gotProfiles.join(',')} != ${wantProfiles.join(',')}`);
  for (const p of bundle.instanceProfiles) {
    const live = snap.profiles.find((x) => x.name === p.name);
    if (live && JSON.stringify(live.roles) !== JSON.stringify([p.roleName])) problems.push(`profile ${p.name} holds ${live.roles.join(',')}`);
  }
  for (const l of bundle.launches) {
    const n = snap.active.filter((i) => i.tags['charter:group'] === l.group).length;
    if (n !== l.count) problems.push(`group ${l.group}: ${n} active instances, want ${l.count}`);
  }
  return problems;
}
