/**
 * Issue 10 §3: the plan says exactly what happens to what is running, and apply does exactly that.
 * Count down (terminations without --prune, --detailed-exitcode 2), onChange replace (the new
 * instances run before the old ones are terminated: read from the sandbox's own instance records),
 * onChange keep, and a TTL / idle-timeout change as tags updated in place (no RunInstances).
 * Sandbox over real HTTP, real SDK clients, the real planner and executor; the CLI in process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTagsCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../src/sandbox/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import { readLiveState } from '../src/aws/live-state.js';
import { readOptionsForBundle } from '../src/plan/read-options.js';
import { plan, hasChanges } from '../src/plan/plan.js';
import { parsePlan, planToJson } from '../src/plan/plan-file.js';
import { renderMarkdown, renderText } from '../src/plan/plan-format.js';
import { realHooks } from '../src/apply/hooks.js';
import type { InstancesChange, Plan } from '../src/plan/types.js';
import { applyOptions, runApply, sandbox, snapshot, specText, tmp, useSandbox, writeSpec } from './apply-support.js';
import { charter, sandboxEnv } from './cli-support.js';
import { reasonText } from '../src/plan/reasons.js';

const START_MS = 250;
let sb: RunningSandbox;
let clients: AwsClients;
// Instances stay pending for START_MS: a replacement has to wait for "running" for real.
useSandbox((s) => ({ sb, clients } = s), { resetEach: true, instanceStartDelayMs: START_MS });

const WRITES = (a: Record<string, number>) => Object.fromEntries(Object.entries(a).filter(([k]) => !/:(Get|List|Describe)/.test(k) && !k.endsWith('(DryRun)') && k !== 'sts:GetCallerIdentity'));

async function planOf(spec: string, o: { prune?: boolean } = {}): Promise<Plan> {
  const hooks = realHooks();
  const { bundle: b } = await hooks.loadAndCompile(spec);
  return plan(b, await readLiveState(clients, readOptionsForBundle(b)), { prune: o.prune ?? false, adopt: false });
}

const at = (p: Plan, address: string): InstancesChange => {
  const c = p.changes.find((x) => x.address === address);
  if (!c) throw new Error(`no change ${address} in ${p.changes.map((x) => x.address).join(', ')}`);
  if (c.kind !== 'instances') throw new Error(`${address} is a ${c.kind} change`);
  return c;
};

/** The plan survives the JSON format (schema-valid, same plan id). */
function roundTrips(p: Plan): void {
  expect(parsePlan(planToJson(p), 'plan.json').planId).toBe(p.planId);
}

interface SandboxInstance {
  id: string;
  launchedAt: number;
  terminateRequestedAt?: number;
  tags: Array<{ key: string; value: string }> | Array<[string, string]>;
}

async function sandboxInstances(): Promise<SandboxInstance[]> {
  const state = (await (await fetch(`${sb.endpoint}/_sandbox/state`)).json()) as { instances: Record<string, SandboxInstance> };
  return Object.values(state.instances);
}

const activeIds = async () => (await snapshot(clients)).active.map((i) => i.id).sort();

async function applied(spec: string, o: { prune?: boolean } = {}) {
  const dir = tmp();
  const r = await runApply(spec, applyOptions(clients, dir, { prune: o.prune ?? false }));
  expect(r.summary?.failed).toEqual([]);
  expect(r.exitCode).toBe(0);
  return r;
}

