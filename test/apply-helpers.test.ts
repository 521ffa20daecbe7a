import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clientToken, CLIENT_TOKEN_MAX } from '../src/apply/client-token.js';
import { expiresAt, parseExpiresAt, rfc3339 } from '../src/compiler/expires.js';
import { CallGate } from '../src/apply/gate.js';
import { backoffMs, isThrottle, isTransient, StoppedError, withRetry } from '../src/apply/retry.js';
import { launchInput, isProfileNotReady, profileRetryDelay } from '../src/apply/launch.js';
import { Journal, journalPath } from '../src/apply/journal.js';
import { errorCode, explainAwsError, isAccessDenied, isNotFound } from '../src/aws/errors.js';
import { executeSteps } from '../src/apply/executor.js';
import type { ApplyContext } from '../src/apply/context.js';
import type { Step } from '../src/apply/steps.js';
import { EXPIRES_AT_PLACEHOLDER, type LaunchGroup } from '../src/compiler/types.js';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('client token', () => {
  it('is at most 64 ASCII chars, deterministic, and distinct per (attempt seed, group, index)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.string({ minLength: 1, maxLength: 200 }), fc.nat(100_000), (plan, group, index) => {
        const t = clientToken(plan, group, index);
        expect(t.length).toBeLessThanOrEqual(CLIENT_TOKEN_MAX);
        expect(/^[\x21-\x7e]+$/.test(t)).toBe(true);
        expect(clientToken(plan, group, index)).toBe(t);
        expect(clientToken(plan, group, index + 1)).not.toBe(t);
        expect(clientToken(plan + 'x', group, index)).not.toBe(t);
      }),
    );
  });
});

describe('expires-at', () => {
  it('is launch time + ttl in RFC 3339 UTC, whole seconds', () => {
    const launch = Date.UTC(2026, 10, 22, 6, 0, 0, 456);
    expect(expiresAt(launch, 12 * 3600)).toBe('2026-11-22T18:00:00Z');
    expect(rfc3339(launch)).toBe('2026-11-22T06:00:00Z');
  });
  it('round-trips through parseExpiresAt and rejects junk', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: 1, max: 30 * 86400 }), (t, ttl) => {
        const s = expiresAt(t, ttl);
        expect(parseExpiresAt(s)).toBe(Math.floor((t + ttl * 1000) / 1000) * 1000);
      }),
    );
    expect(parseExpiresAt('tomorrow')).toBeUndefined();
    expect(parseExpiresAt('')).toBeUndefined();
    expect(parseExpiresAt('2026-11-22 06:00')).toBeUndefined();
  });
});

describe('call gate', () => {
  it('never runs more than the limit at once, and stop() lets in-flight calls finish', async () => {
    const gate = new CallGate(3);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    // Each call runs until the test releases it: the interleaving is the test's, not a timer's.
    const releases: Array<() => void> = [];
    const released = Array.from({ length: 20 }, (_, i) => new Promise<void>((r) => (releases[i] = r)));
    const call = (i: number) =>
      gate.run(async () => {
        started.push(i);
        active++;
        peak = Math.max(peak, active);
        await released[i];
        active--;
        return i;
      });
    const until = async (cond: () => boolean) => {
      while (!cond()) await new Promise((r) => setImmediate(r));
    };
    const all = Array.from({ length: 20 }, (_, i) => call(i));
    await until(() => started.length === 3);
    releases[0]!();
    await until(() => started.length === 4); // a finished call lets the next one in
    expect(active).toBe(3);
    gate.stop(); // three calls in flight, sixteen waiting
    for (const r of releases) r();
    const settled = await Promise.allSettled(all);
    expect(peak).toBeLessThanOrEqual(3);
    const ok = settled.filter((s) => s.status === 'fulfilled').length;
    const stopped = settled.filter((s) => s.status === 'rejected' && s.reason instanceof StoppedError).length;
    expect(ok).toBe(started.length); // every call that started finished
    expect(ok).toBe(4);
    expect(ok + stopped).toBe(20);
    expect(stopped).toBeGreaterThan(0);
  });
});

