/**
 * Plan acceptance over real HTTP: the sandbox, real SDK clients, the real reader and planner. The
 * "apply" in these tests is made directly with SDK calls (test/plan-helpers.ts), not by charter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { applyDirect, compileText, sandbox } from './plan-helpers.js';
import { readLiveState } from '../src/aws/live-state.js';
import { plan, hasChanges, conflicts } from '../src/plan/plan.js';
import { readOptionsForBundle } from '../src/apply/plan-run.js';
import { renderMarkdown } from '../src/plan/plan-format.js';
import { parsePlan, planToJson } from '../src/plan/plan-file.js';
import type { Bundle } from '../src/compiler/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import type { RunningSandbox } from '../src/sandbox/index.js';
import type { Change, InstancesChange, Plan } from '../src/plan/types.js';
import { parseSpec } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { reasonText } from '../src/plan/reasons.js';

const SPEC = (opts: { webActions?: string; ciTrust?: string; extra?: string; count?: number; tags?: string } = {}) => `
version: 1
name: plantest
prefix: charter
region: us-west-2
account: "123456789012"
tags: ${opts.tags ?? '{ owner: tests }'}
templates:
  bucket-rw:
    params: [bucket]
    statements:
      - actions: [${opts.webActions ?? 's3:GetObject, s3:ListBucket'}]
        resources: ["arn:aws:s3:::{bucket}", "arn:aws:s3:::{bucket}/*"]
services:
  web:
    naming: content
    use: [{ template: bucket-rw, bucket: site-assets }]
    managed: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]
    trust: [ec2]
  ci:
    name: charter-plantest-ci
    use: [{ template: bucket-rw, bucket: ci-artifacts }]
    trust: [${opts.ciTrust ?? 'lambda'}]
${opts.extra ?? ''}
instances:
  webfarm:
    service: web
    type: t3.micro
    image: ami-0123456789abcdef0
    count: ${opts.count ?? 2}
    ttl: 2h
`;

let running: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
});

async function start(o: Parameters<typeof sandbox>[0] = {}) {
  const s = await sandbox(o);
  running.push(s.sb);
  return s;
}

async function planAgainst(clients: AwsClients, b: Bundle, o: { prune?: boolean; adopt?: boolean; mode?: 'auto' | 'gaad' | 'per-resource' } = {}): Promise<Plan> {
  const live = await readLiveState(clients, readOptionsForBundle(b, o.mode));
  const p = await plan(b, live, { prune: o.prune ?? false, adopt: o.adopt ?? false });
  // Every plan these tests make is schema-valid and round-trips through its JSON with its id.
  expect(parsePlan(planToJson(p), 'plan.json')).toEqual(p);
  return p;
}

const active = (p: Plan) => p.changes.filter((c) => c.action !== 'no-op');
const byAddress = (p: Plan, a: string): Change => {
  const c = p.changes.find((x) => x.address === a);
  if (!c) throw new Error(`no change ${a} in ${p.changes.map((x) => x.address).join(', ')}`);
  return c;
};
const groupAt = (p: Plan, a: string): InstancesChange => {
  const c = byAddress(p, a);
  if (c.kind !== 'instances') throw new Error(`${a} is a ${c.kind} change`);
  return c;
};
const roleOf = (b: Bundle, svc: string) => b.roles.find((r) => r.service === svc)!;

describe('plan against the sandbox', () => {
  it('an empty account: every resource is a create, instances launched with indexes', async () => {
    const { clients } = await start();
    const b = await compileText(SPEC());
    const p = await planAgainst(clients, b);
    expect(p.changes.every((c) => c.action === 'create')).toBe(true);
    expect(p.changes.map((c) => c.address).sort()).toEqual(
      [
        'role.web',
        'role.ci',
        `role.web.inline.${roleOf(b, 'web').inline[0]!.name}`,
        `role.ci.inline.${roleOf(b, 'ci').inline[0]!.name}`,
        'role.web.attachment.arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
        'profile.web',
        'profile.web.role',
        'launch.webfarm',
      ].sort(),
    );
    expect(groupAt(p, 'launch.webfarm').launch).toEqual({ group: 'webfarm', indexes: [0, 1], running: 0, desired: 2, onChange: 'replace' });
    expect(byAddress(p, 'role.web').broadening).toBe('broadening');
    expect(p.summary.create).toBe(8);
    expect(renderMarkdown(p)).toMatch(/#### Managed policy changes[\s\S]*⚠️ ➕ \| role\.web \| arn:aws:iam::aws:policy\/AmazonSSMManagedInstanceCore/);
    expect(hasChanges(p)).toBe(true);
    // Every desired name was fingerprinted as absent.
    expect(p.fingerprints.find((f) => f.key === `role:${roleOf(b, 'web').name}`)?.hash).toBe('absent');
  });

  it('after an apply made directly with the SDK: no-op, and the same plan id on a second read', async () => {
    const { clients } = await start();
    const b = await compileText(SPEC());
    await applyDirect(await clients.iam(), await clients.ec2(), b);
    const p1 = await planAgainst(clients, b);
    expect(active(p1)).toEqual([]);
    expect(hasChanges(p1)).toBe(false);
    expect(p1.summary.noop).toBe(p1.changes.length);
    expect(p1.fingerprints.every((f) => f.hash !== 'absent')).toBe(true);
    const p2 = await planAgainst(clients, b);
    expect(p2.planId).toBe(p1.planId);
  });

  it('an edited template: the hash-named role is replaced (old → new) and classified; the explicit one updates in place', async () => {
    const { clients } = await start();
    const b1 = await compileText(SPEC());
    await applyDirect(await clients.iam(), await clients.ec2(), b1);
    const b2 = await compileText(SPEC({ webActions: 's3:GetObject, s3:ListBucket, s3:PutObject' }));
    const p = await planAgainst(clients, b2);
    // web: new content-addressed name
    const web = byAddress(p, 'role.web');
    expect(web.action).toBe('replace');
    expect(web.previousName).toBe(roleOf(b1, 'web').name);
    expect(web.name).toBe(roleOf(b2, 'web').name);
    expect(web.broadening).toBe('broadening');
    expect(web.broadeningDetails?.map((d) => `${d.sign} ${d.text}`).join('\n')).toContain('+ Allow s3:PutObject');
    expect(web.broadeningDetails?.find((d) => d.text.startsWith('Allow s3:PutObject'))?.direction).toBe('widens');
    expect(web.diff).toContain('+');
    expect(web.diff).toMatch(/\+\s+"s3:PutObject"/);
    // the profile follows; the instances on the old profile are replaced (onChange replace: the new
    // ones run before they are terminated); the old role stays as an orphan, kept without --prune
    expect(byAddress(p, 'profile.web').action).toBe('replace');
    expect(byAddress(p, 'launch.webfarm.extra')).toMatchObject({ action: 'delete', dependsOn: ['launch.webfarm'] });
    const md = renderMarkdown(p);
    expect(md).not.toContain('#### Managed policy changes'); // carried over to the new role
    expect(md).toMatch(/⚠️ ➕ \| role\.web \|[^\n]*s3:PutObject/);
    const old = byAddress(p, `orphan.role.${roleOf(b1, 'web').name}`);
    expect(old.action).toBe('no-op');
    expect(old.reason).toEqual({ code: 'orphan', replacedBy: 'role.web', deleted: false });
    expect(reasonText(old.reason)).toBe('replaced (role.web): kept (--prune deletes it)');
    // ci: same template, so its inline policy changes in place
    const ciInline = byAddress(p, `role.ci.inline.${roleOf(b2, 'ci').inline[0]!.name}`);
    expect(ciInline.action).toBe('update');
    expect(ciInline.broadening).toBe('broadening');
    expect(ciInline.drift).toBeUndefined();
    expect(byAddress(p, 'role.ci').action).toBe('update'); // its hash tag changes
    // instances: the launch configuration changed (new profile), so the group launches anew
    expect(byAddress(p, 'launch.webfarm').action).toBe('create');

    // Narrowing the template back is narrowing.
    const b3 = await compileText(SPEC({ webActions: 's3:GetObject' }));
    const p3 = await planAgainst(clients, b3);
    expect(byAddress(p3, `role.ci.inline.${roleOf(b3, 'ci').inline[0]!.name}`).broadening).toBe('narrowing');
  });

  it('a role edited out of band shows as drift', async () => {
    const { clients } = await start();
    const b = await compileText(SPEC());
    const iam = await clients.iam();
    await applyDirect(iam, await clients.ec2(), b);
    const web = roleOf(b, 'web');
    const ci = roleOf(b, 'ci');
    await iam.send(new PutRolePolicyCommand({ RoleName: web.name, PolicyName: web.inline[0]!.name, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }));
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: ci.name, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'ec2.amazonaws.com'] }, Action: 'sts:AssumeRole' }] }) }));
    const p = await planAgainst(clients, b);
    const inl = byAddress(p, `role.web.inline.${web.inline[0]!.name}`);
    expect(inl.action).toBe('update');
    expect(inl.drift).toBe(true);
    expect(inl.reason.outsideCharter).toBe(true);
    expect(reasonText(inl.reason)).toMatch(/changed outside charter/);
    expect(inl.broadening).toBe('narrowing'); // restoring the spec takes s3:* away
    const ciRole = byAddress(p, 'role.ci');
    expect(ciRole.action).toBe('update');
    expect(ciRole.drift).toBe(true);
    expect(reasonText(ciRole.reason)).toMatch(/changed outside charter: trust policy changed/);
    expect(active(p).map((c) => c.address).sort()).toEqual(['role.ci', `role.web.inline.${web.inline[0]!.name}`].sort());
  });

  it('an unmanaged role with a colliding name is a conflict that stops the plan, unless --adopt', async () => {
    const { clients } = await start();
    const b = await compileText(SPEC());
    const iam = await clients.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'charter-plantest-ci', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    const p = await planAgainst(clients, b);
    expect(conflicts(p).map((c) => c.address)).toEqual(['role.ci']);
    expect(p.summary.conflicts).toBe(1);
    expect(byAddress(p, 'role.ci').reason).toMatchObject({ code: 'conflict', resource: 'role' });
    expect(reasonText(byAddress(p, 'role.ci').reason)).toMatch(/not charter's .*--adopt/);
    const adopted = await planAgainst(clients, b, { adopt: true });
    expect(conflicts(adopted)).toEqual([]);
    const c = byAddress(adopted, 'role.ci');
    expect(c.action).toBe('update');
    expect(c.adopt).toBe(true);
  });

  it('an unmanaged instance profile with the spec\'s name is a conflict too (its tags are fetched, list calls omit them)', async () => {
    const { clients, sb } = await start();
    const b = await compileText(SPEC());
    const { CreateInstanceProfileCommand } = await import('@aws-sdk/client-iam');
    await (await clients.iam()).send(new CreateInstanceProfileCommand({ InstanceProfileName: b.instanceProfiles[0]!.name }));
    sb.resetStats();
    const p = await planAgainst(clients, b);
    expect(sb.stats().actions['iam:GetInstanceProfile']).toBe(1);
    expect(conflicts(p).map((c) => c.address)).toEqual(['profile.web']);
    const adopted = await planAgainst(clients, b, { adopt: true });
    expect(byAddress(adopted, 'profile.web').adopt).toBe(true);
    expect(byAddress(adopted, 'profile.web.role').action).toBe('create');
  });

  it('changed spec tags: the roles and the instance profile are tag updates (neutral), in both read modes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-plan-'));
    const stateFile = join(dir, 'state.json');
    const b1 = await compileText(SPEC());
    const b2 = await compileText(SPEC({ tags: '{ owner: platform, cost-center: lab }' }));
    const a = await start({ stateFile });
    await applyDirect(await a.clients.iam(), await a.clients.ec2(), b1);
    // Converged: no profile tags are read (list calls omit them; the role's tags say they match).
    a.sb.resetStats();
    expect(active(await planAgainst(a.clients, b1))).toEqual([]);
    expect(a.sb.stats().actions['iam:GetInstanceProfile']).toBeUndefined();
    a.sb.resetStats();
    const viaGaad = await planAgainst(a.clients, b2);
    expect(viaGaad.read?.mode).toBe('gaad');
    // The one profile whose role's tags differ is fetched, nothing more.
    expect(a.sb.stats().actions['iam:GetInstanceProfile']).toBe(1);
    // (instances carry the spec's tags too: their launch configuration changed, so the group is replaced)
    expect(active(viaGaad).map((c) => c.address).sort()).toEqual(['launch.webfarm', 'launch.webfarm.extra', 'profile.web', 'role.ci', 'role.web']);
    for (const r of ['role.ci', 'role.web']) {
      expect(byAddress(viaGaad, r)).toMatchObject({ action: 'update', reason: { code: 'changed', fields: ['tags'] }, broadening: 'neutral' });
    }
    const prof = byAddress(viaGaad, 'profile.web');
    const want = b2.instanceProfiles[0]!;
    expect(prof).toMatchObject({ action: 'update', reason: { code: 'changed', fields: ['tags'] }, broadening: 'neutral', name: want.name });
    expect(prof.drift).toBeUndefined();
    expect((prof.before as { tags: Record<string, string> }).tags).toEqual(b1.instanceProfiles[0]!.tags);
    expect((prof.after as { tags: Record<string, string> }).tags).toEqual(want.tags);
    expect((prof.after as { tags: Record<string, string> }).tags).toMatchObject({ owner: 'platform', 'cost-center': 'lab' });
    expect(prof.diff).toMatch(/-\s+"owner": "tests"/);
    expect(prof.diff).toMatch(/\+\s+"owner": "platform"/);
    // The role's update waits for its profile's (a role at the spec's tags means its profile is too).
    expect(byAddress(viaGaad, 'role.web').dependsOn).toContain('profile.web');
    expect(byAddress(viaGaad, 'role.ci').dependsOn).toBeUndefined();
    expect(viaGaad.summary).toMatchObject({ update: 3, broadening: 0 });
    expect(renderMarkdown(viaGaad)).toContain('profile.web');
    await a.sb.stop();
    running = running.filter((s) => s !== a.sb);

    const denied = await start({ stateFile, deny: ['iam:GetAccountAuthorizationDetails'] });
    const liveDenied = await readLiveState(denied.clients, readOptionsForBundle(b2));
    expect(liveDenied.readMode).toBe('per-resource');
    const viaFallback = await plan(b2, liveDenied, { prune: false, adopt: false });
    expect(viaFallback.changes).toEqual(viaGaad.changes);
    expect(viaFallback.fingerprints).toEqual(viaGaad.fingerprints);
    expect(viaFallback.planId).toBe(viaGaad.planId);
  });

  it('tags charter does not reconcile (another tool\'s, or a user tag dropped from the spec) are no change in the plan, since apply leaves them alone', async () => {
    const { clients } = await start();
    const b1 = await compileText(SPEC({ tags: '{ owner: tests, team: ml }' }));
    await applyDirect(await clients.iam(), await clients.ec2(), b1);
    const iam = await clients.iam();
    const { TagRoleCommand, TagInstanceProfileCommand } = await import('@aws-sdk/client-iam');
    await iam.send(new TagRoleCommand({ RoleName: 'charter-plantest-ci', Tags: [{ Key: 'CostCenter', Value: 'from-another-tool' }] }));
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: b1.instanceProfiles[0]!.name, Tags: [{ Key: 'CostCenter', Value: 'x' }] }));
    // "team" dropped from the spec: apply would not remove a non-charter key, so plan shows no change
    const b2 = await compileText(SPEC({ tags: '{ owner: tests }' }));
    for (const b of [b1, b2]) {
      const p = await planAgainst(clients, b);
      expect(active(p).filter((c) => !c.address.startsWith('launch.')).map((c) => `${c.address} ${c.action} ${reasonText(c.reason)}`)).toEqual([]);
    }
    // a charter key the spec no longer has, or a changed spec key, still is a change
    await iam.send(new TagRoleCommand({ RoleName: 'charter-plantest-ci', Tags: [{ Key: 'charter:legacy', Value: '1' }, { Key: 'owner', Value: 'someone-else' }] }));
    const p = await planAgainst(clients, b1);
    const ci = byAddress(p, 'role.ci');
    expect(ci).toMatchObject({ action: 'update', reason: { code: 'changed', fields: ['tags'] } });
    expect((ci.before as { tags: Record<string, string> }).tags).toMatchObject({ 'charter:legacy': '1', owner: 'someone-else' });
    expect((ci.before as { tags: Record<string, string> }).tags.CostCenter).toBeUndefined();
  });

  it('instance profile tags that cannot be read are never claimed to change', async () => {
    const { clients } = await start();
    const b1 = await compileText(SPEC());
    const b2 = await compileText(SPEC({ tags: '{ owner: platform }' }));
    await applyDirect(await clients.iam(), await clients.ec2(), b1);
    const live = await readLiveState(clients, readOptionsForBundle(b2));
    const unread = { ...live, instanceProfiles: live.instanceProfiles.map((x) => ({ ...x, tags: {}, tagsKnown: false })) };
    const p = await plan(b2, unread, { prune: false, adopt: false });
    expect(byAddress(p, 'profile.web')).toMatchObject({ action: 'no-op', reason: { code: 'exists' } });
    expect(byAddress(p, 'role.web').action).toBe('update');
    expect(byAddress(p, 'role.web').dependsOn).toBeUndefined();
  });

  it('GetAccountAuthorizationDetails denied: the per-resource fallback gives the same plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-plan-'));
    const stateFile = join(dir, 'state.json');
    const b1 = await compileText(SPEC());
    const b2 = await compileText(SPEC({ webActions: 's3:GetObject, s3:PutObject', ciTrust: 'ec2' }));
    const a = await start({ stateFile });
    await applyDirect(await a.clients.iam(), await a.clients.ec2(), b1);
    const iam = await a.clients.iam();
    await iam.send(new PutRolePolicyCommand({ RoleName: roleOf(b1, 'ci').name, PolicyName: 'added-by-hand', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] }) }));
    const viaGaad = await planAgainst(a.clients, b2);
    const live = await readLiveState(a.clients, readOptionsForBundle(b2));
    expect(live.readMode).toBe('gaad');
    await a.sb.stop();
    running = running.filter((s) => s !== a.sb);

    const denied = await start({ stateFile, deny: ['iam:GetAccountAuthorizationDetails'] });
    const liveDenied = await readLiveState(denied.clients, readOptionsForBundle(b2));
    expect(liveDenied.readMode).toBe('per-resource');
    expect(liveDenied.notes?.join('\n')).toMatch(/GetAccountAuthorizationDetails denied/);
    expect(denied.sb.stats().actions['iam:GetAccountAuthorizationDetails']).toBe(1);
    const viaFallback = await plan(b2, liveDenied, { prune: false, adopt: false });
    expect(viaFallback.changes).toEqual(viaGaad.changes);
    expect(viaFallback.fingerprints).toEqual(viaGaad.fingerprints);
    expect(viaFallback.planId).toBe(viaGaad.planId);
    expect(active(viaGaad).length).toBeGreaterThan(3);
  });

  it('launch groups: an expired instance is an explicit relaunch; extras are left unless --prune', async () => {
    const { clients } = await start();
    const b = await compileText(SPEC());
    await applyDirect(await clients.iam(), await clients.ec2(), b);
    const ec2 = await clients.ec2();
    const live = await readLiveState(clients, readOptionsForBundle(b));
    const first = live.instances[0]!.instanceId;
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [first] }));
    const p = await planAgainst(clients, b);
    const l = groupAt(p, 'launch.webfarm');
    expect(l.action).toBe('create');
    expect(l.launch?.relaunch).toBe(true);
    expect(l.launch?.indexes).toEqual([0]);
    expect(reasonText(l.reason)).toContain(first);

    // A group the spec dropped: its instances are orphans, terminated only with --prune.
    const dropped = await compileText(SPEC().replace(/instances:[\s\S]*$/, 'instances:\n  other:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    count: 1\n'));
    const keep = await planAgainst(clients, dropped);
    const orphan = byAddress(keep, 'orphan.instances.webfarm');
    expect(orphan.action).toBe('no-op');
    expect(orphan.orphan).toBe(true);
    const pruned = await planAgainst(clients, dropped, { prune: true });
    const del = groupAt(pruned, 'orphan.instances.webfarm');
    expect(del.action).toBe('delete');
    expect(del.terminate?.length).toBe(1);
  });

  it('orphans: a service dropped from the spec is kept, and deleted only with --prune', async () => {
    const { clients } = await start();
    const b1 = await compileText(SPEC({ extra: '  extra:\n    use: [{ template: bucket-rw, bucket: x }]\n    trust: [lambda]\n' }));
    await applyDirect(await clients.iam(), await clients.ec2(), b1);
    const b2 = await compileText(SPEC());
    const extraName = roleOf(b1, 'extra').name;
    const p = await planAgainst(clients, b2);
    expect(byAddress(p, `orphan.role.${extraName}`).action).toBe('no-op');
    expect(hasChanges(p)).toBe(false);
    const pruned = await planAgainst(clients, b2, { prune: true });
    const c = byAddress(pruned, `orphan.role.${extraName}`);
    expect(c.action).toBe('delete');
    expect(c.orphan).toBe(true);
  });
});

describe('plan: accounts, overflow policies and faults', () => {
  it('a spec without an account: overflowing customer-managed policies resolve against the live account', async () => {
    const { clients, sb } = await start({ accountId: '210987654321' });
    const stmts = Array.from({ length: 60 }, (_, i) => `      - actions: [s3:GetObject, s3:PutObject, s3:DeleteObject, s3:GetObjectTagging]\n        resources: ["arn:aws:s3:::bucket-with-a-long-name-number-${i}/some/prefix/*"]`).join('\n');
    const text = `version: 1\nname: noacct\nprefix: charter\nregion: us-west-2\nservices:\n  big:\n    statements:\n${stmts}\n    trust: [lambda]\n`;
    const b = await compileText(text);
    expect(b.account).toBeUndefined();
    expect(b.managedPolicies.length).toBeGreaterThan(0);
    const iam = await clients.iam();
    const p0 = await planAgainst(clients, b);
    expect(p0.changes.filter((c) => c.kind === 'managed-policy').every((c) => c.action === 'create')).toBe(true);
    expect(b.roles[0]!.managed.some((m) => m.arn.includes('{accountId}'))).toBe(true);
    expect(p0.changes.filter((c) => c.kind === 'policy-attachment').every((c) => c.address.includes(':210987654321:policy/'))).toBe(true);
    await applyDirect(iam, undefined, b, sb.accountId);
    const p = await planAgainst(clients, b);
    expect(active(p)).toEqual([]);
    expect(p.fingerprints.some((f) => f.key.startsWith('policy:arn:aws:iam::210987654321:policy/') && f.hash !== 'absent')).toBe(true);
  });

  it('the planner is pure: the order of the live state does not matter, the same inputs give the same bytes', async () => {
    const { clients } = await start();
    const b1 = await compileText(SPEC({ extra: '  extra:\n    use: [{ template: bucket-rw, bucket: x }]\n    trust: [lambda]\n' }));
    await applyDirect(await clients.iam(), await clients.ec2(), b1);
    const b2 = await compileText(SPEC({ webActions: 's3:GetObject, s3:PutObject' }));
    const live = await readLiveState(clients, readOptionsForBundle(b2));
    const p1 = await plan(b2, live, { prune: true, adopt: false });
    const rev = { ...live, roles: [...live.roles].reverse(), instanceProfiles: [...live.instanceProfiles].reverse(), instances: [...live.instances].reverse(), policies: [...live.policies].reverse() };
    const p2 = await plan(b2, rev, { prune: true, adopt: false });
    expect(JSON.stringify(p2)).toBe(JSON.stringify(p1));
    expect(active(p1).length).toBeGreaterThan(5);
  });

  it('throttling and internal errors are retried: the plan is the same as without faults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-plan-'));
    const stateFile = join(dir, 'state.json');
    const b = await compileText(SPEC());
    const a = await start({ stateFile });
    await applyDirect(await a.clients.iam(), await a.clients.ec2(), b);
    const clean = await planAgainst(a.clients, b);
    await a.sb.stop();
    running = running.filter((s) => s !== a.sb);
    const faulty = await start({ stateFile, faults: { throttle: 0.3, internalError: 0.05 }, seed: 7 });
    const { awsClients, SANDBOX_CREDENTIALS } = await import('../src/aws/clients.js');
    const clients = awsClients({ region: 'us-west-2', endpoint: faulty.sb.endpoint, credentials: SANDBOX_CREDENTIALS });
    const p = await planAgainst(clients, b);
    expect(faulty.sb.stats().faults).toBeGreaterThan(0);
    expect(p.planId).toBe(clean.planId);
  });
});

describe('the fixtures plan cleanly', () => {
  const dir = new URL('../fixtures/', import.meta.url).pathname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  it.each(files)('%s: creates on an empty account, no-op after an apply', async (f) => {
    const { clients, sb } = await start({ accountId: '123456789012' });
    const path = join(dir, f);
    const b = await compileSpec(parseSpec(readFileSync(path, 'utf8'), path));
    const p = await planAgainst(clients, b);
    expect(conflicts(p)).toEqual([]);
    expect(p.changes.every((c) => c.action === 'create')).toBe(true);
    await applyDirect(await clients.iam(), await clients.ec2(), b, sb.accountId);
    const again = await planAgainst(clients, b);
    expect(active(again)).toEqual([]);
  });
});

export type { IAMClient };
