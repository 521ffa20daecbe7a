/**
 * Issue 12 §AWS errors, through a full apply (not only at the SDK `send` level): the sandbox's
 * scripted errors (SandboxOptions.errors: the first N matching calls answer a given error) make
 * ec2:RunInstances refuse with InvalidParameterValue, or be throttled a few times or for good.
 * Sandbox over real HTTP, real SDK clients, the real planner; retries wait 0 ms (the clients'
 * retryDelay, which apply's own extra rounds use too): no sleeps.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { awsClients, DEFAULT_MAX_ATTEMPTS, SANDBOX_CREDENTIALS } from '../src/aws/clients.js';
import { startSandbox, type SandboxOptions } from '../src/sandbox/index.js';
import { applyOptions, expectConverged, REGION, runApply, snapshot, specText, tmp, writeSpec } from './apply-support.js';
import { charter, sandboxEnv } from './cli-support.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const STACK = /^\s+at \S/m;
const INVALID = 'Value (t3.micro) for parameter instanceType is invalid. Unsupported in the requested Availability Zone.';
const refuseLaunches: SandboxOptions['errors'] = [{ action: 'ec2:RunInstances', error: { code: 'InvalidParameterValue', message: INVALID } }];

/** A sandbox and clients whose retries (the SDK's attempts and apply's extra rounds) wait 0 ms. */
async function zeroDelaySandbox(o: SandboxOptions) {
  const sb = await startSandbox({ region: REGION, ...o });
  const clients = awsClients({ region: REGION, endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: DEFAULT_MAX_ATTEMPTS, retryDelay: () => 0 });
  return { sb, clients };
}

describe('ec2:RunInstances answering InvalidParameterValue, through charter apply', () => {
  it('apply fails (exit 1) naming the operation, endpoint, code and message; claims no launch; a re-apply without the fault converges, no duplicate', async () => {
    const dir = tmp();
    const state = join(dir, 'sandbox.json');
    const spec = writeSpec(dir, specText({ roles: 1, count: 2 }));
    const bundle = await compileSpec(loadSpecFile(spec));
    let sb = await startSandbox({ region: REGION, stateFile: state, errors: refuseLaunches });
    try {
      const r = await charter(['apply', spec, '--endpoint', sb.endpoint, '--auto-approve'], { cwd: dir, env: sandboxEnv() });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(STACK);
      const why = `ec2:RunInstances failed at ${sb.endpoint}: InvalidParameterValue: ${INVALID}`;
      const failedSteps = r.stdout.split('\n').filter((l) => l.startsWith('  ✗ '));
      expect(failedSteps).toHaveLength(2);
      for (const l of failedSteps) expect(l).toMatch(new RegExp(`^  ✗ launch g0\\[[01]\\]  \\(\\d+ ms\\): ${esc(why)}$`));
      // The IAM side was done and is said to be; no instance is claimed as launched.
      expect(r.stdout).toMatch(/^Apply FAILED: 5 created, 0 updated, 0 deleted, 0 launched, 0 terminated /m);
      expect(r.stdout).toContain(`Failed:\n  launch.g0[0]: ${why}\n  launch.g0[1]: ${why}\n`);
      expect(sb.stats().actions['ec2:RunInstances']).toBe(2); // not retried: a refusal, not a throttle

      // The same failure as typed fields of the JSON summary (the fault is still there).
      const j = await charter(['apply', spec, '--endpoint', sb.endpoint, '--auto-approve', '--format', 'json'], { cwd: dir, env: sandboxEnv() });
      expect(j.code).toBe(1);
      const summary = JSON.parse(j.stdout) as { status: string; launched: unknown[]; created: unknown[]; failed: Array<Record<string, string>> };
      expect(summary.status).toBe('failed');
      expect(summary.launched).toEqual([]);
      expect(summary.failed.map((f) => [f.step, f.operation, f.endpoint, f.code])).toEqual([
        ['launch.g0[0]', 'ec2:RunInstances', sb.endpoint, 'InvalidParameterValue'],
        ['launch.g0[1]', 'ec2:RunInstances', sb.endpoint, 'InvalidParameterValue'],
      ]);
      await sb.stop();

      // The fault removed (the same state, served again without it): the re-apply launches the two
      // instances, once each, and a plan afterwards has nothing to do.
      sb = await startSandbox({ region: REGION, stateFile: state });
      const again = await charter(['apply', spec, '--endpoint', sb.endpoint, '--auto-approve'], { cwd: dir, env: sandboxEnv() });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^Apply complete: 0 created, 0 updated, 0 deleted, 2 launched, 0 terminated /m);
      expect(sb.stats().actions['ec2:RunInstances']).toBe(2);
      const clients = awsClients({ region: REGION, endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS });
      const snap = await snapshot(clients);
      expect(expectConverged(snap, bundle)).toEqual([]);
      expect(snap.instances).toHaveLength(2);
      expect(new Set(snap.active.map((i) => i.tags['charter:index'])).size).toBe(2);
      const plan = await charter(['plan', spec, '--endpoint', sb.endpoint, '--detailed-exitcode'], { cwd: dir, env: sandboxEnv() });
      expect(plan.code, plan.stdout).toBe(0);
    } finally {
      await sb.stop();
    }
  });
});

