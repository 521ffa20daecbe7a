/**
 * Issue 12 §AWS errors: a failed apply step names the operation and the endpoint, as plan's reads
 * do, and the summary's failed entries carry them as fields. Sandbox over real HTTP, real SDK.
 */
import { describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../src/sandbox/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { send, type CallContext } from '../src/apply/context.js';
import { CallGate } from '../src/apply/gate.js';
import { actionEndpoint } from '../src/aws/clients.js';
import { reap } from '../src/apply/reap.js';
import { RuntimeError } from '../src/diagnostics.js';
import { failedCall, stepErrorMessage } from '../src/aws/errors.js';
import { applyOptions, runApply, specText, tmp, useSandbox, writeSpec } from './apply-support.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function applyDenied(clients: AwsClients, o: { count?: number } = {}) {
  const dir = tmp();
  const spec = writeSpec(dir, specText({ roles: 1, count: o.count ?? 1 }));
  const r = await runApply(spec, applyOptions(clients, dir, { format: 'json' }));
  return r;
}

describe('AccessDenied on an IAM write (iam:CreateRole)', () => {
  let sb: RunningSandbox;
  let clients: AwsClients;
  useSandbox((s) => ({ sb, clients } = s), { deny: ['iam:CreateRole'], fastRetries: true });

  it('names the operation and the endpoint in the message, and as typed fields of the failed entry', async () => {
    const r = await applyDenied(clients, { count: 0 });
    expect(r.summary?.status).toBe('failed');
    const failed = r.summary!.failed;
    const create = failed.filter((f) => f.operation === 'iam:CreateRole');
    expect(create.length).toBe(1);
    expect(create[0]).toMatchObject({ operation: 'iam:CreateRole', endpoint: sb.endpoint, code: 'AccessDenied' });
    expect(create[0]!.error).toMatch(new RegExp(`^access denied: the caller may not call iam:CreateRole at ${esc(sb.endpoint)} \\(.*not authorized.*\\)\\. charter needs iam:CreateRole to change what it manages`));
    // Steps waiting on the role were skipped, not failed with a call: they carry no operation.
    expect(failed.filter((f) => f.operation === undefined).every((f) => /waits for/.test(f.error))).toBe(true);
  });
});

describe('an EC2 RunInstances failure', () => {
  let sb: RunningSandbox;
  let clients: AwsClients;
  useSandbox((s) => ({ sb, clients } = s), { deny: ['ec2:RunInstances'], fastRetries: true });

  it('names ec2:RunInstances and the endpoint, with the AWS error code', async () => {
    const r = await applyDenied(clients, { count: 1 });
    const run = r.summary!.failed.filter((f) => f.operation === 'ec2:RunInstances');
    expect(run.length).toBe(1);
    expect(run[0]!.endpoint).toBe(sb.endpoint);
    expect(run[0]!.code).toBe('UnauthorizedOperation');
    expect(run[0]!.error).toContain(`ec2:RunInstances at ${sb.endpoint}`);
    // The IAM side was not denied: roles and profiles were created.
    expect(r.summary!.created.some((c) => c.kind === 'role')).toBe(true);
  });
});

describe('a throttling that exhausted the retries (iam:CreateRole throttled on every attempt)', () => {
  let sb: RunningSandbox;
  let clients: AwsClients;
  useSandbox((s) => ({ sb, clients } = s), { faults: { throttle: 1, actions: ['iam:CreateRole'] }, seed: 1, fastRetries: true });

  it("is explained with the operation, the endpoint, the code and AWS's message", async () => {
    const ctx: CallContext = { gate: new CallGate(2), signal: new AbortController().signal, retryRounds: 0, writes: {}, endpointOf: (a) => actionEndpoint(clients.options, a) };
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const e = await send(ctx, await clients.iam(), new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: doc }), { action: 'iam:CreateRole', write: true }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(failedCall(e)).toEqual({ operation: 'iam:CreateRole', endpoint: sb.endpoint, code: 'Throttling' });
    expect(stepErrorMessage(e)).toMatch(new RegExp(`^iam:CreateRole failed at ${esc(sb.endpoint)}: throttled, and still throttled after every retry: Throttling: \\S`));
    expect(ctx.writes['iam:CreateRole']).toBe(1);
  });

  it('an error that is no call (a step\'s own check) names none', () => {
    const own = new Error('instance profile p holds role x, not y');
    expect(failedCall(own)).toBeUndefined();
    expect(stepErrorMessage(own)).toBe('instance profile p holds role x, not y');
  });
});

describe("reap: a denied ec2:TerminateInstances", () => {
  let sb: RunningSandbox;
  let clients: AwsClients;
  useSandbox((s) => ({ sb, clients } = s), { deny: ['ec2:TerminateInstances'], fastRetries: true });

  it('is explained naming the operation and the endpoint (a RuntimeError, exit 1, not a raw SDK error)', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 1, count: 1, ttl: '1h' }));
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    const e = await reap({ ec2: await clients.ec2(), endpoint: sb.endpoint, prefix: 'charter', dryRun: false, now: Date.now() + 2 * 3600_000 }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(new RegExp(`^access denied: the caller may not call ec2:TerminateInstances at ${esc(sb.endpoint)} \\(.*\\)\\. charter needs ec2:TerminateInstances to change what it manages`));
  });
});
