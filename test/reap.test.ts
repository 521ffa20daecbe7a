/**
 * `charter reap` against the sandbox: only managed instances past a valid expires-at are
 * terminated; --dry-run changes nothing; unmanaged, unexpired, untagged and malformed ones are left
 * alone; a second run (cron) is a no-op.
 */
import { describe, expect, it } from 'vitest';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { reap, formatReapText } from '../src/apply/reap.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import type { InstancesChange } from '../src/plan/types.js';
import { applyOptions, runApply, snapshot, specText, tmp, writeSpec, useSandbox } from './apply-support.js';

let sb: RunningSandbox;
let clients: AwsClients;
useSandbox((s) => ({ sb, clients } = s));

async function launchRaw(tags: Record<string, string>): Promise<string> {
  const ec2 = await clients.ec2();
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-0123456789abcdef0',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [{ ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
    }),
  );
  return out.Instances![0]!.InstanceId!;
}

describe('reap', () => {
  it('terminates only managed instances past a valid expires-at; dry run changes nothing; re-run is a no-op', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ name: 'reaped', roles: 1, count: 2, ttl: '1h' }));
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    const ours = (await snapshot(clients)).active.map((i) => i.id).sort();
    expect(ours).toHaveLength(2);
    const past = new Date(Date.now() - 60_000).toISOString();
    const unmanagedExpired = await launchRaw({ 'charter:expires-at': past });
    const managedOtherPrefix = await launchRaw({ 'spawn:managed': 'true', 'spawn:expires-at': past });
    const noExpiry = await launchRaw({ 'charter:managed': 'true' });
    const malformed = await launchRaw({ 'charter:managed': 'true', 'charter:expires-at': 'next tuesday' });
    const managedExpired = await launchRaw({ 'charter:managed': 'true', 'charter:expires-at': past });

    // Now: the applied ones (ttl 1h) are not expired yet.
    const ec2 = await clients.ec2();
    sb.resetStats();
    const now = await reap({ ec2, prefix: 'charter', dryRun: false });
    expect(now.terminated).toEqual([managedExpired]);
    expect(now.noExpiry).toEqual([noExpiry]);
    expect(now.invalidExpiry.map((x) => x.instanceId)).toEqual([malformed]);

    // Two hours later: dry run lists ours, changes nothing.
    const later = Date.now() + 2 * 3600_000;
    sb.resetStats();
    const dry = await reap({ ec2, prefix: 'charter', dryRun: true, now: later });
    expect(dry.expired.map((e) => e.instanceId).sort()).toEqual(ours);
    expect(dry.terminated).toEqual([]);
    expect(sb.stats().writes).toBe(0);
    expect(formatReapText(dry)).toMatch(/would terminate/);

    // Scoped to another spec: nothing.
    expect((await reap({ ec2, prefix: 'charter', dryRun: false, now: later, spec: 'other-spec' })).terminated).toEqual([]);

    const real = await reap({ ec2, prefix: 'charter', dryRun: false, now: later, spec: 'reaped' });
    expect(real.terminated.sort()).toEqual(ours);
    const active = (await snapshot(clients)).active.map((i) => i.id);
    for (const id of ours) expect(active).not.toContain(id);
    for (const id of [unmanagedExpired, managedOtherPrefix, noExpiry, malformed]) expect(active).toContain(id);

    // Cron again: nothing left to do, zero writes.
    sb.resetStats();
    const again = await reap({ ec2, prefix: 'charter', dryRun: false, now: later });
    expect(again.terminated).toEqual([]);
    expect(sb.stats().writes).toBe(0);

    // The spawn prefix reaps its own.
    expect((await reap({ ec2, prefix: 'spawn', dryRun: false })).terminated).toEqual([managedOtherPrefix]);
  });

  it('after reaping, a plan shows the group as an explicit relaunch and apply relaunches it', async () => {
    (sb as RunningSandbox & { reset(): void }).reset();
    const dir = tmp();
    const spec = writeSpec(dir, specText({ name: 'relaunch', roles: 1, count: 1, ttl: '30m' }));
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    const ec2 = await clients.ec2();
    const r = await reap({ ec2, prefix: 'charter', dryRun: false, now: Date.now() + 3600_000, spec: 'relaunch' });
    expect(r.terminated).toHaveLength(1);
    const again = await runApply(spec, applyOptions(clients, dir));
    expect(again.plan?.changes.find((c): c is InstancesChange => c.kind === 'instances' && c.action === 'create')?.launch?.relaunch).toBe(true);
    expect(again.summary?.launched).toHaveLength(1);
  });
});