describe('throttling during a full apply', () => {
  it('throttled fewer times than the retry budget: apply succeeds and converges; the recorded calls show the retries', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 2, count: 2 }));
    // 3 throttles on each kind: fewer than one call's SDK attempts (8), so no extra round is needed.
    const { sb, clients } = await zeroDelaySandbox({ errors: [{ action: 'ec2:RunInstances', error: 'throttle', times: 3 }, { action: 'iam:CreateRole', error: 'throttle', times: 3 }] });
    try {
      const r = await runApply(spec, applyOptions(clients, dir, { format: 'json' }));
      expect(r.exitCode).toBe(0);
      expect(r.summary?.status).toBe('complete');
      expect(r.summary!.launched).toHaveLength(2);
      expect(r.summary!.failed).toEqual([]);
      const actions = sb.stats().actions;
      // Each throttled answer was a call that was sent again: 2 launches + 3 throttled, 2 roles + 3 throttled.
      expect(actions['ec2:RunInstances']).toBe(2 + 3);
      expect(actions['iam:CreateRole']).toBe(2 + 3);
      // Apply counts its own calls (the SDK's retries are invisible to it): one per launch, one per role.
      expect(r.summary!.writes['ec2:RunInstances']).toBe(2);
      expect(r.summary!.writes['iam:CreateRole']).toBe(2);
      const snap = await snapshot(clients);
      expect(expectConverged(snap, await compileSpec(loadSpecFile(spec)))).toEqual([]);
      expect(snap.instances).toHaveLength(2);
    } finally {
      await sb.stop();
    }
  });

  it('throttled beyond the retry budget: apply fails (exit 1) naming ec2:RunInstances and that it was throttled; nothing is claimed launched', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, specText({ roles: 1, count: 1 }));
    const { sb, clients } = await zeroDelaySandbox({ errors: [{ action: 'ec2:RunInstances', error: 'throttle' }] });
    try {
      // A launch still throttled after the retries has an unknown outcome: apply looks its client
      // token up (nothing) and tries the same call (same token) again, twice at most, whatever
      // --profile-wait is (that bounds waiting for a new instance profile, not this).
      const r = await runApply(spec, applyOptions(clients, dir, { format: 'json' }));
      expect(r.exitCode).toBe(1);
      expect(r.summary?.status).toBe('failed');
      expect(r.summary!.launched).toEqual([]);
      expect(r.summary!.failed).toHaveLength(1);
      const f = r.summary!.failed[0]!;
      expect(f).toMatchObject({ step: 'launch.g0[0]', operation: 'ec2:RunInstances', endpoint: sb.endpoint, code: 'RequestLimitExceeded' });
      expect(f.error).toBe(`ec2:RunInstances failed at ${sb.endpoint}: throttled, and still throttled after every retry: RequestLimitExceeded: Request limit exceeded. (try again later)`);
      // The whole budget was spent: 3 tries of the call, each the SDK's attempts in each of apply's
      // 1 + 6 rounds, each followed by a look-up of the token (DescribeInstances: those 3 and the live read).
      expect(sb.stats().actions['ec2:RunInstances']).toBe(3 * DEFAULT_MAX_ATTEMPTS * 7);
      expect(sb.stats().actions['ec2:DescribeInstances']).toBe(1 + 3);
      expect((await snapshot(clients)).instances).toEqual([]);
    } finally {
      await sb.stop();
    }
  });
});
