/**
 * Issue 10 §2, role identity, against the sandbox over real HTTP with the real SDK clients and the
 * real planner: a role has a stable name ({prefix}-{spec}-{service}) across edits, and each of its
 * attributes is updated in place (counted with the sandbox's per-action stats): the ARN and role id
 * stay, the instance profile keeps its role, nothing is created and nothing is relaunched.
 * `naming: content` keeps the content-addressed names. A description is planned and applied,
 * including a description changed outside charter, which GetAccountAuthorizationDetails does not
 * return (ListRoles does).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateRoleCommand, GetRoleCommand, UpdateRoleCommand } from '@aws-sdk/client-iam';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { plan } from '../src/plan/plan.js';
import { readLiveState } from '../src/aws/live-state.js';
import { readOptionsForBundle } from '../src/plan/read-options.js';
import type { Change } from '../src/plan/types.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import { applyOptions, runApply, sandbox, snapshot, tmp, useSandbox, writeSpec, REGION } from './apply-support.js';
import { reasonText } from '../src/plan/reasons.js';

let sb: RunningSandbox;
let clients: AwsClients;
useSandbox((s) => ({ sb, clients } = s), { resetEach: true });

/** Writes only (reads, dry runs and identity are not). */
const writes = (a: Record<string, number>) => Object.fromEntries(Object.entries(a).filter(([k]) => !/:(Get|List|Describe)/.test(k) && !k.endsWith('(DryRun)') && k !== 'sts:GetCallerIdentity'));

const SSM = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const CW = 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy';
const BOUNDARY = 'arn:aws:iam::aws:policy/PowerUserAccess';

interface Svc {
  naming?: 'stable' | 'content';
  trust: string[];
  actions?: string[];
  managed?: string[];
  boundary?: string;
  description?: string;
  maxSession?: number;
  tags: Record<string, string>;
}

const BASE: Svc = { trust: ['ec2'], actions: ['s3:GetObject'], managed: [SSM], description: 'reads the data bucket', tags: { team: 'ml' } };

/** A spec with one service `web` (the role under test) that one running instance uses. */
function specOf(s: Svc): string {
  const L = ['version: 1', 'name: ident', 'prefix: charter', `region: ${REGION}`, 'account: "123456789012"', 'services:', '  web:'];
  if (s.naming) L.push(`    naming: ${s.naming}`);
  L.push(`    trust: [${s.trust.join(', ')}]`);
  if (s.actions) L.push('    statements:', `      - actions: [${s.actions.join(', ')}]`, '        resources: ["arn:aws:s3:::data/*"]');
  if (s.managed) L.push(`    managed: [${s.managed.join(', ')}]`);
  if (s.boundary) L.push(`    permissionsBoundary: ${s.boundary}`);
  if (s.description !== undefined) L.push(`    description: ${JSON.stringify(s.description)}`);
  if (s.maxSession) L.push(`    maxSessionDuration: ${s.maxSession}`);
  L.push(`    tags: { ${Object.entries(s.tags).map(([k, v]) => `${k}: ${v}`).join(', ')} }`);
  L.push('instances:', '  work:', '    service: web', '    type: t3.micro', '    image: ami-0123456789abcdef0', '    count: 1', '    ttl: 2h');
  return L.join('\n') + '\n';
}

const active = (changes: Change[]) => changes.filter((c) => c.action !== 'no-op').map((c) => [c.address, c.action]);

async function liveRole(name: string) {
  return (await (await clients.iam()).send(new GetRoleCommand({ RoleName: name }))).Role!;
}

/** Apply `before`, then `after`: what the second apply planned and wrote, and what stayed. */
async function edit(before: Svc, after: Svc) {
  const dir = tmp('charter-ident-');
  const spec = writeSpec(dir, specOf(before));
  const first = await runApply(spec, applyOptions(clients, dir));
  expect(first.exitCode, first.summary?.failed.join('\n')).toBe(0);
  const name = (await compileSpec(loadSpecFile(spec))).roles[0]!.name;
  const role0 = await liveRole(name);
  const snap0 = await snapshot(clients);
  writeFileSync(spec, specOf(after));
  sb.resetStats();
  const second = await runApply(spec, applyOptions(clients, dir));
  expect(second.exitCode).toBe(0);
  const wrote = writes(sb.stats().actions);
  sb.resetStats();
  const third = await runApply(spec, applyOptions(clients, dir));
  return { spec, name, role0, snap0, second, wrote, third, thirdWrites: sb.stats().writes, role1: await liveRole(name), snap1: await snapshot(clients) };
}