describe('count is the truth', () => {
  it('lowering count terminates the newest extras, without --prune; plan --detailed-exitcode exits 2; then clean', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 1, count: 3 }));
    await applied(spec);
    expect(await activeIds()).toHaveLength(3);
    writeFileSync(spec, specText({ roles: 1, count: 1 }));

    const p = await planOf(spec);
    const extra = at(p, 'launch.g0.extra');
    expect(extra).toMatchObject({ action: 'delete', kind: 'instances' });
    expect(extra.orphan).toBeUndefined();
    expect(extra.terminate).toHaveLength(2);
    const rows = at(p, 'launch.g0').instances!;
    expect(rows.filter((r) => r.fate === 'terminate').map((r) => [r.instanceId, r.why])).toEqual(extra.terminate!.map((id) => [id, 'beyond-count']));
    const kept = rows.filter((r) => r.fate === 'keep').map((r) => r.instanceId);
    expect(kept).toHaveLength(1);
    expect(at(p, 'launch.g0')).toMatchObject({ action: 'no-op', launch: { indexes: [], running: 1, desired: 1 } });
    expect(hasChanges(p)).toBe(true);
    expect(p.summary.delete).toBe(1);
    expect(extra.reason).toEqual({ code: 'terminate', beyondCount: { instances: 2, count: 1 } });
    expect(reasonText(extra.reason)).toBe('terminate 2 beyond count 1');
    const doomed = rows.find((r) => r.instanceId === extra.terminate![0])!;
    expect(renderText(p)).toContain(`${doomed.instanceId}  ${doomed.state}  current  terminate (beyond count)`);
    roundTrips(p);
    // The oldest launch stays (ties: the lower instance id).
    const live = (await readLiveState(clients, readOptionsForBundle((await realHooks().loadAndCompile(spec)).bundle))).instances;
    const oldest = [...live].sort((a, b) => ((a.launchTime ?? '') < (b.launchTime ?? '') ? -1 : (a.launchTime ?? '') > (b.launchTime ?? '') ? 1 : a.instanceId < b.instanceId ? -1 : 1))[0]!;
    expect(kept).toEqual([oldest.instanceId]);

    const cli = await charter(['plan', 'spec.yaml', '--endpoint', sb.endpoint, '--detailed-exitcode'], { cwd: dir, env: sandboxEnv() });
    expect(cli.code).toBe(2);
    expect(cli.stdout).toContain('launch.g0.extra');

    sb.resetStats();
    const r = await applied(spec);
    expect(WRITES(sb.stats().actions)).toEqual({ 'ec2:TerminateInstances': 1 });
    expect([...r.summary!.terminated].sort()).toEqual([...extra.terminate!].sort());
    expect(await activeIds()).toEqual(kept);
    const clean = await charter(['plan', 'spec.yaml', '--endpoint', sb.endpoint, '--detailed-exitcode'], { cwd: dir, env: sandboxEnv() });
    expect(clean.code).toBe(0);
  });
});

