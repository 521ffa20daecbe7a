/**
 * Apply against the sandbox over real HTTP with real SDK clients and the real planner: minimum
 * writes, no-op re-apply, stale plans, unmanaged collisions, approval, destroy, prune, faults.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand, GetRolePolicyCommand, ListInstanceProfileTagsCommand, ListRoleTagsCommand, TagInstanceProfileCommand, TagRoleCommand } from '@aws-sdk/client-iam';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { plan } from '../src/plan/plan.js';
import { savePlan } from '../src/plan/plan-file.js';
import { readLiveState } from '../src/aws/live-state.js';
import { readOptionsForBundle } from '../src/plan/read-options.js';
import { RuntimeError } from '../src/diagnostics.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import { applyOptions, captureIo, expectConverged, runApply, runDestroy, sandbox, snapshot, specText, tmp, writeSpec, useSandbox } from './apply-support.js';
import { reasonText } from '../src/plan/reasons.js';

// Writes only: reads and dry runs (the profile-usable probe, "ec2:RunInstances(DryRun)") are not.
const WRITE_ACTIONS = (a: Record<string, number>) => Object.fromEntries(Object.entries(a).filter(([k]) => !/:(Get|List|Describe)/.test(k) && !k.endsWith('(DryRun)') && k !== 'sts:GetCallerIdentity'));

let sb: RunningSandbox;
let clients: AwsClients;
useSandbox((s) => ({ sb, clients } = s), { resetEach: true });

async function bundleOf(spec: string) {
  return compileSpec(loadSpecFile(spec));
}

describe('apply: writes', () => {
  it('a first apply makes exactly the minimum writes; a second one makes none', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 3, count: 3, groups: 2 }));
    const bundle = await bundleOf(spec);
    const r = await runApply(spec, applyOptions(clients, dir));
    expect(r.exitCode).toBe(0);
    const want: Record<string, number> = {
      'iam:CreateRole': bundle.roles.length,
      'iam:PutRolePolicy': bundle.roles.reduce((n, x) => n + x.inline.length, 0),
      'iam:AttachRolePolicy': bundle.roles.reduce((n, x) => n + x.managed.length, 0),
      'iam:CreateInstanceProfile': bundle.instanceProfiles.length,
      'iam:AddRoleToInstanceProfile': bundle.instanceProfiles.length,
      'ec2:RunInstances': bundle.launches.reduce((n, l) => n + l.count, 0),
    };
    expect(want['iam:AttachRolePolicy']).toBeGreaterThan(0);
    expect(WRITE_ACTIONS(sb.stats().actions)).toEqual(want);
    expect(sb.stats().writes).toBe(Object.values(want).reduce((a, b) => a + b, 0));
    expect(r.summary?.writeCalls).toBe(sb.stats().writes);
    expect(r.summary?.launched).toHaveLength(6);
    expect(r.summary?.roles.every((x) => x.arn.startsWith('arn:aws:iam::123456789012:role/'))).toBe(true);

    // Tags at launch: expires-at = launch time + ttl (RFC 3339), index, group.
    const snap = await snapshot(clients);
    expect(expectConverged(snap, bundle)).toEqual([]);
    for (const i of snap.active) {
      const exp = Date.parse(i.tags['charter:expires-at']!);
      expect(i.tags['charter:expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Math.abs(exp - (Date.now() + 2 * 3600_000))).toBeLessThan(120_000);
      expect(i.tags['charter:managed']).toBe('true');
      expect(i.tags['charter:index']).toMatch(/^\d$/);
    }

    sb.resetStats();
    const again = await runApply(spec, applyOptions(clients, dir));
    expect(again.exitCode).toBe(0);
    expect(again.summary?.status).toBe('no-changes');
    expect(sb.stats().writes).toBe(0);
  });

  it('an edited template updates one inline policy, nothing else', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 2, count: 1, groups: 1 }));
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    // svc1 gets an explicit name (a new role, the stable-named one becomes an orphan); its edit updates in place.
    const named = specText({ roles: 2, count: 0, groups: 0 }).replace('  svc1:\n', '  svc1:\n    name: svc1-fixed\n');
    writeFileSync(spec, named);
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    writeFileSync(spec, named.replace('bucket-1/*"]', 'bucket-1/*", "arn:aws:s3:::bucket-9"]'));
    sb.resetStats();
    const r = await runApply(spec, applyOptions(clients, dir));
    expect(r.exitCode).toBe(0);
    expect(WRITE_ACTIONS(sb.stats().actions)).toEqual({ 'iam:PutRolePolicy': 1, ...(sb.stats().actions['iam:TagRole'] ? { 'iam:TagRole': 1 } : {}) });
  });

  it('changed spec tags: roles and instance profiles are retagged in place (Tag*/Untag* of charter keys only), then nothing', async () => {
    const dir = tmp();
    const text = specText({ roles: 2, count: 1, groups: 2 });
    const spec = writeSpec(dir, text);
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    const b1 = await bundleOf(spec);
    expect(b1.instanceProfiles.length).toBe(2);
    const iam = await clients.iam();
    // A key charter wrote once and writes no more, on one role and its profile: apply removes it.
    const old = b1.instanceProfiles[0]!;
    await iam.send(new TagRoleCommand({ RoleName: old.roleName, Tags: [{ Key: 'charter:legacy', Value: '1' }] }));
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: old.name, Tags: [{ Key: 'charter:legacy', Value: '1' }] }));
    writeFileSync(spec, text.replace('tags: { owner: tests }', 'tags: { owner: platform, cost-center: lab }'));
    const b2 = await bundleOf(spec);
    sb.resetStats();
    const r = await runApply(spec, applyOptions(clients, dir));
    expect(r.exitCode).toBe(0);
    expect(r.plan?.changes.filter((c) => c.action !== 'no-op').map((c) => `${c.address} ${c.action} ${reasonText(c.reason)}`).sort()).toEqual([
      'launch.g0 create the launch configuration changed (1 running with an older one): launching 1, then terminating the older ones once the new ones run (onChange replace)',
      'launch.g0.extra delete terminate 1 from an older launch configuration, once the new ones run',
      'launch.g1 create the launch configuration changed (1 running with an older one): launching 1, then terminating the older ones once the new ones run (onChange replace)',
      'launch.g1.extra delete terminate 1 from an older launch configuration, once the new ones run',
      'profile.svc0 update tags changed', 'profile.svc1 update tags changed', 'role.svc0 update tags changed', 'role.svc1 update tags changed',
    ]);
    // (instances carry the spec's tags: each group launches one with the new configuration, then
    // terminates the older one: onChange replace)
    expect(WRITE_ACTIONS(sb.stats().actions)).toEqual({ 'iam:TagRole': 2, 'iam:UntagRole': 1, 'iam:TagInstanceProfile': 2, 'iam:UntagInstanceProfile': 1, 'ec2:RunInstances': 2, 'ec2:TerminateInstances': 2 });
    expect(sb.stats().writes).toBe(10);
    const tagsOf = (t: Array<{ Key?: string; Value?: string }> | undefined) => Object.fromEntries((t ?? []).map((x) => [x.Key!, x.Value ?? '']));
    for (const p of b2.instanceProfiles) {
      expect(tagsOf((await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: p.name }))).Tags)).toEqual(p.tags);
      expect(tagsOf((await iam.send(new ListRoleTagsCommand({ RoleName: p.roleName }))).Tags)).toEqual(b2.roles.find((x) => x.name === p.roleName)!.tags); // the profile's, and the role's content hash
    }
    expect(b2.instanceProfiles[0]!.tags).toMatchObject({ owner: 'platform', 'cost-center': 'lab' });
    // Converged: the next plan changes nothing, and the next apply writes nothing.
    const live = await readLiveState(clients, readOptionsForBundle(b2));
    expect((await plan(b2, live, { prune: false, adopt: false })).changes.filter((c) => c.action !== 'no-op')).toEqual([]);
    sb.resetStats();
    const again = await runApply(spec, applyOptions(clients, dir));
    expect(again.summary?.status).toBe('no-changes');
    expect(sb.stats().writes).toBe(0);
    expect(sb.stats().actions['iam:GetInstanceProfile']).toBeUndefined();
  });
});