describe('stable role names: every attribute is updated in place', () => {
  // [what, before, after, the plan's active changes, the IAM writes]
  const H = ['role.web', 'update'] as const; // the role's content hash tag
  const cases: Array<[string, Svc, Svc, Array<readonly [string, string]>, Record<string, number>]> = [
    ['trust policy', BASE, { ...BASE, trust: ['ec2', 'lambda'] }, [H], { 'iam:UpdateAssumeRolePolicy': 1, 'iam:TagRole': 1 }],
    ['inline policy edited', BASE, { ...BASE, actions: ['s3:GetObject', 's3:PutObject'] }, [H, ['role.web.inline.charter-inline-policy', 'update']], { 'iam:PutRolePolicy': 1, 'iam:TagRole': 1 }],
    ['inline policy added', { ...BASE, actions: undefined }, BASE, [H, ['role.web.inline.charter-inline-policy', 'create']], { 'iam:PutRolePolicy': 1, 'iam:TagRole': 1 }],
    ['inline policy removed', BASE, { ...BASE, actions: undefined }, [H, ['role.web.inline.charter-inline-policy', 'delete']], { 'iam:DeleteRolePolicy': 1, 'iam:TagRole': 1 }],
    ['managed policy attached', BASE, { ...BASE, managed: [SSM, CW] }, [H, [`role.web.attachment.${CW}`, 'create']], { 'iam:AttachRolePolicy': 1, 'iam:TagRole': 1 }],
    ['managed policy detached', BASE, { ...BASE, managed: undefined }, [H, [`role.web.attachment.${SSM}`, 'delete']], { 'iam:DetachRolePolicy': 1, 'iam:TagRole': 1 }],
    ['permissions boundary set', BASE, { ...BASE, boundary: BOUNDARY }, [H], { 'iam:PutRolePermissionsBoundary': 1, 'iam:TagRole': 1 }],
    ['permissions boundary removed', { ...BASE, boundary: BOUNDARY }, BASE, [H], { 'iam:DeleteRolePermissionsBoundary': 1, 'iam:TagRole': 1 }],
    ['description edited', BASE, { ...BASE, description: 'reads and lists the data bucket' }, [H], { 'iam:UpdateRole': 1 }],
    ['description removed', BASE, { ...BASE, description: undefined }, [H], { 'iam:UpdateRole': 1 }],
    ['max session duration', BASE, { ...BASE, maxSession: 7200 }, [H], { 'iam:UpdateRole': 1, 'iam:TagRole': 1 }],
    ['tags', BASE, { ...BASE, tags: { team: 'research', cost: 'lab' } }, [H, ['profile.web', 'update']], { 'iam:TagRole': 1, 'iam:TagInstanceProfile': 1 }],
  ];

  it.each(cases)('%s: same role (ARN, id), same profile and instance; only the in-place writes', async (_what, before, after, planned, wrote) => {
    const r = await edit(before, after);
    expect(r.name).toBe('charter-ident-web');
    expect(active(r.second.plan!.changes)).toEqual(planned);
    expect(r.wrote).toEqual(wrote);
    // Same role, same profile holding it, same instance running with it.
    expect(r.role1.Arn).toBe(r.role0.Arn);
    expect(r.role1.RoleId).toBe(r.role0.RoleId);
    expect(r.snap1.roles).toEqual(['charter-ident-web']);
    expect(r.snap1.profiles).toEqual([{ name: 'charter-ident-web', roles: ['charter-ident-web'] }]);
    expect(r.snap1.active.map((i) => i.id)).toEqual(r.snap0.active.map((i) => i.id));
    // Converged: the next apply plans nothing and writes nothing.
    expect(r.third.summary?.status).toBe('no-changes');
    expect(r.thirdWrites).toBe(0);
  });

  it('the role carries the new content hash as its tag; description and session duration are what the spec says', async () => {
    const r = await edit(BASE, { ...BASE, actions: ['s3:GetObject', 's3:PutObject'], description: 'new words', maxSession: 10800 });
    const b = await compileSpec(loadSpecFile(r.spec));
    const tags = Object.fromEntries((r.role1.Tags ?? []).map((t) => [t.Key!, t.Value!]));
    expect(tags['charter:hash']).toBe(b.roles[0]!.hash.slice(0, 8));
    expect(r.role1.Description).toBe('new words');
    expect(r.role1.MaxSessionDuration).toBe(10800);
    const role = r.second.plan!.changes.find((c) => c.address === 'role.web')!;
    expect(role.reason).toEqual({ code: 'changed', fields: ['description', 'max-session-duration', 'hash-tag'], hashTag: 'charter:hash' });
    expect(reasonText(role.reason)).toBe('description, max session duration, content hash tag (charter:hash) changed');
    expect(r.wrote).toEqual({ 'iam:PutRolePolicy': 1, 'iam:UpdateRole': 1, 'iam:TagRole': 1 });
  });
});

