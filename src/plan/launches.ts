/**
 * The plan of one launch group against its live instances (pure). `count` is the truth:
 *
 * - Instances launched with the spec's configuration ({prefix}:hash = the configuration hash, which
 *   leaves out the ttl and idle-timeout values) are current; the others are outdated.
 * - onChange replace: only current ones count; missing ones are launched, and the outdated ones are
 *   terminated once the new ones run (launch.<group>.extra waits for launch.<group>, whose launches
 *   wait until their instance is running). onChange keep: outdated ones count too and run on; later
 *   launches use the new configuration.
 * - Beyond count: the newest current ones (with keep, outdated ones first) are terminated, with or
 *   without --prune.
 * - Every instance that stays gets its lifetime tags in place when the spec's differ: {prefix}:ttl,
 *   {prefix}:idle-timeout and {prefix}:expires-at (= its launch time + the new ttl; the launch time
 *   is the old expires-at minus the old ttl, as apply set them, else EC2's LaunchTime).
 */
import type { LaunchGroup } from '../compiler/types.js';
import { managedTagKeys } from '../compiler/types.js';
import { parseDuration } from '../compiler/launch.js';
import { expiresAt, parseExpiresAt } from '../compiler/expires.js';
import type { LiveInstance } from '../policy/live-types.js';
import { ACTIVE_STATES } from '../aws/fingerprints.js';
import type { InstanceRow, InstancesChange, LaunchView } from './types.js';
import type { Reason } from './reasons.js';

/** What a launch of the group looks like, for the plan. */
export function launchViewOf(l: LaunchGroup): LaunchView {
  return {
    ...l.config,
    count: l.count,
    onChange: l.onChange,
    instanceProfile: l.instanceProfileName,
    configHash: l.configHash.slice(0, 8),
    ...(l.config.ttl !== undefined ? { expiresAtRule: `launch time + ${l.config.ttl}` } : {}),
  };
}

/** Oldest launch first (then by id): the order in which instances count toward `count`. */
function byLaunch(a: LiveInstance, b: LiveInstance): number {
  const ta = a.launchTime ?? '';
  const tb = b.launchTime ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0;
}

/** When charter launched the instance (ms): the old expires-at minus the old ttl, else EC2's LaunchTime. */
function launchedAt(i: LiveInstance, keys: ReturnType<typeof managedTagKeys>): number | undefined {
  const exp = parseExpiresAt(i.tags[keys.expiresAt]);
  const ttl = i.tags[keys.ttl] !== undefined ? parseDuration(i.tags[keys.ttl]!) : undefined;
  if (exp !== undefined && ttl !== undefined) return exp - ttl * 1000;
  const t = i.launchTime !== undefined ? Date.parse(i.launchTime) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/** The lifetime tags an instance that stays must get: set and removed keys, and its expires-at before/after. */
function lifetimeTags(l: LaunchGroup, i: LiveInstance, keys: ReturnType<typeof managedTagKeys>): Pick<InstanceRow, 'expiresAt' | 'tags'> {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const put = (key: string, want: string | undefined) => {
    if (want === undefined) {
      if (i.tags[key] !== undefined) remove.push(key);
    } else if (i.tags[key] !== want) set[key] = want;
  };
  put(keys.ttl, l.config.ttl);
  put(keys.idleTimeout, l.config.idleTimeout);
  const before = i.tags[keys.expiresAt];
  let after: string | undefined;
  if (l.ttlSeconds !== undefined) {
    // Only a ttl change moves expires-at (a same-ttl instance keeps whatever apply or reap left).
    const start = i.tags[keys.ttl] === l.config.ttl ? undefined : launchedAt(i, keys);
    after = start === undefined ? before : expiresAt(start, l.ttlSeconds);
  }
  put(keys.expiresAt, after);
  const expires = before !== undefined || after !== undefined ? { expiresAt: { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) } } : {};
  return Object.keys(set).length || remove.length ? { ...expires, tags: { set, remove: remove.sort() } } : expires;
}