describe('retry', () => {
  const throttle = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
  const internal = Object.assign(new Error('boom'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  const denied = Object.assign(new Error('no'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  it('classifies errors', () => {
    expect(isThrottle(throttle)).toBe(true);
    expect(isTransient(internal)).toBe(true);
    expect(isTransient(reset)).toBe(true);
    expect(isThrottle(denied) || isTransient(denied)).toBe(false);
  });
  it('retries throttling on top of the SDK, not access denied', async () => {
    let n = 0;
    const v = await withRetry(async () => {
      if (++n < 4) throw throttle;
      return 'ok';
    }, { baseMs: 1, capMs: 2 });
    expect(v).toBe('ok');
    expect(n).toBe(4);
    let m = 0;
    await expect(withRetry(async () => { m++; throw denied; }, { baseMs: 1 })).rejects.toThrow('no');
    expect(m).toBe(1);
  });
  it('backoff stays within [1, cap]', () => {
    fc.assert(fc.property(fc.nat(50), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (a, r) => {
      const w = backoffMs(a, 100, 5000, () => r);
      expect(w).toBeGreaterThanOrEqual(1);
      expect(w).toBeLessThanOrEqual(5000);
    }));
    for (let n = 1; n < 30; n++) expect(profileRetryDelay(n, () => 0.5)).toBeLessThanOrEqual(2000);
  });
  it('recognises the instance-profile propagation errors', () => {
    const e1 = Object.assign(new Error('Value (x) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name'), { name: 'InvalidParameterValue' });
    const e2 = Object.assign(new Error('Instance profile x has no associated IAM Roles'), { name: 'InvalidParameterValue' });
    const e3 = Object.assign(new Error('Invalid value for InstanceType'), { name: 'InvalidParameterValue' });
    expect(isProfileNotReady(e1)).toBe(true);
    expect(isProfileNotReady(e2)).toBe(true);
    expect(isProfileNotReady(e3)).toBe(false);
  });
});

describe('launch input', () => {
  const group: LaunchGroup = {
    address: 'launch.train', group: 'train', service: 'trainer', roleAddress: 'role.trainer', instanceProfileName: 'p', count: 2,
    runInstances: { ImageId: 'ami-1', InstanceType: 't3.micro', IamInstanceProfile: { Name: 'p' }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'charter:managed', Value: 'true' }] }] },
    userData: `#!/bin/sh\necho ${EXPIRES_AT_PLACEHOLDER}\n`, userDataSize: 20, ttlSeconds: 3600, tags: { 'charter:managed': 'true' }, hash: 'h', pos: { file: 's', line: 1, col: 1 },
    configHash: 'c', onChange: 'replace',
    config: { instanceType: 't3.micro', image: 'ami-1', spot: false, securityGroups: [], publicIp: false, imds: { httpTokens: 'required', hopLimit: 1, instanceMetadataTags: true }, rootVolume: { deviceName: '/dev/xvda', deviceNameFromImage: true, encrypted: true }, ttl: '1h', shutdownTerminates: true, userData: { bytes: 20, sha256: '0'.repeat(64) } },
  };
  it('puts expires-at in the tags and the user-data, and is byte-identical for the same token and time', () => {
    const a = launchInput('charter', group, 'tok', Date.UTC(2026, 0, 1));
    const b = launchInput('charter', group, 'tok', Date.UTC(2026, 0, 1));
    expect(JSON.stringify(a.input)).toBe(JSON.stringify(b.input));
    expect(a.expiresAt).toBe('2026-01-01T01:00:00Z');
    expect(a.input.TagSpecifications?.[0]?.Tags).toContainEqual({ Key: 'charter:expires-at', Value: '2026-01-01T01:00:00Z' });
    const ud = Buffer.from(a.input.UserData ?? '', 'base64').toString();
    expect(ud).toContain('2026-01-01T01:00:00Z');
    expect(ud).not.toContain(EXPIRES_AT_PLACEHOLDER);
    expect(a.input.MinCount).toBe(1);
    expect(a.input.ClientToken).toBe('tok');
    const c = launchInput('charter', group, 'tok', Date.UTC(2026, 0, 1, 0, 0, 5));
    expect(JSON.stringify(c.input)).not.toBe(JSON.stringify(a.input));
  });
});