describe('apply: safety', () => {
  it('refuses a stale plan: spec edited, resource changed out of band, already applied', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 2, count: 1 }));
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    writeFileSync(spec, specText({ roles: 2, count: 2 }));
    const bundle = await bundleOf(spec);
    const live = await readLiveState(clients, readOptionsForBundle(bundle));
    const p = await plan(bundle, live, { prune: false, adopt: false });
    const planFile = join(dir, 'plan.json');
    savePlan(p, planFile);

    // 1. The spec changed since the plan.
    appendFileSync(spec, '# touched\n');
    sb.resetStats();
    await expect(runApply(planFile, applyOptions(clients, dir))).rejects.toThrow(/stale plan refused[\s\S]*spec file/);
    expect(sb.stats().writes).toBe(0);
    writeFileSync(spec, specText({ roles: 2, count: 2 }));

    // 2. A role the plan read was changed out of band.
    const iam = await clients.iam();
    const victim = bundle.roles[1]!.name;
    await iam.send(new PutRolePolicyCommand({ RoleName: victim, PolicyName: 'sneaky', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }));
    sb.resetStats();
    await expect(runApply(planFile, applyOptions(clients, dir))).rejects.toThrow(new RegExp(`stale plan refused[\\s\\S]*role:${victim} changed`));
    expect(sb.stats().writes).toBe(0);

    // 3. A hand-edited plan does not match its planId: bad input (exit 2), nothing written.
    const edited = JSON.parse(readFileSync(planFile, 'utf8')) as { changes: Array<{ action: string }> };
    edited.changes[0]!.action = 'delete';
    const editedFile = join(dir, 'edited.json');
    writeFileSync(editedFile, JSON.stringify(edited));
    await expect(runApply(editedFile, applyOptions(clients, dir))).rejects.toThrow(/edited after charter wrote it|plan/);
    expect(sb.stats().writes).toBe(0);

    // 4. A fresh plan applies; applying it again is a new attempt, checked against live state
    // first: what it would create now exists, so it is stale (a completed attempt never vouches).
    const p2 = await plan(bundle, await readLiveState(clients, readOptionsForBundle(bundle)), { prune: false, adopt: false });
    savePlan(p2, planFile);
    expect((await runApply(planFile, applyOptions(clients, dir))).exitCode).toBe(0);
    sb.resetStats();
    await expect(runApply(planFile, applyOptions(clients, dir))).rejects.toThrow(/stale plan refused[\s\S]*instances:/);
    expect(sb.stats().writes).toBe(0);
  });

  it('never modifies an unmanaged role with a colliding name unless --adopt', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 1, count: 1 }));
    const bundle = await bundleOf(spec);
    const name = bundle.roles[0]!.name;
    const iam = await clients.iam();
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'other' }] }));
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'theirs', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] }) }));
    const before = await iam.send(new GetRoleCommand({ RoleName: name }));
    sb.resetStats();
    await expect(runApply(spec, applyOptions(clients, dir))).rejects.toThrow(/not managed by charter for this spec[\s\S]*--adopt/);
    expect(sb.stats().writes).toBe(0);
    const after = await iam.send(new GetRoleCommand({ RoleName: name }));
    expect(after.Role?.AssumeRolePolicyDocument).toBe(before.Role?.AssumeRolePolicyDocument);
    expect(after.Role?.Tags).toEqual(before.Role?.Tags);
    // destroy and prune do not touch it either
    await runDestroy(spec, applyOptions(clients, dir));
    expect((await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: 'theirs' }))).PolicyName).toBe('theirs');

    const adopted = await runApply(spec, applyOptions(clients, dir, { adopt: true }));
    expect(adopted.exitCode).toBe(0);
    const tags = Object.fromEntries(((await iam.send(new GetRoleCommand({ RoleName: name }))).Role?.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect(tags['charter:managed']).toBe('true');
  });

  it('asks for approval: refuses without a TTY or --auto-approve, applies only on "yes"', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 1, count: 1 }));
    sb.resetStats();
    await expect(runApply(spec, applyOptions(clients, dir, { autoApprove: false, io: captureIo({ inTty: false }) }))).rejects.toThrow(/not a terminal[\s\S]*--auto-approve/);
    const no = await runApply(spec, applyOptions(clients, dir, { autoApprove: false, io: captureIo({ inTty: true, answer: false }) }));
    expect(no.exitCode).toBe(1);
    expect(sb.stats().writes).toBe(0);
    const yes = await runApply(spec, applyOptions(clients, dir, { autoApprove: false, io: captureIo({ inTty: true, answer: true }) }));
    expect(yes.exitCode).toBe(0);
    expect(sb.stats().writes).toBeGreaterThan(0);
  });
});