describe('naming: content', () => {
  it('an edit is a new role under a new name (and a new profile and instance); the old one stays while its instance runs', async () => {
    const content: Svc = { ...BASE, naming: 'content' };
    const r = await edit(content, { ...content, actions: ['s3:GetObject', 's3:PutObject'] });
    const newName = (await compileSpec(loadSpecFile(r.spec))).roles[0]!.name;
    expect(r.name).toMatch(/^charter-web-[0-9a-f]{8}$/);
    expect(newName).toMatch(/^charter-web-[0-9a-f]{8}$/);
    expect(newName).not.toBe(r.name);
    const changes = r.second.plan!.changes;
    expect(changes.find((c) => c.address === 'role.web')).toMatchObject({ action: 'replace', previousName: r.name, name: newName });
    expect(changes.find((c) => c.address === `orphan.role.${r.name}`)).toMatchObject({ action: 'no-op', orphan: true });
    expect(r.wrote['iam:CreateRole']).toBe(1);
    expect(r.wrote['iam:CreateInstanceProfile']).toBe(1);
    expect(r.wrote['ec2:RunInstances']).toBe(1);
    expect(r.snap1.roles).toEqual([r.name, newName].sort());
    expect((await liveRole(r.name)).Arn).toBe(r.role0.Arn); // the old generation is untouched
  });

  it('identical content has one name: reverting an edit goes back to the earlier role, which is still there (no CreateRole)', async () => {
    const content: Svc = { ...BASE, naming: 'content' };
    const r = await edit(content, { ...content, actions: ['s3:GetObject', 's3:PutObject'] });
    writeFileSync(r.spec, specOf(content));
    sb.resetStats();
    const back = await runApply(r.spec, applyOptions(clients, tmp('charter-ident-')));
    expect(back.exitCode).toBe(0);
    expect(back.plan!.changes.find((c) => c.address === 'role.web')).toMatchObject({ action: 'no-op', name: r.name });
    expect(writes(sb.stats().actions)['iam:CreateRole']).toBeUndefined();
    expect((await liveRole(r.name)).RoleId).toBe(r.role0.RoleId);
  });

  it('switching a service from naming: content to stable names is a new role under the stable name; the old one is an orphan', async () => {
    const content: Svc = { ...BASE, naming: 'content' };
    const r = await edit(content, BASE);
    expect(r.name).toMatch(/^charter-web-[0-9a-f]{8}$/);
    const changes = r.second.plan!.changes;
    expect(changes.find((c) => c.address === 'role.web')).toMatchObject({ action: 'replace', previousName: r.name, name: 'charter-ident-web', reason: { code: 'renamed', naming: 'stable', from: r.name, to: 'charter-ident-web' } });
    expect(changes.find((c) => c.address === 'profile.web')).toMatchObject({ action: 'replace', previousName: r.name, name: 'charter-ident-web' });
    expect(r.snap1.profiles.find((p) => p.name === 'charter-ident-web')?.roles).toEqual(['charter-ident-web']);
    expect(r.third.summary?.status).toBe('no-changes');
  });

  it('two services with identical content get their own content names; the spec name is not part of them', async () => {
    const dir = tmp('charter-ident-');
    const text = specOf({ ...BASE, naming: 'content' });
    const a = await compileSpec(loadSpecFile(writeSpec(dir, text, 'a.yaml')));
    const b = await compileSpec(loadSpecFile(writeSpec(dir, text.replace('name: ident', 'name: other'), 'b.yaml')));
    expect(a.roles[0]!.name).toBe(b.roles[0]!.name);
    expect(a.roles[0]!.name).toBe(`charter-web-${a.roles[0]!.hash.slice(0, 8)}`);
  });
});

