/** Shared setup for the sandbox suites: a sandbox plus real SDK clients pointed at it. */
import { IAMClient } from '@aws-sdk/client-iam';
import { EC2Client } from '@aws-sdk/client-ec2';
import { STSClient } from '@aws-sdk/client-sts';
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../src/sandbox/index.js';
import { SANDBOX_CREDENTIALS } from '../src/aws/clients.js';
// The SDK's own retry strategy with a 5 ms backoff, so fault-injection tests do not sleep for seconds.
import { ConfiguredRetryStrategy } from '@smithy/core/retry';

export interface Harness {
  sb: RunningSandbox;
  iam: IAMClient;
  ec2: EC2Client;
  sts: STSClient;
  aa: AccessAnalyzerClient;
}

export async function harness(opts: SandboxOptions = {}, maxAttempts = 3, fastRetry = false): Promise<Harness> {
  const sb = await startSandbox(opts);
  const cfg = {
    region: sb.region, endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts,
    ...(fastRetry ? { retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => 5) } : {}),
  };
  return { sb, iam: new IAMClient(cfg), ec2: new EC2Client(cfg), sts: new STSClient(cfg), aa: new AccessAnalyzerClient(cfg) };
}

export function trustDoc(principal: Record<string, string | string[]> = { Service: 'ec2.amazonaws.com' }): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
}

export function policyDoc(actions: string[] = ['s3:GetObject'], resource: string | string[] = '*'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });
}

/** The error an SDK call rejects with (fails the test when the call succeeds). */
export async function awsError(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A manual clock for delays without sleeping. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}
