/**
 * The executor runs a plan in the order the plan states (Change.dependsOn, computed by the planner in
 * src/plan/dependencies.ts), deletes included: against the sandbox over HTTP with the real SDK
 * clients, an apply --prune that detaches customer policies and deletes them, terminates an
 * orphaned group, takes its role out of the profile and deletes profile and role. Every step starts
 * only after each step of every change it depends on has ended.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { ListPoliciesCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../src/aws/clients.js';
import type { ProgressSink } from '../src/apply/executor.js';
import type { Change } from '../src/plan/types.js';
import { applyOptions, runApply, snapshot, tmp, useSandbox, writeSpec } from './apply-support.js';

let clients: AwsClients;
useSandbox((s) => ({ clients } = s));

const HEAD = 'version: 1\nname: order\nprefix: charter\nregion: us-west-2\nservices:\n';
/** Enough statements that the role's documents overflow into customer-managed policies. */
const BIG = Array.from({ length: 80 }, (_, i) => `      - actions: [s3:GetObject, s3:PutObject]\n        resources: ["arn:aws:s3:::a-very-long-bucket-name-for-overflow-testing-${i}/some/deep/prefix/*"]`).join('\n');
const SMALL = '      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::small-bucket/*"]';
const big = (statements: string) => `  big:\n    name: order-big\n    trust: [ec2]\n    statements:\n${statements}\n`;
const OLD = '  old:\n    trust: [ec2]\n    policies: [logs:WriteOnly]\n';
const GROUP = 'instances:\n  w:\n    service: old\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    count: 1\n    ttl: 1h\n';

/** Records step starts and ends in the order they happen. */
function recorder(): ProgressSink & { events: string[] } {
  const events: string[] = [];
  return { events, start: (s) => events.push(`start ${s.id}`), end: (s) => events.push(`end ${s.id}`) };
}

describe('apply follows the dependencies the plan states', () => {
  it('--prune: detach before deleting a policy; terminate, then the role out of its profile, then profile and role', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, HEAD + big(BIG) + OLD + GROUP);
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    const before = await snapshot(clients);
    expect(before.active).toHaveLength(1);
    const iam = await clients.iam();
    expect(((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).length).toBeGreaterThan(0);

    writeFileSync(spec, HEAD + big(SMALL));
    const rec = recorder();
    const r = await runApply(spec, applyOptions(clients, dir, { prune: true, observe: rec }));
    expect(r.summary?.failed).toEqual([]);
    expect(r.exitCode).toBe(0);
    const changes = r.plan!.changes;
    const at = (pred: (c: Change) => boolean) => changes.filter((c) => c.action !== 'no-op' && pred(c));

    // What the plan states.
    const detaches = at((c) => c.kind === 'policy-attachment' && c.action === 'delete');
    const policyDeletes = at((c) => c.kind === 'managed-policy' && c.action === 'delete');
    expect(detaches.length).toBeGreaterThan(0);
    expect(policyDeletes).toHaveLength(detaches.length);
    for (const p of policyDeletes) expect(p.dependsOn).toContain(detaches.find((d) => d.target?.policyArn === p.target?.policyArn)!.address);
    const [terminate] = at((c) => c.kind === 'instances' && c.action === 'delete');
    const [removal] = at((c) => c.kind === 'role-in-profile' && c.action === 'delete');
    const [profileDelete] = at((c) => c.kind === 'instance-profile' && c.action === 'delete');
    const [roleDelete] = at((c) => c.kind === 'role' && c.action === 'delete');
    expect(terminate && removal && profileDelete && roleDelete).toBeTruthy();
    expect(removal!.dependsOn).toEqual([terminate!.address]);
    expect(profileDelete!.dependsOn).toContain(removal!.address);
    expect(roleDelete!.dependsOn).toContain(removal!.address);
    expect(roleDelete!.dependsOn).toContain(profileDelete!.address);
    // A role's detaches wait for its new inline policy (permissions move before the old ones go).
    const put = at((c) => c.kind === 'inline-policy' && c.action !== 'delete');
    expect(put.length).toBeGreaterThan(0);
    for (const d of detaches) for (const p of put) expect(d.dependsOn).toContain(p.address);

    // What the executor did: each step started after every step it waits for ended.
    const pos = (e: string) => rec.events.indexOf(e);
    const stepsOf = (address: string) => rec.events.filter((e) => e === `end ${address}` || e.startsWith(`end ${address}[`)).map((e) => e.slice(4));
    let checked = 0;
    for (const c of changes) {
      if (c.action === 'no-op') continue;
      expect(pos(`start ${c.address}`), c.address).toBeGreaterThanOrEqual(0);
      for (const d of c.dependsOn ?? []) {
        const ends = stepsOf(d);
        expect(ends.length, `${c.address} waits for ${d}`).toBeGreaterThan(0);
        for (const e of ends) expect(pos(`end ${e}`), `${d} ends before ${c.address} starts`).toBeLessThan(pos(`start ${c.address}`));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(detaches.length + 4);

    const after = await snapshot(clients);
    expect(after.roles).toEqual(['order-big']);
    expect(after.profiles).toEqual([]);
    expect(after.active).toEqual([]);
    expect((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).toEqual([]);
  });
});
