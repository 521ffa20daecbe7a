/**
 * Launching one instance of a launch group: a ClientToken derived from (plan id, group, index),
 * expires-at = launch time + TTL in the tags and in the user-data, a wait until the instance
 * profile is usable (polled with RunInstances DryRun, never a fixed sleep), then RunInstances,
 * retried on "Invalid IAM Instance Profile" / "has no associated IAM Roles" for up to 2 minutes
 * with the same token. On IdempotentParameterMismatch or an unknown outcome (reset connection,
 * retries exhausted) the instance is looked up by its client token.
 */
import { DescribeInstancesCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { DescribeInstancesCommandOutput, RunInstancesCommandInput, RunInstancesCommandOutput, TagSpecification } from '@aws-sdk/client-ec2';
import { EXPIRES_AT_PLACEHOLDER, managedTagKeys } from '../compiler/types.js';
import type { LaunchGroup } from '../compiler/types.js';
import { RuntimeError } from '../diagnostics.js';
import { clientToken } from './client-token.js';
import { type ApplyContext, send } from './context.js';
import { expiresAt as computeExpiresAt } from './expires.js';
import { errorCode, errorMessage, isRetryable, pollUntil, sleep, backoffMs, StoppedError } from './retry.js';

/** RunInstances errors that mean "the instance profile is not visible to EC2 yet". */
export function isProfileNotReady(e: unknown): boolean {
  const code = errorCode(e);
  if (code !== 'InvalidParameterValue' && code !== 'InvalidParameterCombination' && code !== 'InvalidInstanceProfile') return false;
  return /Invalid IAM Instance Profile|has no associated IAM Roles|instance profile/i.test(errorMessage(e));
}

export interface LaunchParams {
  token: string;
  launchMs: number;
  expiresAt?: string;
  input: RunInstancesCommandInput;
}

/** The exact RunInstances input for one instance; the same (token, launchMs) gives the same bytes. */
export function launchInput(prefix: string, group: LaunchGroup, token: string, launchMs: number): LaunchParams {
  const keys = managedTagKeys(prefix);
  const exp = group.ttlSeconds !== undefined ? computeExpiresAt(launchMs, group.ttlSeconds) : undefined;
  const base = group.runInstances as unknown as RunInstancesCommandInput;
  const extra = exp ? [{ Key: keys.expiresAt, Value: exp }] : [];
  let specs: TagSpecification[] = (base.TagSpecifications ?? []).map((s) => ({
    ...s,
    Tags: [...(s.Tags ?? []).filter((t) => t.Key !== keys.expiresAt), ...extra],
  }));
  if (!specs.length) {
    const tags = [...Object.entries(group.tags).map(([Key, Value]) => ({ Key, Value })), ...extra];
    specs = [
      { ResourceType: 'instance', Tags: tags },
      { ResourceType: 'volume', Tags: tags },
    ];
  }
  const userData = group.userData.replaceAll(EXPIRES_AT_PLACEHOLDER, exp ?? '');
  const input: RunInstancesCommandInput = {
    ...base,
    MinCount: 1,
    MaxCount: 1,
    ClientToken: token,
    TagSpecifications: specs,
    ...(userData ? { UserData: Buffer.from(userData, 'utf8').toString('base64') } : {}),
  };
  return { token, launchMs, ...(exp ? { expiresAt: exp } : {}), input };
}

/** Find the instance launched with this client token (any state but terminated first). */
export async function findByToken(ctx: ApplyContext, token: string): Promise<string | undefined> {
  const out = await send<DescribeInstancesCommandOutput>(
    ctx,
    ctx.ec2,
    new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: [token] }] }),
    { action: 'ec2:DescribeInstances', write: false },
  );
  const all = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).filter((i) => i.ClientToken === undefined || i.ClientToken === token);
  const live = all.find((i) => i.State?.Name !== 'terminated' && i.State?.Name !== 'shutting-down') ?? all[0];
  return live?.InstanceId;
}

const profileWaits = new WeakMap<ApplyContext, Map<string, Promise<void>>>();

/**
 * Wait until EC2 accepts the instance profile: RunInstances with DryRun (no instance, no write)
 * until it answers DryRunOperation. Shared by every instance using the same profile. Gives up
 * silently at the deadline: the real RunInstances keeps retrying on its own.
 */