describe('journal', () => {
  const target = { account: '123456789012', region: 'us-west-2', endpoint: 'http://127.0.0.1:1' };
  it('persists atomically; another plan id or another target is another attempt', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-journal-'));
    const f = journalPath(dir, 'plan-a', target);
    const j = new Journal(f, 'plan-a', target, { newAttemptId: () => 'attempt-1' });
    expect(j.resumed).toBe(false);
    j.markStarted('role.x');
    j.recordLaunch('tok', { group: 'g', index: 0, launchMs: 5, expiresAt: 'e' });
    j.markDone('role.x');
    const k = new Journal(f, 'plan-a', target, { newAttemptId: () => 'attempt-2' });
    expect(k.resumed).toBe(true);
    expect(k.attemptId).toBe('attempt-1');
    expect(k.tokenSeed).toBe(j.tokenSeed);
    expect(k.wasDone('role.x')).toBe(true);
    expect(k.launch('tok')?.launchMs).toBe(5);
    expect(JSON.parse(readFileSync(f, 'utf8'))).toMatchObject({ planId: 'plan-a', target, attemptId: 'attempt-1' });
    expect(new Journal(f, 'plan-b', target).resumed).toBe(false);
    const other = { ...target, endpoint: 'http://127.0.0.1:2' };
    expect(journalPath(dir, 'plan-a', other)).not.toBe(f);
    const elsewhere = new Journal(f, 'plan-a', other, { newAttemptId: () => 'attempt-3' });
    expect(elsewhere.resumed).toBe(false);
    expect(elsewhere.tokenSeed).not.toBe(j.tokenSeed);
  });

  it('a completed attempt leaves no journal: the next apply is a new attempt with new tokens', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-journal-'));
    const f = journalPath(dir, 'plan-a', target);
    let n = 0;
    const fresh = () => `attempt-${++n}`;
    const j = new Journal(f, 'plan-a', target, { newAttemptId: fresh });
    j.markStarted('role.x');
    j.markComplete();
    expect(existsSync(f)).toBe(false);
    const next = new Journal(f, 'plan-a', target, { newAttemptId: fresh });
    expect(next.resumed).toBe(false);
    expect(next.attemptId).toBe('attempt-2');
    expect(clientToken(next.tokenSeed, 'g', 0)).not.toBe(clientToken(j.tokenSeed, 'g', 0));
  });
});

describe('journal and lock hold no raw secret', () => {
  const KEY = 'AKIAQ3EGRV5TQXWNJ7KD';
  const PASSWORD = 'S3cr3tPassw0rdX';
  const target = { account: '123456789012', region: 'us-west-2', endpoint: `https://deploy:${PASSWORD}@aws.example.com` };
  it('names holding secrets are recorded redacted, and a resumed run still finds them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-journal-'));
    const f = journalPath(dir, 'plan-a', target);
    const j = new Journal(f, 'plan-a', target, { newAttemptId: () => 'attempt-1' });
    const token = clientToken(j.tokenSeed, KEY, 0);
    expect(token).toContain(KEY); // the group name reaches the token (sent to EC2, never to the journal)
    j.markStarted(`launch.${KEY}[0]`);
    j.recordLaunch(token, { group: KEY, index: 0, launchMs: 5 });
    j.markDone(`role.${KEY}`);
    const text = readFileSync(f, 'utf8');
    expect([KEY, PASSWORD].filter((n) => text.includes(n))).toEqual([]);
    expect(text).toContain('[REDACTED:aws-access-key-id]');
    const k = new Journal(f, 'plan-a', target, { newAttemptId: () => 'attempt-2' });
    expect(k.resumed).toBe(true);
    expect(k.attemptId).toBe('attempt-1');
    expect(k.tokenSeed).toBe(j.tokenSeed);
    expect(k.launch(token)?.launchMs).toBe(5);
    expect(k.wasStarted(`launch.${KEY}[0]`)).toBe(true);
    expect(k.wasDone(`role.${KEY}`)).toBe(true);
    expect(k.wasDone('role.other')).toBe(false);
    expect([...k.startedAmong([`launch.${KEY}`, 'launch.other', `role.${KEY}`])]).toEqual([`launch.${KEY}`]);
    // Another endpoint (another password) is another journal, as before.
    expect(journalPath(dir, 'plan-a', { ...target, endpoint: 'https://deploy:other0000Password@aws.example.com' })).not.toBe(f);
  });

  it('the lock file', async () => {
    const { acquireLock } = await import('../src/apply/lock.js');
    const dir = mkdtempSync(join(tmpdir(), 'charter-lock-'));
    const lock = acquireLock(dir, `apply ${KEY}`);
    const text = readFileSync(join(dir, 'apply.lock'), 'utf8');
    lock.release();
    expect(text).not.toContain(KEY);
    expect(text).toContain('apply [REDACTED:aws-access-key-id]');
  });
});