describe('drift on a stable name', () => {
  it('an inline policy edited outside charter is drift (its content no longer matches the role\'s hash tag), and apply puts it back in place', async () => {
    const dir = tmp('charter-ident-');
    const spec = writeSpec(dir, specOf(BASE));
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    const { PutRolePolicyCommand } = await import('@aws-sdk/client-iam');
    await (await clients.iam()).send(new PutRolePolicyCommand({ RoleName: 'charter-ident-web', PolicyName: 'charter-inline-policy', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }));
    const bundle = await compileSpec(loadSpecFile(spec));
    const p = await plan(bundle, await readLiveState(clients, readOptionsForBundle(bundle)), { prune: false, adopt: false });
    expect(active(p.changes)).toEqual([['role.web.inline.charter-inline-policy', 'update']]);
    expect(p.changes.find((c) => c.address === 'role.web.inline.charter-inline-policy')).toMatchObject({ drift: true, reason: { code: 'changed', fields: ['policy-document'], outsideCharter: true }, broadening: 'narrowing' });
    sb.resetStats();
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    expect(writes(sb.stats().actions)).toEqual({ 'iam:PutRolePolicy': 1 });
  });
});

describe('description drift', () => {
  it('a description changed outside charter is planned (both read modes) and restored by apply', async () => {
    const dir = tmp('charter-ident-');
    const spec = writeSpec(dir, specOf(BASE));
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    const bundle = await compileSpec(loadSpecFile(spec));
    const iam = await clients.iam();
    await iam.send(new UpdateRoleCommand({ RoleName: 'charter-ident-web', Description: 'edited in the console' }));
    for (const mode of ['gaad', 'per-resource'] as const) {
      const live = await readLiveState(clients, readOptionsForBundle(bundle, mode));
      expect(live.roles.find((x) => x.name === 'charter-ident-web')?.description).toBe('edited in the console');
      const p = await plan(bundle, live, { prune: false, adopt: false });
      expect(active(p.changes)).toEqual([['role.web', 'update']]);
      const role = p.changes.find((c) => c.address === 'role.web')!;
      expect(role.reason).toEqual({ code: 'changed', fields: ['description'] });
      expect(role.diff).toContain('-  "description": "edited in the console"');
      expect(role.diff).toContain('+  "description": "reads the data bucket"');
    }
    sb.resetStats();
    const r = await runApply(spec, applyOptions(clients, dir));
    expect(r.exitCode).toBe(0);
    expect(writes(sb.stats().actions)).toEqual({ 'iam:UpdateRole': 1 });
    expect((await liveRole('charter-ident-web')).Description).toBe('reads the data bucket');
  });

  it('the bulk read gets descriptions from ListRoles pages, not one GetRole per role: calls grow with pages, not roles', async () => {
    const iam = await clients.iam();
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    for (let i = 0; i < 9; i++) await iam.send(new CreateRoleCommand({ RoleName: `other-${i}`, AssumeRolePolicyDocument: trust, Description: `role ${i}` }));
    const dir = tmp('charter-ident-');
    const bundle = await compileSpec(loadSpecFile(writeSpec(dir, specOf(BASE))));
    const live = await readLiveState(clients, { ...readOptionsForBundle(bundle, 'gaad'), pageSize: 4 });
    expect(live.roles.map((x) => [x.name, x.description])).toEqual(Array.from({ length: 9 }, (_, i) => [`other-${i}`, `role ${i}`]));
    expect(live.roles.every((x) => x.maxSessionDuration === 3600 && x.settingsKnown !== false)).toBe(true);
    expect(live.readCallsByAction?.['iam:ListRoles']).toBe(3); // 9 roles, 4 a page
    expect(live.readCallsByAction?.['iam:GetRole']).toBeUndefined();
  });

  it('ListRoles denied on the bulk path: a note, and no description change is planned (nothing is claimed that was not read)', async () => {
    const dir = tmp('charter-ident-');
    const stateFile = join(dir, 'sandbox.json');
    const spec = writeSpec(dir, specOf(BASE));
    const bundle = await compileSpec(loadSpecFile(spec));
    const open = await sandbox({ stateFile });
    try {
      expect((await runApply(spec, applyOptions(open.clients, dir))).exitCode).toBe(0);
      await (await open.clients.iam()).send(new UpdateRoleCommand({ RoleName: 'charter-ident-web', Description: 'edited in the console' }));
    } finally {
      await open.sb.stop();
    }
    // The same account, read by a caller that may not call ListRoles.
    const denied = await sandbox({ stateFile, deny: ['iam:ListRoles'] });
    try {
      const live = await readLiveState(denied.clients, readOptionsForBundle(bundle, 'gaad'));
      expect(live.notes?.join('\n')).toMatch(/ListRoles denied .*role descriptions and session durations were not read/);
      expect(live.roles.find((x) => x.name === 'charter-ident-web')?.settingsKnown).toBe(false);
      const p = await plan(bundle, live, { prune: false, adopt: false });
      expect(active(p.changes)).toEqual([]);
    } finally {
      await denied.sb.stop();
    }
  });
});