describe('onChange', () => {
  it('replace (default): the new instances are running before the old ones are terminated', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 1, count: 2 }));
    await applied(spec);
    const old = await activeIds();
    writeFileSync(spec, specText({ roles: 1, count: 2 }).replace('t3.micro', 't3.small'));

    const p = await planOf(spec);
    const launch = at(p, 'launch.g0');
    expect(launch).toMatchObject({ action: 'create', launch: { indexes: [0, 1], running: 0, desired: 2, onChange: 'replace', replaces: old } });
    expect(launch.config).toMatchObject({ instanceType: 't3.small', count: 2, onChange: 'replace', expiresAtRule: 'launch time + 2h', imds: { instanceMetadataTags: true } });
    expect(launch.instances!.map((r) => [r.instanceId, r.config, r.fate, r.why])).toEqual(old.map((id) => [id, 'outdated', 'terminate', 'replaced']));
    expect(at(p, 'launch.g0.extra')).toMatchObject({ action: 'delete', terminate: old, dependsOn: ['launch.g0'] });
    expect(renderText(p)).toMatch(/launches 2 × t3\.small ami-0123456789abcdef0, on-demand, default subnet, IMDSv2 hop 1, tags in metadata, root image's root device encrypted, ttl 2h \(expires-at = launch time \+ 2h\), user-data [\d,]+ bytes sha256 [0-9a-f]{12}, profile \S+, onChange replace/);
    for (const r of launch.instances!) expect(renderMarkdown(p)).toContain(`| \`${r.instanceId}\` | ${r.state} | outdated | terminate (older launch configuration) |`);
    roundTrips(p);

    sb.resetStats();
    const r = await applied(spec);
    expect(WRITES(sb.stats().actions)).toEqual({ 'ec2:RunInstances': 2, 'ec2:TerminateInstances': 1 });
    expect([...r.summary!.terminated].sort()).toEqual(old);
    // The order, from the sandbox's own records: each old instance's termination was requested
    // after every new instance had reached "running" (launchedAt + START_MS).
    const recs = await sandboxInstances();
    const fresh = recs.filter((i) => !old.includes(i.id));
    expect(fresh).toHaveLength(2);
    const lastRunning = Math.max(...fresh.map((i) => i.launchedAt + START_MS));
    for (const id of old) {
      const t = recs.find((i) => i.id === id)!.terminateRequestedAt;
      expect(t).toBeDefined();
      expect(t!).toBeGreaterThanOrEqual(lastRunning);
    }
    expect(fresh.every((i) => i.terminateRequestedAt === undefined)).toBe(true);
    expect((await planOf(spec)).changes.filter((c) => c.action !== 'no-op')).toEqual([]);
  });

  it('replace: when a new instance cannot be launched, the old ones are not terminated', async () => {
    const missing = 'ami-0fffffffffffffff0';
    const own = await sandbox({ missingImages: [missing], instanceStartDelayMs: START_MS });
    try {
      const dir = tmp();
      const spec = writeSpec(dir, specText({ roles: 1, count: 2 }));
      const first = await runApply(spec, applyOptions(own.clients, dir));
      expect(first.exitCode).toBe(0);
      const old = (await snapshot(own.clients)).active.map((i) => i.id).sort();
      writeFileSync(spec, specText({ roles: 1, count: 2 }).replace('ami-0123456789abcdef0', missing));
      own.sb.resetStats();
      const r = await runApply(spec, applyOptions(own.clients, dir));
      expect(r.exitCode).toBe(1);
      expect(r.summary?.failed.map((f) => f.step).sort()).toEqual(['launch.g0.extra', 'launch.g0[0]', 'launch.g0[1]']);
      expect(r.summary?.failed.find((f) => f.step === 'launch.g0.extra')?.error).toMatch(/waits for launch\.g0\[\d\], which failed/);
      expect(own.sb.stats().actions['ec2:TerminateInstances']).toBeUndefined();
      expect((await snapshot(own.clients)).active.map((i) => i.id).sort()).toEqual(old);
    } finally {
      await own.sb.stop();
    }
  });

  it('keep: running instances of the old configuration count toward count and run on; later launches use the new one', async () => {
    const dir = tmp();
    const keep = (count: number, type = 't3.micro') => specText({ roles: 1, count }).replace('t3.micro', type).replace(`    count: ${count}\n`, `    count: ${count}\n    onChange: keep\n`);
    const spec = writeSpec(dir, keep(2));
    await applied(spec);
    const old = await activeIds();
    writeFileSync(spec, keep(2, 't3.small'));

    const p = await planOf(spec);
    const launch = at(p, 'launch.g0');
    expect(launch).toMatchObject({ action: 'no-op', launch: { indexes: [], running: 2, desired: 2, onChange: 'keep' } });
    expect(launch.reason).toEqual({ code: 'running', running: 2, desired: 2, keptOlder: 2 });
    expect(reasonText(launch.reason)).toBe('2 of 2 running (2 with an older launch configuration, kept until they end: onChange keep)');
    expect(launch.instances!.map((r) => [r.config, r.fate])).toEqual([['outdated', 'keep'], ['outdated', 'keep']]);
    expect(hasChanges(p)).toBe(false);
    sb.resetStats();
    expect((await applied(spec)).summary?.status).toBe('no-changes');
    expect(sb.stats().writes).toBe(0);

    // One more: launched with the new configuration; the old two still run.
    writeFileSync(spec, keep(3, 't3.small'));
    sb.resetStats();
    await applied(spec);
    expect(WRITES(sb.stats().actions)).toEqual({ 'ec2:RunInstances': 1 });
    const snap = await snapshot(clients);
    expect(snap.active).toHaveLength(3);
    const added = snap.active.find((i) => !old.includes(i.id))!;
    expect(added.tags['charter:hash']).not.toBe(snap.active.find((i) => i.id === old[0])!.tags['charter:hash']);

    // Down to one: the older configuration goes first, the current one stays.
    writeFileSync(spec, keep(1, 't3.small'));
    const down = await planOf(spec);
    expect([...at(down, 'launch.g0.extra').terminate!].sort()).toEqual(old);
    await applied(spec);
    expect(await activeIds()).toEqual([added.id]);
  });
});