describe('apply: lifecycle', () => {
  it('prune deletes a managed orphan role; destroy removes everything managed, in reverse order', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 3, count: 2 }));
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    const iam = await clients.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'bystander', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    writeFileSync(spec, specText({ roles: 2, count: 2 }));
    const kept = await runApply(spec, applyOptions(clients, dir));
    expect(kept.exitCode).toBe(0);
    expect((await snapshot(clients)).roles.length).toBe(4); // orphan kept without --prune
    const pruned = await runApply(spec, applyOptions(clients, dir, { prune: true }));
    expect(pruned.exitCode).toBe(0);
    const bundle = await bundleOf(spec);
    expect(expectConverged(await snapshot(clients), bundle)).toEqual([]);
    expect((await snapshot(clients)).roles).toContain('bystander');

    const d = await runDestroy(spec, applyOptions(clients, dir));
    expect(d.exitCode).toBe(0);
    const snap = await snapshot(clients);
    expect(snap.roles).toEqual(['bystander']);
    expect(snap.profiles).toEqual([]);
    expect(snap.active).toEqual([]);
    // Destroying again is a no-op.
    sb.resetStats();
    expect((await runDestroy(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    expect(sb.stats().writes).toBe(0);
  });

  it('overflowing documents: customer-managed policies are created, attached (minimum writes), then detached and deleted by destroy', async () => {
    const dir = tmp();
    const stmts = Array.from({ length: 80 }, (_, i) => `      - actions: [s3:GetObject, s3:PutObject, s3:DeleteObject]\n        resources: ["arn:aws:s3:::a-very-long-bucket-name-for-overflow-testing-${i}/some/deep/prefix/*", "arn:aws:s3:::another-very-long-bucket-name-${i}/deep/prefix/*"]`).join('\n');
    const spec = writeSpec(dir, `version: 1\nname: overflow\nprefix: charter\nregion: us-west-2\nservices:\n  big:\n    trust: [ec2]\n    statements:\n${stmts}\ninstances:\n  w:\n    service: big\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    count: 1\n    ttl: 1h\n`);
    const bundle = await bundleOf(spec);
    expect(bundle.managedPolicies.length).toBeGreaterThan(0);
    sb.resetStats();
    const r = await runApply(spec, applyOptions(clients, dir));
    expect(r.exitCode).toBe(0);
    expect(WRITE_ACTIONS(sb.stats().actions)).toEqual({
      'iam:CreatePolicy': bundle.managedPolicies.length,
      'iam:CreateRole': 1,
      'iam:PutRolePolicy': bundle.roles[0]!.inline.length,
      'iam:AttachRolePolicy': bundle.roles[0]!.managed.length,
      'iam:CreateInstanceProfile': 1,
      'iam:AddRoleToInstanceProfile': 1,
      'ec2:RunInstances': 1,
    });
    sb.resetStats();
    expect((await runApply(spec, applyOptions(clients, dir))).summary?.status).toBe('no-changes');
    expect(sb.stats().writes).toBe(0);
    const d = await runDestroy(spec, applyOptions(clients, dir));
    expect(d.summary?.operation).toBe('destroy');
    expect(d.summary?.deleted.filter((e) => e.kind === 'managed-policy')).toHaveLength(bundle.managedPolicies.length);
    const { ListPoliciesCommand } = await import('@aws-sdk/client-iam');
    const left = (await (await clients.iam()).send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? [];
    expect(left).toEqual([]);
  });

  it('naming: content: a role whose documents change is replaced: new role, profile and instances; --prune then removes the old generation', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 1, count: 2, naming: 'content' }));
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    const oldBundle = await bundleOf(spec);
    writeFileSync(spec, specText({ roles: 1, count: 2, extraPolicy: 'logs:WriteOnly', naming: 'content' }));
    const newBundle = await bundleOf(spec);
    expect(newBundle.roles[0]!.name).not.toBe(oldBundle.roles[0]!.name);
    const r = await runApply(spec, applyOptions(clients, dir));
    expect(r.exitCode).toBe(0);
    expect(r.plan?.changes.find((c) => c.address === 'role.svc0')?.action).toBe('replace');
    let snap = await snapshot(clients);
    expect(snap.roles).toEqual([oldBundle.roles[0]!.name, newBundle.roles[0]!.name].sort()); // old one kept without --prune
    // onChange replace: the instances on the old profile were terminated once the new ones ran
    expect(snap.active).toHaveLength(2);
    expect(snap.active.every((i) => i.profile.endsWith('/' + newBundle.instanceProfiles[0]!.name))).toBe(true);
    const pruned = await runApply(spec, applyOptions(clients, dir, { prune: true }));
    expect(pruned.summary?.failed).toEqual([]);
    expect(pruned.exitCode).toBe(0);
    snap = await snapshot(clients);
    expect(expectConverged(snap, newBundle)).toEqual([]);
    expect(snap.roles).toEqual([newBundle.roles[0]!.name]);
    expect(snap.active.every((i) => i.profile.endsWith('/' + newBundle.instanceProfiles[0]!.name))).toBe(true);
    sb.resetStats();
    expect((await runApply(spec, applyOptions(clients, dir, { prune: true }))).summary?.status).toBe('no-changes');
    expect(sb.stats().writes).toBe(0);
  });

  it('Ctrl-C stops scheduling, reports what was not done (exit 130), and a re-run finishes', async () => {
    const slow = await sandbox({ latencyMs: 25 });
    try {
      const dir = tmp();
      const spec = writeSpec(dir, specText({ roles: 4, count: 3, groups: 2 }));
      const ac = new AbortController();
      const timer = setInterval(() => {
        if (slow.sb.stats().writes >= 3) ac.abort();
      }, 2);
      const r = await runApply(spec, applyOptions(slow.clients, dir, { signal: ac.signal, pool: 2 }));
      clearInterval(timer);
      expect(r.exitCode).toBe(130);
      expect(r.summary?.status).toBe('interrupted');
      expect(r.summary?.notDone.length).toBeGreaterThan(0);
      const written = slow.sb.stats().writes;
      expect(written).toBeLessThan(12);
      const again = await runApply(spec, applyOptions(slow.clients, dir));
      expect(again.exitCode).toBe(0);
      expect(expectConverged(await snapshot(slow.clients), await bundleOf(spec))).toEqual([]);
    } finally {
      await slow.sb.stop();
    }
  });
});

