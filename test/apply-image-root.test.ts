/**
 * The encrypted root volume for an `ami-…` image: apply sends the image's RootDeviceName (one
 * ec2:DescribeImages per image per apply) so the encrypted mapping is the root volume and not an
 * extra one; an explicit volume.deviceName or a resolve:ssm: image sends the compiled name without
 * a lookup; a missing or unreadable image fails that group's launches with one clear line. Sandbox
 * over real HTTP with the real SDK.
 */
import { describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../src/sandbox/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { plan } from '../src/plan/plan.js';
import { savePlan } from '../src/plan/plan-file.js';
import { Journal, journalPath } from '../src/apply/journal.js';
import { applyTarget } from '../src/apply/run.js';
import { clientToken } from '../src/apply/client-token.js';
import { readLiveState } from '../src/aws/live-state.js';
import { readOptionsForBundle } from '../src/plan/read-options.js';
import { applyOptions, runApply, sandbox, tmp, writeSpec, REGION, useSandbox } from './apply-support.js';

const UBUNTU = 'ami-0aaaaaaaaaaaaaaa1';
const UBUNTU2 = 'ami-0aaaaaaaaaaaaaaa2';
const AL = 'ami-0bbbbbbbbbbbbbbb1';
const GONE = 'ami-0ddddddddddddddd1';

let sb: RunningSandbox;
let clients: AwsClients;
useSandbox((s) => ({ sb, clients } = s), {
  images: { [UBUNTU]: { rootDeviceName: '/dev/sda1' }, [UBUNTU2]: { rootDeviceName: '/dev/sda1' } },
  missingImages: [GONE],
  resetEach: true,
});

interface Dev {
  deviceName: string;
  encrypted: boolean;
}
interface Inst {
  imageId: string;
  clientToken?: string;
  tags: Array<{ Key: string; Value: string }>;
  blockDevices: Dev[];
}

/** Volumes as the sandbox recorded them at RunInstances (root device first). */
async function instances(): Promise<Inst[]> {
  const state = (await (await fetch(`${sb.endpoint}/_sandbox/state`)).json()) as { instances: Record<string, Inst> };
  return Object.values(state.instances);
}
const groupOf = (i: Inst) => i.tags.find((t) => t.Key === 'charter:group')?.Value;

function spec(groups: Record<string, string>): string {
  const L = ['version: 1', 'name: image-root', 'prefix: charter', `region: ${REGION}`, 'account: "123456789012"', 'services:', '  web:', '    policies: [s3:ReadOnly]', '    scope: { s3: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"] }', '    trust: [ec2]', 'instances:'];
  for (const [g, body] of Object.entries(groups)) L.push(`  ${g}:`, '    service: web', '    type: t3.micro', '    ttl: 1h', ...body.split('\n').filter(Boolean).map((l) => `    ${l}`));
  return L.join('\n') + '\n';
}

describe('apply: root device of ami- images', () => {
  it("an image whose root is /dev/sda1: the encrypted mapping is the root volume, no extra volume; one DescribeImages per image", async () => {
    const dir = tmp();
    const file = writeSpec(dir, spec({
      a: `image: ${UBUNTU}\ncount: 3`,
      b: `image: ${UBUNTU}\ncount: 2`,
      c: `image: ${AL}\ncount: 2`,
      d: `image: ${UBUNTU2}\ncount: 1`,
    }));
    const r = await runApply(file, applyOptions(clients, dir));
    expect(r.summary?.failed).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(sb.stats().actions['ec2:DescribeImages']).toBe(3);
    expect(sb.stats().actions['ec2:RunInstances']).toBe(8);
    const all = await instances();
    expect(all).toHaveLength(8);
    for (const i of all) {
      const want = i.imageId === AL ? '/dev/xvda' : '/dev/sda1';
      expect(i.blockDevices, `${groupOf(i)} ${i.imageId}`).toHaveLength(1);
      expect(i.blockDevices[0]).toMatchObject({ deviceName: want, encrypted: true });
    }
    // The journal holds the device name chosen for each token, so a retry sends the same bytes.
    sb.resetStats();
    const again = await runApply(file, applyOptions(clients, dir));
    expect(again.summary?.status).toBe('no-changes');
    expect(sb.stats().writes).toBe(0);
    expect(sb.stats().actions['ec2:DescribeImages']).toBeUndefined();
  });

  it('explicit volume.deviceName: no DescribeImages, that name is used', async () => {
    const dir = tmp();
    const file = writeSpec(dir, spec({ a: `image: ${UBUNTU}\ncount: 2\nvolume: { deviceName: /dev/sda1 }` }));
    const r = await runApply(file, applyOptions(clients, dir));
    expect(r.exitCode).toBe(0);
    expect(sb.stats().actions['ec2:DescribeImages']).toBeUndefined();
    for (const i of await instances()) expect(i.blockDevices).toEqual([expect.objectContaining({ deviceName: '/dev/sda1', encrypted: true })]);
  });

  it('resolve:ssm: images: no DescribeImages, the path heuristic decides the device name', async () => {
    const dir = tmp();
    const file = writeSpec(dir, spec({
      u: 'image: resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
      l: 'image: resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    }));
    const r = await runApply(file, applyOptions(clients, dir));
    expect(r.exitCode).toBe(0);
    expect(sb.stats().actions['ec2:DescribeImages']).toBeUndefined();
    const byGroup = Object.fromEntries((await instances()).map((i) => [groupOf(i), i.blockDevices]));
    expect(byGroup.u).toEqual([expect.objectContaining({ deviceName: '/dev/sda1', encrypted: true })]);
    expect(byGroup.l).toEqual([expect.objectContaining({ deviceName: '/dev/xvda', encrypted: true })]);
  });

  it('a missing AMI fails that group with one line naming the image; nothing launched for it, other groups launch', async () => {
    const dir = tmp();
    const file = writeSpec(dir, spec({ bad: `image: ${GONE}\ncount: 3`, good: `image: ${UBUNTU}\ncount: 1` }));
    const r = await runApply(file, applyOptions(clients, dir));
    expect(r.exitCode).not.toBe(0);
    const failed = r.summary?.failed ?? [];
    expect(failed.map((f) => f.step).sort()).toEqual(['launch.bad[0]', 'launch.bad[1]', 'launch.bad[2]']);
    for (const f of failed) {
      expect(f.error).not.toContain('\n');
      expect(f.error).toContain(`image ${GONE} of launch group "bad" was not found`);
      expect(f.error).toMatch(/AMI id is wrong.*not shared with this account/);
    }
    expect(sb.stats().actions['ec2:DescribeImages']).toBe(2);
    const all = await instances();
    expect(all.map(groupOf)).toEqual(['good']);
    expect(sb.stats().actions['ec2:RunInstances']).toBe(1);
  });

  it('DescribeImages denied: the launch fails naming ec2:DescribeImages, nothing launched', async () => {
    const denied = await sandbox({ deny: ['ec2:DescribeImages'], images: { [UBUNTU]: { rootDeviceName: '/dev/sda1' } } });
    try {
      const dir = tmp();
      const file = writeSpec(dir, spec({ a: `image: ${UBUNTU}\ncount: 2` }));
      const r = await runApply(file, applyOptions(denied.clients, dir));
      expect(r.exitCode).not.toBe(0);
      const errs = (r.summary?.failed ?? []).map((f) => f.error);
      expect(errs).toHaveLength(2);
      for (const e of errs) expect(e).toMatch(/^image ami-0aaaaaaaaaaaaaaa1 of launch group "a": ec2:DescribeImages was denied.*volume\.deviceName/);
      expect(denied.sb.stats().actions['ec2:RunInstances'] ?? 0).toBe(0);
    } finally {
      await denied.sb.stop();
    }
  });

  it('the device name is journalled with the client token; a resumed launch resends it without a new lookup', async () => {
    const dir = tmp();
    const file = writeSpec(dir, spec({ a: `image: ${UBUNTU}\ncount: 2` }));
    const bundle = await compileSpec(loadSpecFile(file));
    const p = await plan(bundle, await readLiveState(clients, readOptionsForBundle(bundle)), { prune: false, adopt: false });
    const planFile = join(dir, 'plan.json');
    savePlan(p, planFile);
    // An earlier run of this plan chose the parameters for token a[0] (here a different device
    // name than the image answers now) and died before its RunInstances went out.
    const journalDir = join(dir, '.charter');
    mkdirSync(journalDir, { recursive: true });
    const target = applyTarget({ clients }, { account: p.account }, p);
    const earlier = new Journal(journalPath(journalDir, p.planId, target), p.planId, target, { newAttemptId: () => 'earlier-attempt' });
    const t0 = clientToken(earlier.tokenSeed, 'a', 0);
    earlier.recordLaunch(t0, { group: 'a', index: 0, launchMs: Date.now() - 1000, rootDeviceName: '/dev/xvdb' });
    sb.resetStats();
    const r = await runApply(planFile, applyOptions(clients, dir, { journalDir }));
    expect(r.summary?.failed).toEqual([]);
    // a[1] needed the lookup, a[0] did not; both tokens now carry their device name.
    expect(sb.stats().actions['ec2:DescribeImages']).toBe(1);
    // Volumes per token, root first: a[0] sent the journalled /dev/xvdb (so, as on EC2, it got the
    // image's own unencrypted root plus an extra volume), a[1] the image's root device.
    const byToken = Object.fromEntries((await instances()).map((i) => [i.clientToken, i.blockDevices.map((d) => `${d.deviceName}${d.encrypted ? ' encrypted' : ''}`)]));
    const t1 = clientToken(earlier.tokenSeed, 'a', 1);
    expect(byToken).toEqual({ [t0]: ['/dev/sda1', '/dev/xvdb encrypted'], [t1]: ['/dev/sda1 encrypted'] });
    // The attempt completed, so its journal is gone; the device names went out as recorded above.
    expect(existsSync(journalPath(journalDir, p.planId, target))).toBe(false);
  });
});
