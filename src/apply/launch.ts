/**
 * Launching one instance of a launch group: a ClientToken derived from (plan id, group, index),
 * expires-at = launch time + TTL in the tags and in the user-data, a wait until the instance
 * profile is usable (probed by the first instance of each profile, never a fixed sleep): RunInstances
 * retried on "Invalid IAM Instance Profile" / "has no associated IAM Roles" for up to 2 minutes
 * with the same token. On IdempotentParameterMismatch or an unknown outcome (reset connection,
 * retries exhausted) the instance is looked up by its client token. For an `ami-…` image without an
 * explicit volume.deviceName the root mapping's device name is the image's RootDeviceName, read
 * once per image per apply (ec2:DescribeImages) and journalled with the token.
 */
import { CreateTagsCommand, DeleteTagsCommand, DescribeImagesCommand, DescribeInstancesCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { DescribeImagesCommandOutput, DescribeInstancesCommandOutput, RunInstancesCommandInput, RunInstancesCommandOutput, TagSpecification } from '@aws-sdk/client-ec2';
import { EXPIRES_AT_PLACEHOLDER, managedTagKeys } from '../compiler/types.js';
import type { LaunchGroup } from '../compiler/types.js';
import { RuntimeError } from '../diagnostics.js';
import { clientToken } from './client-token.js';
import { type ApplyContext, send } from './context.js';
import { expiresAt as computeExpiresAt } from '../compiler/expires.js';
import { errorCode, isAccessDenied, isThrottle } from '../aws/errors.js';
import { errorMessage, isRetryable, sleep, backoffMs, pollUntil, StoppedError } from './retry.js';
import type { JournalLaunch } from './journal.js';

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

/**
 * The exact RunInstances input for one instance; the same (token, launchMs, rootDeviceName) gives
 * the same bytes. `rootDeviceName` replaces the compiled root mapping's (guessed) device name.
 */
export function launchInput(prefix: string, group: LaunchGroup, token: string, launchMs: number, index?: number, rootDeviceName?: string): LaunchParams {
  const keys = managedTagKeys(prefix);
  const exp = group.ttlSeconds !== undefined ? computeExpiresAt(launchMs, group.ttlSeconds) : undefined;
  const compiled = group.runInstances as unknown as RunInstancesCommandInput;
  const base: RunInstancesCommandInput =
    rootDeviceName !== undefined && compiled.BlockDeviceMappings?.length
      ? { ...compiled, BlockDeviceMappings: compiled.BlockDeviceMappings.map((m, i) => (i === 0 ? { ...m, DeviceName: rootDeviceName } : m)) }
      : compiled;
  const extra = [...(exp ? [{ Key: keys.expiresAt, Value: exp }] : []), ...(index !== undefined ? [{ Key: `${prefix}:index`, Value: String(index) }] : [])];
  let specs: TagSpecification[] = (base.TagSpecifications ?? []).map((s) => ({
    ...s,
    Tags: [...(s.Tags ?? []).filter((t) => t.Key !== keys.expiresAt && t.Key !== `${prefix}:index`), ...extra],
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

type ImageLookup = { root: string } | { problem: 'not-found' | 'malformed' | 'denied' | 'no-root' };
const imageLookups = new WeakMap<ApplyContext, Map<string, Promise<ImageLookup>>>();

/** DescribeImages for one image, once per apply (concurrent launches share the call). */
function lookupImage(ctx: ApplyContext, imageId: string): Promise<ImageLookup> {
  let m = imageLookups.get(ctx);
  if (!m) imageLookups.set(ctx, (m = new Map()));
  let p = m.get(imageId);
  if (!p) {
    p = (async (): Promise<ImageLookup> => {
      try {
        const out = await send<DescribeImagesCommandOutput>(ctx, ctx.ec2, new DescribeImagesCommand({ ImageIds: [imageId] }), { action: 'ec2:DescribeImages', write: false });
        const img = (out.Images ?? []).find((i) => i.ImageId === imageId);
        if (!img) return { problem: 'not-found' };
        return img.RootDeviceName ? { root: img.RootDeviceName } : { problem: 'no-root' };
      } catch (e) {
        if (e instanceof StoppedError) throw e;
        const code = errorCode(e);
        if (code === 'InvalidAMIID.NotFound' || code === 'InvalidAMIID.Unavailable') return { problem: 'not-found' };
        if (code === 'InvalidAMIID.Malformed') return { problem: 'malformed' };
        if (isAccessDenied(e)) return { problem: 'denied' };
        throw e;
      }
    })();
    // A transient failure (after the retries) is not cached: a later launch of the image asks again.
    p.catch(() => m!.delete(imageId));
    m.set(imageId, p);
  }
  return p;
}

/**
 * The root device name to send for this group, or undefined to send the compiled one (explicit
 * volume.deviceName, or a resolve:ssm: image). A token that already chose one (journal) keeps it,
 * so a retried launch sends identical parameters.
 */
export async function rootDeviceFor(ctx: ApplyContext, group: LaunchGroup, prior: JournalLaunch | undefined): Promise<string | undefined> {
  if (!group.rootDeviceFromImage) return undefined;
  if (prior?.rootDeviceName) return prior.rootDeviceName;
  const imageId = String((group.runInstances as { ImageId?: unknown }).ImageId ?? '');
  const r = await lookupImage(ctx, imageId);
  if ('root' in r) return r.root;
  const where = `image ${imageId} of launch group "${group.group}"`;
  const nothing = 'not launched';
  switch (r.problem) {
    case 'not-found':
      throw new RuntimeError(`${where} was not found (InvalidAMIID.NotFound): the AMI id is wrong, or the image is not in ${ctx.bundle.region} or not shared with this account; ${nothing}`);
    case 'malformed':
      throw new RuntimeError(`${where} is not a valid AMI id (InvalidAMIID.Malformed); ${nothing}`);
    case 'denied':
      throw new RuntimeError(`${where}: ec2:DescribeImages was denied; apply reads the image's root device name so the encrypted volume mapping is the root volume. Allow ec2:DescribeImages, or set instances.${group.group}.volume.deviceName in the spec; ${nothing}`);
    case 'no-root':
      throw new RuntimeError(`${where} has no RootDeviceName in DescribeImages; set instances.${group.group}.volume.deviceName in the spec; ${nothing}`);
  }
}

interface ProfileGate {
  ready: boolean;
  probe?: Promise<void>;
}
const profileGates = new WeakMap<ApplyContext, Map<string, ProfileGate>>();

/**
 * The profile-usable wait. Neither IAM nor EC2 offers a read that says "EC2 can use this instance
 * profile now"; a RunInstances DryRun checks the profile, so for a profile this apply is creating
 * the first instance polls with DryRun before its real call (an endpoint whose DryRun does not see
 * propagation is detected and then probed with the real call, retried with backoff, same ClientToken);
 * the other instances of that profile wait for the probe instead of all hammering EC2, and go as
 * soon as it succeeds. Never a fixed sleep.
 */
function profileGate(ctx: ApplyContext, profile: string): ProfileGate {
  let m = profileGates.get(ctx);
  if (!m) profileGates.set(ctx, (m = new Map()));
  let g = m.get(profile);
  if (!g) m.set(profile, (g = { ready: false }));
  return g;
}

/** Wait before the n-th retry on a not-yet-visible profile: 400 ms growing to 2 s, ±20 % jitter. */
export function profileRetryDelay(n: number, random: () => number = Math.random): number {
  const base = Math.min(2_000, 400 * 1.5 ** Math.max(0, n - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
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
  const token = clientToken(ctx.journal.tokenSeed, group.group, index);
  const prior = ctx.journal.launch(token);
  if (prior) {
    // An earlier run of this plan chose parameters for this token: maybe it launched already.
    const found = await findByToken(ctx, token);
    if (found) {
      if (!prior.instanceId) ctx.journal.recordLaunch(token, { ...prior, instanceId: found });
      return { index, token, instanceId: found, ...(prior.expiresAt ? { expiresAt: prior.expiresAt } : {}), reused: true };
    }
  }
  const rootDeviceName = await rootDeviceFor(ctx, group, prior);
  const gate = profileGate(ctx, group.instanceProfileName);
  if (!gate.ready && gate.probe) await gate.probe;
  let release: (() => void) | undefined;
  if (!gate.ready && !gate.probe) gate.probe = new Promise<void>((r) => (release = r));
  try {
    const r = await launchAttempts(ctx, group, index, token, prior, rootDeviceName);
    gate.ready = true;
    return r;
  } finally {
    if (release) {
      if (!gate.ready) gate.probe = undefined;
      release();
    }
  }
}

interface DryRunState {
  /** false once DryRun was seen to pass while the real call was still refused. */
  useful?: boolean;
  justPassed: Set<string>;
}
const dryRunStates = new WeakMap<ApplyContext, DryRunState>();
function dryRunState(ctx: ApplyContext): DryRunState {
  let s = dryRunStates.get(ctx);
  if (!s) dryRunStates.set(ctx, (s = { justPassed: new Set() }));
  return s;
}

/**
 * After a real RunInstances was refused for a not-yet-visible profile, poll with DryRun (no
 * instance, no side effect; EC2 checks the instance profile in a dry run too) until it answers
 * DryRunOperation, so the real call is sent again only once it can succeed.
 */
async function dryRunUntilReady(ctx: ApplyContext, input: RunInstancesCommandInput, deadline: number): Promise<void> {
  // The probe keeps the ClientToken: an endpoint that ignored DryRun would launch under our token,
  // and the real call would then find that instance instead of launching a second one.
  for (let n = 1; Date.now() < deadline; n++) {
    try {
      await send<RunInstancesCommandOutput>(ctx, ctx.ec2, new RunInstancesCommand({ ...input, DryRun: true }), { action: 'ec2:RunInstances(DryRun)', write: false });
      return; // an endpoint that ignores DryRun: the real call decides
    } catch (e) {
      if (e instanceof StoppedError) throw e;
      if (errorCode(e) === 'DryRunOperation' || !isProfileNotReady(e)) return;
    }
    await sleep(profileRetryDelay(n), ctx.signal);
  }
}

/** Whether the live state read at the start of apply lacked this group's profile with a role in it. */
function profileIsNew(ctx: ApplyContext, group: LaunchGroup): boolean {
  return !ctx.live.instanceProfiles.some((p) => p.name === group.instanceProfileName && p.roles.length > 0);
}

/** Further tries of a launch whose call failed retryably after every retry round of `send` and that its token does not find. */
const UNKNOWN_OUTCOME_RETRIES = 2;

async function launchAttempts(ctx: ApplyContext, group: LaunchGroup, index: number, token: string, prior: JournalLaunch | undefined, rootDeviceName: string | undefined): Promise<LaunchResult> {
  // The launch time (and the image's root device name) are fixed and journalled just before the
  // first real call. The time is this run's clock: a token an earlier run chose parameters for but
  // that launched nothing (findByToken above) gets a fresh one, so nothing starts already expired;
  // if that earlier call did launch (not yet visible), EC2 answers IdempotentParameterMismatch and
  // the instance is found by its token below.
  const launchMs = ctx.now();
  const params = launchInput(ctx.bundle.prefix, group, token, launchMs, index, rootDeviceName);
  const chosen = { group: group.group, index, launchMs, ...(params.expiresAt ? { expiresAt: params.expiresAt } : {}), ...(rootDeviceName !== undefined ? { rootDeviceName } : {}) };
  ctx.journal.recordLaunch(token, chosen);
  const deadline = Date.now() + ctx.profileWaitMs;
  let notReady = 0;
  const probe = dryRunState(ctx);
  if (!prior && probe.useful !== false && profileIsNew(ctx, group)) {
    // The profile (or its role membership) is being made by this apply: wait for it with DryRun
    // (a read) so the real, counted call goes once, when it can succeed.
    await dryRunUntilReady(ctx, params.input, deadline);
    probe.justPassed.add(token);
  }
  for (let attempt = 0; ; attempt++) {
    let id: string | undefined;
    try {
      const out = await send<RunInstancesCommandOutput>(ctx, ctx.ec2, new RunInstancesCommand(params.input), { action: 'ec2:RunInstances', write: true });
      id = out.Instances?.[0]?.InstanceId;
      if (!id) throw new RuntimeError(`RunInstances for ${group.group}[${index}] returned no instance`);
    } catch (e) {
      if (e instanceof StoppedError) throw e;
      if (isProfileNotReady(e) && Date.now() < deadline) {
        notReady++;
        if (probe.useful !== false) {
          if (probe.justPassed.has(token)) {
            // DryRun said the profile was fine, yet the real call was refused: this endpoint's
            // DryRun does not see propagation. Poll with the real call from now on.
            probe.useful = false;
          } else {
            await dryRunUntilReady(ctx, params.input, deadline);
            probe.justPassed.add(token);
            continue;
          }
        }
        await sleep(profileRetryDelay(notReady), ctx.signal);
        continue;
      }
      if (errorCode(e) === 'IdempotentParameterMismatch' || isRetryable(e)) {
        // Unknown outcome or different parameters under our token: the token says what exists. A
        // mismatch proves an instance exists under the token: wait until DescribeInstances shows it.
        id = errorCode(e) === 'IdempotentParameterMismatch'
          ? await pollUntil(() => findByToken(ctx, token), { timeoutMs: Math.max(ctx.profileWaitMs, 30_000), signal: ctx.signal })
          : await findByToken(ctx, token);
        if (!id) {
          // `send` already spent every retry round on this call; its outcome is unknown, so the
          // same call (same client token: EC2 answers with the instance if it did launch) is tried
          // again a bounded number of times, not until the profile wait runs out.
          if (isRetryable(e) && attempt < UNKNOWN_OUTCOME_RETRIES) {
            await sleep(ctx.retryDelay ? ctx.retryDelay(attempt + 1, isThrottle(e)) : backoffMs(attempt, 500, 5_000), ctx.signal);
            continue;
          }
          throw e;
        }
      } else {
        throw e;
      }
    }
    ctx.journal.recordLaunch(token, { ...chosen, instanceId: id });
    return { index, token, instanceId: id, ...(params.expiresAt ? { expiresAt: params.expiresAt } : {}), reused: false };
  }
}

/** Current state, tags and EBS volumes of these instances (missing ids are simply absent). */
export async function describeInstances(ctx: ApplyContext, ids: string[]): Promise<Array<{ id: string; state: string; tags: Record<string, string>; volumes: string[] }>> {
  const out: Array<{ id: string; state: string; tags: Record<string, string>; volumes: string[] }> = [];
  // A filter, not InstanceIds: one unknown id would fail a whole InstanceIds batch.
  for (let k = 0; k < ids.length; k += 200) {
    const r = await send<DescribeInstancesCommandOutput>(ctx, ctx.ec2, new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: ids.slice(k, k + 200) }] }), { action: 'ec2:DescribeInstances', write: false });
    for (const i of (r.Reservations ?? []).flatMap((x) => x.Instances ?? [])) {
      const tags: Record<string, string> = {};
      for (const t of i.Tags ?? []) if (t.Key) tags[t.Key] = t.Value ?? '';
      const volumes = (i.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.VolumeId ? [m.Ebs.VolumeId] : []));
      if (i.InstanceId) out.push({ id: i.InstanceId, state: i.State?.Name ?? 'unknown', tags, volumes });
    }
  }
  return out;
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

/** How long a launch that replaces older instances waits for its instance to run (then it fails, and nothing old is terminated). */
export const RUNNING_WAIT_MS = 10 * 60_000;

/**
 * Wait until the instance is running (a DescribeInstances poll with backoff, never a fixed sleep).
 * Fails when it ends instead, or is still not running after RUNNING_WAIT_MS: the terminations that
 * wait for it are then skipped, so the older instances keep running.
 */
export async function waitRunning(ctx: ApplyContext, id: string): Promise<void> {
  let last = 'unknown';
  const ok = await pollUntil(
    async () => {
      const [i] = await describeInstances(ctx, [id]);
      last = i?.state ?? 'not visible yet';
      if (last === 'running') return true;
      if (last === 'terminated' || last === 'shutting-down' || last === 'stopped' || last === 'stopping') throw new RuntimeError(`instance ${id} is ${last} instead of running: the instances it replaces are left running`);
      return undefined;
    },
    { timeoutMs: RUNNING_WAIT_MS, firstMs: 200, signal: ctx.signal },
  );
  if (!ok) throw new RuntimeError(`instance ${id} is still ${last} after ${RUNNING_WAIT_MS / 60_000} minutes: the instances it replaces are left running`);
}

/** Set and remove tags on instances and their volumes (charter's lifetime tags, updated in place). */
export async function retagInstances(ctx: ApplyContext, resources: string[], set: Record<string, string>, remove: string[]): Promise<void> {
  if (!resources.length) return;
  const keys = Object.keys(set).sort();
  if (keys.length) await send(ctx, ctx.ec2, new CreateTagsCommand({ Resources: resources, Tags: keys.map((Key) => ({ Key, Value: set[Key]! })) }), { action: 'ec2:CreateTags', write: true });
  if (remove.length) await send(ctx, ctx.ec2, new DeleteTagsCommand({ Resources: resources, Tags: remove.map((Key) => ({ Key })) }), { action: 'ec2:DeleteTags', write: true });
}
