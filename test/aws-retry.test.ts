/**
 * The SDK clients' retry strategy against the sandbox over real HTTP: IAM quota errors
 * (LimitExceeded, HTTP 409 as IAM sends it) are sent once, real throttling is retried up to
 * maxAttempts, and an apply attaching a policy ARN that does not exist fails at once naming it.
 * Calls are counted with the sandbox's /_sandbox/stats.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { startSandbox } from '../src/sandbox/index.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import { awsClients, SANDBOX_CREDENTIALS, type AwsClients } from '../src/aws/clients.js';
import { CharterRetryStrategy } from '../src/aws/retry-strategy.js';
import { awsError, policyDoc, trustDoc } from './sandbox-helpers.js';
import { applyOptions, captureIo, runApply, specText, tmp, writeSpec, REGION } from './apply-support.js';

const MAX = 5;
let sb: RunningSandbox;
let clients: AwsClients;

async function stats(): Promise<{ actions: Record<string, number>; faults: number }> {
  const r = await fetch(`${sb.endpoint}/_sandbox/stats`);
  return (await r.json()) as { actions: Record<string, number>; faults: number };
}

beforeAll(async () => {
  // A catalogue of AWS managed policies, so an unknown AWS ARN is NoSuchEntity as on AWS.
  sb = await startSandbox({ region: REGION, awsManagedPolicies: { AmazonSSMManagedInstanceCore: policyDoc(['ssm:UpdateInstanceInformation']) } });
  clients = awsClients({ region: REGION, endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: MAX, retryDelay: () => 1 });
});
afterAll(async () => {
  await sb.stop();
});
beforeEach(() => {
  (sb as RunningSandbox & { reset(): void }).reset();
});

describe('retry strategy: quotas are not retried', () => {
  it('CreatePolicyVersion on a policy at 5 versions: LimitExceeded after one call', async () => {
    const iam = await clients.iam();
    const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: policyDoc(['s3:GetObject']) }))).Policy!.Arn!;
    for (let i = 2; i <= 5; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyDoc([`s3:GetObject${'x'.repeat(i)}`]) }));
    const before = (await stats()).actions['iam:CreatePolicyVersion'];
    expect(before).toBe(4);
    const e = await awsError(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyDoc(['s3:PutObject']) })));
    expect(e.name).toBe('LimitExceededException');
    expect(e.status).toBe(409);
    expect((await stats()).actions['iam:CreatePolicyVersion']).toBe(before + 1);
  });

  it('AddRoleToInstanceProfile on a profile that holds a role: LimitExceeded after one call', async () => {
    const iam = await clients.iam();
    for (const r of ['a', 'b']) await iam.send(new CreateRoleCommand({ RoleName: r, AssumeRolePolicyDocument: trustDoc() }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ip' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ip', RoleName: 'a' }));
    const e = await awsError(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ip', RoleName: 'b' })));
    expect(e.name).toBe('LimitExceededException');
    expect((await stats()).actions['iam:AddRoleToInstanceProfile']).toBe(2);
  });

  it('real throttling is still retried, up to maxAttempts', async () => {
    const throttled = await startSandbox({ region: REGION, faults: { throttle: 1, actions: ['iam:GetRole'] } });
    try {
      const c = awsClients({ region: REGION, endpoint: throttled.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: MAX, retryDelay: () => 1 });
      const e = await awsError((await c.iam()).send(new GetRoleCommand({ RoleName: 'x' })));
      expect(e.name).toBe('Throttling');
      expect(throttled.stats().faults).toBe(MAX);
    } finally {
      await throttled.stop();
    }
  });
});

describe('retry strategy: decisions', () => {
  const s = new CharterRetryStrategy(3, () => 7);
  const err = (Code: string, status: number) => Object.assign(new Error(Code), { name: `${Code}Exception`, Code, $metadata: { httpStatusCode: status } });
  const cases: [string, unknown, boolean][] = [
    ['IAM LimitExceeded (409)', err('LimitExceeded', 409), false],
    ['NoSuchEntity (404)', err('NoSuchEntity', 404), false],
    ['MalformedPolicyDocument (400)', err('MalformedPolicyDocument', 400), false],
    ['IAM Throttling (400)', err('Throttling', 400), true],
    ['EC2 RequestLimitExceeded (503)', err('RequestLimitExceeded', 503), true],
    ['HTTP 429', err('TooManyRequests', 429), true],
    ['ServiceFailure (500)', err('ServiceFailure', 500), true],
    ['connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
  ];
  it.each(cases)('%s: retried = %s', async (_label, error, retried) => {
    const t0 = await s.acquireInitialRetryToken('');
    const next = s.refreshRetryTokenForRetry(t0, { error });
    if (retried) {
      const t1 = await next;
      expect([t1.getRetryCount(), t1.getRetryDelay()]).toEqual([1, 7]);
    } else {
      await expect(next).rejects.toThrow('not retried');
    }
  });
  it('stops at maxAttempts and honours a Retry-After hint', async () => {
    const throttle = err('Throttling', 400);
    const t1 = await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken(''), { error: throttle, retryAfterHint: new Date(Date.now() + 5_000) });
    expect(t1.getRetryDelay()).toBeGreaterThan(4_000);
    const t2 = await s.refreshRetryTokenForRetry(t1, { error: throttle });
    await expect(s.refreshRetryTokenForRetry(t2, { error: throttle })).rejects.toThrow('not retried');
  });
});

describe('apply: a policy ARN that does not exist', () => {
  it('fails at once with the ARN named (one AttachRolePolicy, no 30 s of retries)', async () => {
    const dir = tmp();
    const bad = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCoreTypo';
    const spec = writeSpec(dir, specText({ roles: 1, count: 0 }).replace('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', bad));
    const io = captureIo();
    const opts = applyOptions(clients, dir, { io });
    const r = await runApply(spec, opts);
    expect(r.exitCode).not.toBe(0);
    expect(io.text()).toContain(`policy ${bad} does not exist`);
    const a = (await stats()).actions;
    expect(a['iam:AttachRolePolicy']).toBe(1);
    expect(a['iam:GetPolicy']).toBe(1);
  });
});