describe('apply lock', () => {
  it('refuses a second writer while the holder lives, takes over a dead holder', async () => {
    const { acquireLock } = await import('../src/apply/lock.js');
    const { writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'charter-lock-'));
    // A live holder (our parent process stands in for another charter run).
    writeFileSync(join(dir, 'apply.lock'), JSON.stringify({ pid: process.ppid, what: 'apply x' }));
    expect(() => acquireLock(dir, 'apply y')).toThrow(/another charter run \(pid \d+: apply x/);
    // A dead holder (kill -9 left it): taken over.
    writeFileSync(join(dir, 'apply.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, what: 'apply x' }));
    const l = acquireLock(dir, 'apply y');
    expect(JSON.parse(readFileSync(join(dir, 'apply.lock'), 'utf8')).pid).toBe(process.pid);
    l.release();
    acquireLock(dir, 'again').release();
  });
});

describe('errorCode: one function for aws/errors and apply', () => {
  const sdk = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name} happened`), { name, ...extra });
  // The SDK's modelled IAM exceptions carry the wire code in `Code` beside a longer name.
  const noSuchEntity = sdk('NoSuchEntityException', { Code: 'NoSuchEntity', $metadata: { httpStatusCode: 404 } });
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  const cases: Array<[string, unknown, string]> = [
    ['Code before name', noSuchEntity, 'NoSuchEntity'],
    ['name when there is no Code', sdk('Throttling'), 'Throttling'],
    ['Code alone', { Code: 'LimitExceeded' }, 'LimitExceeded'],
    ['Node system error code of a plain Error', reset, 'ECONNRESET'],
    ['plain Error', new Error('x'), 'Error'],
    ['named Error subclass', new StoppedError(), 'StoppedError'],
    ['object without a code', {}, ''],
    ['non-string name and Code', { name: 42, Code: 7 }, ''],
    ['a thrown string', 'boom', ''],
    ['undefined', undefined, ''],
    ['null', null, ''],
  ];
  it.each(cases)('%s', (_, e, code) => {
    expect(errorCode(e)).toBe(code);
  });

  it('aws/errors predicates read the same code', () => {
    expect(isNotFound(noSuchEntity)).toBe(true);
    expect(isNotFound(sdk('InvalidInstanceID.NotFound'))).toBe(true);
    expect(isNotFound(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }))).toBe(false);
    expect(isAccessDenied(sdk('AccessDeniedException', { Code: 'AccessDenied' }))).toBe(true);
    expect(isAccessDenied(sdk('ExpiredTokenException', { Code: 'ExpiredToken', $metadata: { httpStatusCode: 403 } }))).toBe(false);
    expect(isAccessDenied(sdk('Whatever', { $metadata: { httpStatusCode: 403 } }))).toBe(true);
    expect(isAccessDenied('boom')).toBe(false);
  });

  it('explainAwsError names the code, and none when there is none', () => {
    expect(explainAwsError(noSuchEntity, 'iam:GetRole', 'p').message).toBe('iam:GetRole failed: NoSuchEntity: NoSuchEntityException happened');
    expect(explainAwsError(new Error('x'), 'iam:GetRole', 'p').message).toBe('iam:GetRole failed: Error: x');
    expect(explainAwsError('boom', 'iam:GetRole', 'p').message).toBe('iam:GetRole failed: boom');
  });

  it('a failed apply step says the code before the message, and no code when there is none', async () => {
    const ctx = { signal: new AbortController().signal, journal: { markStarted() {}, markDone() {} } } as unknown as ApplyContext;
    const thrown: unknown[] = [noSuchEntity, reset, new Error('plain'), 'boom', undefined];
    const steps: Step[] = thrown.map((e, i) => ({ id: `s${i}`, label: `step ${i}`, deps: [], change: { kind: 'role' } as Step['change'], run: async () => { throw e; } }));
    const res = await executeSteps(ctx, steps, { start() {}, end() {} });
    expect(steps.map((s) => res.get(s.id)?.error)).toEqual(['NoSuchEntity: NoSuchEntityException happened', 'ECONNRESET: socket hang up', 'plain', 'boom', 'undefined']);
  });
});