/** launch.<group> and, when something is terminated, launch.<group>.extra. */
export function planLaunchGroup(l: LaunchGroup, instances: LiveInstance[], prefix: string): InstancesChange[] {
  const keys = managedTagKeys(prefix);
  const active = instances.filter((i) => ACTIVE_STATES.has(i.state)).sort(byLaunch);
  const ended = instances.filter((i) => !ACTIVE_STATES.has(i.state));
  const want = l.tags[keys.hash] ?? l.configHash.slice(0, 8);
  const current = active.filter((i) => i.tags[keys.hash] === undefined || i.tags[keys.hash] === want);
  const outdated = active.filter((i) => !current.includes(i));
  const keep = l.onChange === 'keep';
  const counted = keep ? [...current, ...outdated] : current;
  const stay = counted.slice(0, l.count);
  const beyond = counted.slice(l.count);
  const replaced = keep ? [] : outdated;
  const missing = l.count - stay.length;

  const rows: InstanceRow[] = active
    .map((i): InstanceRow => {
      const base = { instanceId: i.instanceId, state: i.state, config: current.includes(i) ? ('current' as const) : ('outdated' as const) };
      const exp = i.tags[keys.expiresAt] !== undefined ? { expiresAt: { before: i.tags[keys.expiresAt]! } } : {};
      if (beyond.includes(i)) return { ...base, fate: 'terminate', why: 'beyond-count', ...exp };
      if (replaced.includes(i)) return { ...base, fate: 'terminate', why: 'replaced', ...exp };
      const t = lifetimeTags(l, i, keys);
      return { ...base, fate: t.tags ? 'retag' : 'keep', ...t };
    })
    .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
  const retags = rows.filter((r) => r.fate === 'retag').length;

  const base = { address: l.address, kind: 'instances' as const, name: l.group, target: { group: l.group }, pos: l.pos, config: launchViewOf(l), ...(rows.length ? { instances: rows } : {}) };
  const before = { running: stay.length, instances: stay.map((i) => i.instanceId) };
  const olderKept = stay.filter((i) => outdated.includes(i)).length;
  const retagged = retags ? { retagged: retags } : {};
  const out: InstancesChange[] = [];
  if (missing > 0) {
    const indexTag = `${prefix}:index`;
    const used = new Set(stay.map((i) => Number(i.tags[indexTag])).filter((n) => Number.isInteger(n)));
    const indexes: number[] = [];
    for (let i = 0; indexes.length < missing; i++) if (!used.has(i)) indexes.push(i);
    const relaunch = ended.length > 0;
    const reason: Reason = relaunch
      ? { code: 'relaunch', ended: ended.map((i) => ({ instanceId: i.instanceId, state: i.state })), running: stay.length, desired: l.count, launching: missing, ...retagged }
      : replaced.length
        ? { code: 'config-changed', older: replaced.length, launching: missing, ...retagged }
        : stay.length
          ? { code: 'scale-up', running: stay.length, desired: l.count, keptOlder: olderKept, launching: missing, ...retagged }
          : { code: 'launch', count: l.count, ...retagged };
    const replaces = replaced.length ? { replaces: replaced.map((i) => i.instanceId).sort() } : {};
    out.push({ ...base, action: 'create', reason, before, launch: { group: l.group, indexes, running: stay.length, desired: l.count, ...(relaunch ? { relaunch: true } : {}), onChange: l.onChange, ...replaces } });
  } else {
    const reason: Reason = retags ? { code: 'retag', instances: retags } : { code: 'running', running: stay.length, desired: l.count, keptOlder: olderKept };
    out.push({ ...base, action: retags ? 'update' : 'no-op', reason, before, launch: { group: l.group, indexes: [], running: stay.length, desired: l.count, onChange: l.onChange } });
  }
  if (beyond.length || replaced.length) {
    const ids = [...beyond, ...replaced].map((i) => i.instanceId).sort();
    const reason: Reason = { code: 'terminate', ...(beyond.length ? { beyondCount: { instances: beyond.length, count: l.count } } : {}), ...(replaced.length ? { replaced: { instances: replaced.length, afterLaunch: missing > 0 } } : {}) };
    out.push({ address: `${l.address}.extra`, kind: 'instances', name: l.group, target: { group: l.group }, pos: l.pos, action: 'delete', reason, before: { instances: ids }, terminate: ids });
  }
  return out;
}