describe('apply: reliability', () => {
  it('converges under 20% throttling, 5% internal errors, 2% connection resets, IAM→EC2 propagation delay and lagging IAM reads', async () => {
    for (const [seed, iamReadDelayMs] of [[7, 0], [1234, 400]] as const) {
      const flaky = await sandbox({ faults: { throttle: 0.2, internalError: 0.05, connectionReset: 0.02 }, seed, propagationDelayMs: 1500, iamReadDelayMs }, true);
      try {
        const dir = tmp();
        const spec = writeSpec(dir, specText({ roles: 4, count: 3, groups: 2 }));
        const r = await runApply(spec, applyOptions(flaky.clients, dir));
        expect(r.summary?.failed).toEqual([]);
        expect(r.exitCode).toBe(0);
        expect(flaky.sb.stats().faults).toBeGreaterThan(0);
        const bundle = await bundleOf(spec);
        const snap = await snapshot(flaky.clients);
        expect(expectConverged(snap, bundle)).toEqual([]);
        expect(snap.active).toHaveLength(6); // zero duplicates
        await new Promise((r) => setTimeout(r, iamReadDelayMs));
        const again = await runApply(spec, applyOptions(flaky.clients, dir));
        expect(again.summary?.status).toBe('no-changes');
      } finally {
        await flaky.sb.stop();
      }
    }
  });

  it('a create whose earlier attempt succeeded unseen (EntityAlreadyExists) adopts its own resource even while IAM reads lag', async () => {
    const lag = await sandbox({ iamReadDelayMs: 800 });
    try {
      const dir = tmp();
      const spec = writeSpec(dir, specText({ roles: 1, count: 0, groups: 0 }));
      const bundle = await bundleOf(spec);
      const live = await readLiveState(lag.clients, readOptionsForBundle(bundle));
      const p = await plan(bundle, live, { prune: false, adopt: false });
      // The earlier attempt: CreateRole reached IAM, its response was lost.
      const role = bundle.roles[0]!;
      const iam = await lag.clients.iam();
      await iam.send(new CreateRoleCommand({ RoleName: role.name, Path: role.path, AssumeRolePolicyDocument: JSON.stringify(role.trust.document), Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })) }));
      lag.sb.resetStats();
      const { executePlan } = await import('../src/apply/run.js');
      const s = await executePlan(applyOptions(lag.clients, dir), p, bundle, live, { journal: false });
      expect(s.failed).toEqual([]);
      expect(s.created.find((e) => e.kind === 'role')?.reused).toBe(true);
      const actions = lag.sb.stats().actions;
      expect(actions['iam:CreateRole']).toBe(1); // the refused attempt
      expect(actions['iam:GetRole']).toBeGreaterThan(1); // polled until visible
      expect(actions['iam:UpdateAssumeRolePolicy'] ?? 0).toBe(0);
      expect(actions['iam:TagRole'] ?? 0).toBe(0);
    } finally {
      await lag.sb.stop();
    }
  });

  it('on IdempotentParameterMismatch (an earlier run used the token with other parameters) finds the instance by token: no duplicate', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 1, count: 2 }));
    const bundle = await bundleOf(spec);
    const live = await readLiveState(clients, readOptionsForBundle(bundle));
    const p = await plan(bundle, live, { prune: false, adopt: false });
    const g = bundle.launches[0]!;
    // Profile and role first (apply them), then simulate an earlier run's launch of index 0 with another expires-at.
    const { launchInput } = await import('../src/apply/launch.js');
    const { clientToken } = await import('../src/apply/client-token.js');
    // The attempt this apply will resume (made here, as a first try that died before launching).
    const { Journal, journalPath } = await import('../src/apply/journal.js');
    const { applyTarget } = await import('../src/apply/run.js');
    const target = applyTarget({ clients }, live, p);
    const attempt = new Journal(journalPath(join(dir, '.charter'), p.planId, target), p.planId, target, { newAttemptId: () => 'first-try' });
    attempt.save();
    const token = clientToken(attempt.tokenSeed, g.group, 0);
    const iamOnly = { ...p, changes: p.changes.filter((c) => c.kind !== 'instances') };
    const { executePlan } = await import('../src/apply/run.js');
    await executePlan(applyOptions(clients, dir), iamOnly, bundle, live, { journal: false });
    const earlier = launchInput(bundle.prefix, g, token, Date.now() - 3_600_000, 0).input;
    const ec2 = await clients.ec2();
    const out = await ec2.send(new RunInstancesCommand(earlier));
    const earlierId = out.Instances![0]!.InstanceId!;
    sb.resetStats();
    const s = await executePlan(applyOptions(clients, dir), p, bundle, live, { journal: true });
    expect(s.failed).toEqual([]);
    expect(s.launched.find((l) => l.index === 0)?.instanceId).toBe(earlierId);
    expect(sb.stats().actions['ec2:RunInstances']).toBe(2); // one mismatch for index 0, one launch for index 1
    const active = (await snapshot(clients)).active;
    expect(active).toHaveLength(2);
    expect(active.map((i) => i.id)).toContain(earlierId);
    void readFileSync;
  });
});