describe('a TTL or idle-timeout change needs no relaunch', () => {
  it('expires-at, ttl and idle-timeout tags are updated in place; the plan shows old and new expires-at per instance', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 1, count: 2, ttl: '2h' }));
    const first = await applied(spec);
    const launched = new Map(first.summary!.launched.map((l) => [l.instanceId, l.expiresAt!]));
    writeFileSync(spec, specText({ roles: 1, count: 2, ttl: '6h' }).replace('    ttl: 6h\n', '    ttl: 6h\n    idleTimeout: 30m\n'));

    const p = await planOf(spec);
    const launch = at(p, 'launch.g0');
    expect(launch.action).toBe('update');
    expect(launch.reason).toEqual({ code: 'retag', instances: 2 });
    expect(reasonText(launch.reason)).toBe('2 running instances: ttl/idle-timeout tags updated in place (no relaunch)');
    expect(p.changes.find((c) => c.address === 'launch.g0.extra')).toBeUndefined();
    const plus4h = (t: string) => new Date(Date.parse(t) + 4 * 3600_000).toISOString().replace('.000Z', 'Z');
    for (const r of launch.instances!) {
      const before = launched.get(r.instanceId)!;
      expect(r).toMatchObject({ config: 'current', fate: 'retag', expiresAt: { before, after: plus4h(before) } });
      expect(r.tags).toEqual({ set: { 'charter:expires-at': plus4h(before), 'charter:idle-timeout': '30m', 'charter:ttl': '6h' }, remove: [] });
      expect(renderText(p)).toContain(`${r.instanceId}  ${r.state}  current  tags updated in place  expires-at ${before} → ${plus4h(before)}`);
      expect(renderMarkdown(p)).toContain(`| \`${r.instanceId}\` | ${r.state} | current | tags updated in place | ${before} → ${plus4h(before)} |`);
    }
    roundTrips(p);

    sb.resetStats();
    const r = await applied(spec);
    const writes = WRITES(sb.stats().actions);
    expect(writes['ec2:RunInstances']).toBeUndefined();
    expect(writes['ec2:TerminateInstances']).toBeUndefined();
    // one call per distinct tag set: instances launched in the same second share their expires-at
    expect(writes['ec2:CreateTags']).toBe(new Set(launched.values()).size);
    expect([...r.summary!.retagged].sort()).toEqual([...launched.keys()].sort());
    const volumes = (await (await clients.ec2()).send(new DescribeVolumesCommand({}))).Volumes ?? [];
    for (const i of (await snapshot(clients)).active) {
      const want = { 'charter:ttl': '6h', 'charter:idle-timeout': '30m', 'charter:expires-at': plus4h(launched.get(i.id)!) };
      expect(i.tags).toMatchObject(want);
      // its volumes carry the same tags (launched with them, updated with them)
      const own = volumes.filter((v) => (v.Attachments ?? []).some((a) => a.InstanceId === i.id));
      expect(own.length).toBeGreaterThan(0);
      for (const v of own) expect(Object.fromEntries((v.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']))).toMatchObject(want);
    }
    expect((await planOf(spec)).changes.filter((c) => c.action !== 'no-op')).toEqual([]);

    // Dropping the idle timeout removes its tag (DeleteTags), still no relaunch.
    writeFileSync(spec, specText({ roles: 1, count: 2, ttl: '6h' }));
    const drop = at(await planOf(spec), 'launch.g0');
    expect(drop.instances!.map((x) => x.tags)).toEqual([{ set: {}, remove: ['charter:idle-timeout'] }, { set: {}, remove: ['charter:idle-timeout'] }]);
    sb.resetStats();
    await applied(spec);
    expect(WRITES(sb.stats().actions)).toEqual({ 'ec2:DeleteTags': 1 });
    expect((await snapshot(clients)).active.every((i) => i.tags['charter:idle-timeout'] === undefined)).toBe(true);
  });

  it('a saved plan with tag updates is stale once the tags it decided from moved', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 1, count: 1, ttl: '2h' }));
    await applied(spec);
    writeFileSync(spec, specText({ roles: 1, count: 1, ttl: '3h' }));
    const p = await planOf(spec);
    const [row] = at(p, 'launch.g0').instances!;
    expect(row!.fate).toBe('retag');
    const file = join(dir, 'plan.json');
    writeFileSync(file, planToJson(p));
    // Someone extends the instance by hand after the plan was made: the plan's expires-at is old news.
    await (await clients.ec2()).send(new CreateTagsCommand({ Resources: [row!.instanceId], Tags: [{ Key: 'charter:expires-at', Value: '2099-01-01T00:00:00Z' }] }));
    sb.resetStats();
    await expect(runApply(file, applyOptions(clients, tmp()))).rejects.toThrow(/stale plan refused[\s\S]*instances:g0 changed since the plan/);
    expect(WRITES(sb.stats().actions)).toEqual({});
  });
});
