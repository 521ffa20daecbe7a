/** The live-state reader's pieces: document decoding, and fingerprints that agree across read paths. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutRolePolicyCommand, UpdateRoleCommand } from '@aws-sdk/client-iam';
import { decodeDocument, readCosts, readLiveState, readResources } from '../src/aws/live-state.js';
import { fingerprintsOf, staleFingerprints } from '../src/aws/fingerprints.js';
import { PLAN_READ_ACTIONS } from '../src/aws/required-policy.js';
import { plan } from '../src/plan/plan.js';
import { readOptionsForBundle } from '../src/apply/plan-run.js';
import { applyDirect, compileText, sandbox } from './plan-helpers.js';
import type { RunningSandbox } from '../src/sandbox/index.js';
import type { AwsClients } from '../src/aws/clients.js';

describe('decodeDocument', () => {
  it('decodes URL-encoded documents (as GAAD and Get* return them) and leaves plain JSON alone', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/100% done/*' }] };
    expect(decodeDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual(doc);
    expect(decodeDocument(JSON.stringify(doc))).toEqual(doc);
    expect(decodeDocument(undefined)).toEqual({ Statement: [] });
    expect(() => decodeDocument('%7Bnot json')).toThrow(/could not parse a policy document/);
  });
});

describe('read path choice', () => {
  it('per-role reads win only for a few roles in a large account', () => {
    const pick = (n: number, c: number) => (readCosts(n, c).perRole < readCosts(n, c).gaadPages ? 'per-resource' : 'gaad');
    expect(pick(30, 2)).toBe('gaad');
    expect(pick(500, 2)).toBe('gaad');
    expect(pick(5000, 2)).toBe('per-resource');
    expect(pick(5000, 20)).toBe('gaad');
  });
});

describe('pagination', () => {
  it('every page is followed (GAAD markers with short pages, ListInstanceProfiles, DescribeInstances, per-resource lists): same plan as one page', async () => {
    const { sb, clients } = await sandbox();
    try {
      const services = Array.from({ length: 12 }, (_, i) => `  s${i}:\n    statements: [{ actions: [s3:GetObject], resources: ["arn:aws:s3:::b${i}/*"] }]\n    trust: [ec2]\n`).join('');
      const groups = Array.from({ length: 3 }, (_, i) => `  g${i}: { service: s${i}, type: t3.micro, image: ami-0123456789abcdef0, count: 4 }\n`).join('');
      const b = await compileText(`version: 1\nname: pages\nprefix: charter\nregion: us-west-2\naccount: "123456789012"\nservices:\n${services}instances:\n${groups}`);
      await applyDirect(await clients.iam(), await clients.ec2(), b);
      const whole = await readLiveState(clients, readOptionsForBundle(b));
      sb.resetStats();
      const paged = await readLiveState(clients, { ...readOptionsForBundle(b), pageSize: 4, ec2PageSize: 5 });
      const calls = sb.stats().actions;
      expect(calls['iam:GetAccountAuthorizationDetails']).toBeGreaterThanOrEqual(3);
      expect(calls['iam:ListInstanceProfiles']).toBeGreaterThanOrEqual(1);
      expect(calls['ec2:DescribeInstances']).toBeGreaterThanOrEqual(3); // 12 instances, 5 a page
      expect(paged.roles.length).toBe(12);
      expect(paged.instances.length).toBe(12);
      const p1 = await plan(b, whole, { prune: false, adopt: false });
      const p2 = await plan(b, paged, { prune: false, adopt: false });
      expect(p2.planId).toBe(p1.planId);
      expect(p2.changes.every((c) => c.action === 'no-op')).toBe(true);
      const perResource = await readLiveState(clients, { ...readOptionsForBundle(b), pageSize: 4, ec2PageSize: 5, mode: 'per-resource' });
      expect((await plan(b, perResource, { prune: false, adopt: false })).planId).toBe(p1.planId);
    } finally {
      await sb.stop();
    }
  });
});

describe('fingerprints', () => {
  let sb: RunningSandbox;
  let clients: AwsClients;
  beforeAll(async () => {
    ({ sb, clients } = await sandbox());
  });
  afterAll(async () => {
    await sb.stop();
  });

  it('a bulk read and a per-resource re-read of the planned keys agree; an out-of-band edit makes exactly that key stale', async () => {
    const b = await compileText(`version: 1
name: fp
prefix: charter
region: us-west-2
account: "123456789012"
services:
  app:
    statements: [{ actions: [s3:GetObject], resources: ["arn:aws:s3:::d/*"] }]
    trust: [ec2]
  other:
    statements: [{ actions: [sqs:SendMessage], resources: ["*"] }]
    trust: [lambda]
instances:
  job: { service: app, type: t3.micro, image: ami-0123456789abcdef0, count: 2 }
`);
    await applyDirect(await clients.iam(), await clients.ec2(), b);
    const live = await readLiveState(clients, readOptionsForBundle(b));
    expect(live.readMode).toBe('gaad');
    const p = await plan(b, live, { prune: false, adopt: false });
    const keys = p.fingerprints.map((f) => f.key);
    const targets = p.fingerprints.map((f) => f.target);
    expect(keys).toEqual(expect.arrayContaining([`role:${b.roles[0]!.name}`, `profile:${b.instanceProfiles[0]!.name}`, 'instances:job']));
    sb.resetStats();
    const fresh = await readResources(clients, targets, { prefix: b.prefix, specName: b.specName });
    expect(fresh.readMode).toBe('per-resource');
    expect(sb.stats().actions['iam:GetAccountAuthorizationDetails']).toBeUndefined();
    expect(fingerprintsOf(fresh, targets, b.prefix)).toEqual(p.fingerprints);
    expect(staleFingerprints(p.fingerprints, fresh, b.prefix)).toEqual([]);

    const other = b.roles.find((r) => r.service === 'other')!;
    await (await clients.iam()).send(new PutRolePolicyCommand({ RoleName: other.name, PolicyName: 'extra', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] }) }));
    const moved = await readResources(clients, targets, { prefix: b.prefix, specName: b.specName });
    expect(staleFingerprints(p.fingerprints, moved, b.prefix).map((s) => s.key)).toEqual([`role:${other.name}`]);

    // A description or session duration changed out of band moves that role's fingerprint too.
    const app = b.roles.find((r) => r.service === 'app')!;
    await (await clients.iam()).send(new UpdateRoleCommand({ RoleName: app.name, Description: 'edited by hand' }));
    const described = await readResources(clients, targets, { prefix: b.prefix, specName: b.specName });
    expect(staleFingerprints(p.fingerprints, described, b.prefix).map((s) => s.key).sort()).toEqual([`role:${app.name}`, `role:${other.name}`].sort());
    // A read without them (ListRoles denied on the bulk path) says so, and a per-resource re-read that
    // has them is checked the same way: not stale for that alone.
    const blind = { ...live, roles: live.roles.map((r) => ({ ...r, settingsKnown: false as const, description: undefined, maxSessionDuration: undefined })) };
    const pBlind = await plan(b, blind, { prune: false, adopt: false });
    const appFp = pBlind.fingerprints.find((f) => f.key === `role:${app.name}`)!;
    expect(appFp.settings).toBe(false);
    expect(p.fingerprints.find((f) => f.key === `role:${app.name}`)!.settings).toBeUndefined();
    const reread = await readResources(clients, targets, { prefix: b.prefix, specName: b.specName });
    expect(staleFingerprints(pBlind.fingerprints, reread, b.prefix).map((s) => s.key).sort()).toEqual([`role:${other.name}`]);

    // The read-only policy printed by --print-required-policy covers every call of every read path.
    sb.resetStats();
    await readLiveState(clients, readOptionsForBundle(b, 'gaad'));
    await readLiveState(clients, readOptionsForBundle(b, 'per-resource'));
    await readLiveState(clients, readOptionsForBundle(b, 'auto'));
    await readResources(clients, [...targets, { kind: 'policy', name: 'x', arn: 'arn:aws:iam::123456789012:policy/x' }], { prefix: b.prefix, specName: b.specName });
    const called = Object.keys(sb.stats().actions).sort();
    expect(called.filter((a) => !(PLAN_READ_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    expect(called.length).toBeGreaterThanOrEqual(10);
  });
});