export function waitProfileUsable(ctx: ApplyContext, group: LaunchGroup, input: RunInstancesCommandInput): Promise<void> {
  let m = profileWaits.get(ctx);
  if (!m) profileWaits.set(ctx, (m = new Map()));
  const key = group.instanceProfileName;
  let p = m.get(key);
  if (!p) {
    const { ClientToken: _t, ...probe } = input;
    p = pollUntil(
      async () => {
        try {
          await send<RunInstancesCommandOutput>(ctx, ctx.ec2, new RunInstancesCommand({ ...probe, DryRun: true }), { action: 'ec2:RunInstances(DryRun)', write: false });
          return true; // an endpoint that ignores DryRun would land here; the real call still uses the token
        } catch (e) {
          if (errorCode(e) === 'DryRunOperation') return true;
          if (isProfileNotReady(e)) return undefined;
          if (e instanceof StoppedError) throw e;
          return true; // another error: let the real call report it
        }
      },
      { timeoutMs: ctx.profileWaitMs, firstMs: 200, capMs: 2_000, signal: ctx.signal },
    ).then(() => undefined);
    m.set(key, p);
  }
  return p;
}

export interface LaunchResult {
  index: number;
  token: string;
  instanceId: string;
  expiresAt?: string;
  /** True when the instance already existed (earlier run of this plan) and nothing was written. */
  reused: boolean;
}

/** Launch (or find) instance `index` of `group`. Never launches a duplicate for the same token. */
export async function launchOne(ctx: ApplyContext, group: LaunchGroup, index: number): Promise<LaunchResult> {
  const token = clientToken(ctx.plan.planId, group.group, index);
  const prior = ctx.journal.launch(token);
  if (prior) {
    // An earlier run of this plan chose parameters for this token: maybe it launched already.
    const found = prior.instanceId ?? (await findByToken(ctx, token));
    if (found) {
      if (!prior.instanceId) ctx.journal.recordLaunch(token, { ...prior, instanceId: found });
      return { index, token, instanceId: found, ...(prior.expiresAt ? { expiresAt: prior.expiresAt } : {}), reused: true };
    }
  }
  // Probe with provisional parameters; the launch time is fixed just before the first real call.
  await waitProfileUsable(ctx, group, launchInput(ctx.bundle.prefix, group, token, prior?.launchMs ?? ctx.now()).input);
  const launchMs = prior?.launchMs ?? ctx.now();
  const params = launchInput(ctx.bundle.prefix, group, token, launchMs);
  if (!prior) ctx.journal.recordLaunch(token, { group: group.group, index, launchMs, ...(params.expiresAt ? { expiresAt: params.expiresAt } : {}) });
  const deadline = Date.now() + ctx.profileWaitMs;
  for (let attempt = 0; ; attempt++) {
    let id: string | undefined;
    try {
      const out = await send<RunInstancesCommandOutput>(ctx, ctx.ec2, new RunInstancesCommand(params.input), { action: 'ec2:RunInstances', write: true });
      id = out.Instances?.[0]?.InstanceId;
      if (!id) throw new RuntimeError(`RunInstances for ${group.group}[${index}] returned no instance`);
    } catch (e) {
      if (e instanceof StoppedError) throw e;
      if (isProfileNotReady(e) && Date.now() < deadline) {
        await sleep(Math.max(200, backoffMs(attempt, 500, 5_000)), ctx.signal);
        continue;
      }
      if (errorCode(e) === 'IdempotentParameterMismatch' || isRetryable(e)) {
        // Unknown outcome or different parameters under our token: the token says what exists.
        id = await findByToken(ctx, token);
        if (!id) {
          if (isRetryable(e) && Date.now() < deadline) {
            await sleep(backoffMs(attempt, 500, 5_000), ctx.signal);
            continue;
          }
          throw e;
        }
      } else {
        throw e;
      }
    }
    ctx.journal.recordLaunch(token, { group: group.group, index, launchMs, ...(params.expiresAt ? { expiresAt: params.expiresAt } : {}), instanceId: id });
    return { index, token, instanceId: id, ...(params.expiresAt ? { expiresAt: params.expiresAt } : {}), reused: false };
  }
}

/** Terminate instances (managed ones only: the caller filters). Idempotent. */
export async function terminate(ctx: ApplyContext, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    try {
      await send(ctx, ctx.ec2, new TerminateInstancesCommand({ InstanceIds: batch }), { action: 'ec2:TerminateInstances', write: true });
    } catch (e) {
      if (errorCode(e) !== 'InvalidInstanceID.NotFound') throw e;
    }
  }
}
