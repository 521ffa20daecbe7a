/**
 * Fingerprints of live resources: what the plan read, so apply can refuse a stale plan. The content
 * hashed is only what both read paths (GetAccountAuthorizationDetails and per-resource Get*) return,
 * so a plan read in bulk and an apply re-reading one resource at a time agree.
 *
 * Keys: "role:NAME", "profile:NAME", "policy:ARN", "instances:GROUP". A resource that does not exist
 * hashes to "absent" (someone creating it meanwhile makes the plan stale too).
 *
 * A role's description and max session duration are in its hash when the read had them (ListRoles or
 * GetRole; GetAccountAuthorizationDetails alone does not return them). When it did not, the
 * fingerprint says so (`settings: false`) and a re-check leaves them out the same way, so a
 * per-resource re-read that does return them is not mistaken for a change.
 */
import { canonicalJson, canonicalPolicy, sha256Hex } from '../policy/canonical.js';
import { sortedTags } from '../policy/tags.js';
import type { Fingerprint, FingerprintTarget, LiveInstance, LiveState } from '../policy/live-types.js';

export const ABSENT = 'absent';

/** States in which an instance counts toward its group. */
export const ACTIVE_STATES: ReadonlySet<LiveInstance['state']> = new Set(['pending', 'running', 'stopping', 'stopped']);

function lc(s: string): string {
  return s.toLowerCase();
}

/** The fingerprint of one live resource by key ("absent" when missing); `withSettings: false` leaves a role's description and session duration out. */
function fingerprintWith(live: LiveState, target: FingerprintTarget, prefix: string, withSettings: boolean): Fingerprint {
  const key = fingerprintKey(target);
  const absent: Fingerprint = { key, target, hash: ABSENT };
  switch (target.kind) {
    case 'role': {
      const r = live.roles.find((x) => lc(x.name) === lc(target.name));
      if (!r) return absent;
      const inline: Record<string, unknown> = {};
      for (const n of Object.keys(r.inline).sort()) inline[n] = canonicalPolicy(r.inline[n]!);
      const settings = withSettings && r.settingsKnown !== false;
      return {
        key,
        target,
        hash: sha256Hex(
          canonicalJson({
            name: r.name,
            path: r.path,
            boundary: r.permissionsBoundary ?? null,
            trust: canonicalPolicy(r.trust),
            inline,
            attached: [...r.attached].sort(),
            tags: sortedTags(r.tags),
            ...(settings ? { description: r.description ?? null, maxSessionDuration: r.maxSessionDuration ?? null } : {}),
          }),
        ),
        ...(settings ? {} : { settings: false as const }),
      };
    }
    case 'profile': {
      const p = live.instanceProfiles.find((x) => lc(x.name) === lc(target.name));
      if (!p) return absent;
      return { key, target, hash: sha256Hex(canonicalJson({ name: p.name, path: p.path, roles: [...p.roles].map(lc).sort() })) };
    }
    case 'policy': {
      const arn = target.arn.replace('{accountId}', live.account);
      const p = live.policies.find((x) => x.arn === arn);
      if (!p) return absent;
      return { key, target, hash: sha256Hex(canonicalJson({ arn: p.arn, path: p.path, document: canonicalPolicy(p.document) })) };
    }
    case 'instances': {
      // The ids, and the tags a plan decides from (configuration hash, lifetime tags updated in place).
      const lifetime = ['hash', 'ttl', 'idle-timeout', 'expires-at'].map((k) => `${prefix}:${k}`);
      const active = live.instances.filter((x) => x.tags[`${prefix}:group`] === target.group && ACTIVE_STATES.has(x.state)).sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
      return { key, target, hash: active.length ? sha256Hex(canonicalJson(active.map((x) => [x.instanceId, ...lifetime.map((k) => x.tags[k] ?? null)]))) : ABSENT };
    }
  }
}

/** A target as one string: "role:NAME", "profile:NAME", "policy:ARN", "instances:GROUP" (display, ordering, de-duplication). */
export function fingerprintKey(t: FingerprintTarget): string {
  return `${t.kind}:${t.kind === 'policy' ? t.arn : t.kind === 'instances' ? t.group : t.name}`;
}

/** Fingerprints for these targets, one per key, sorted by key. */
export function fingerprintsOf(live: LiveState, targets: Iterable<FingerprintTarget>, prefix: string): Fingerprint[] {
  const byKey = new Map<string, FingerprintTarget>();
  for (const t of targets) byKey.set(fingerprintKey(t), t);
  return [...byKey.keys()].sort().map((key) => fingerprintWith(live, byKey.get(key)!, prefix, true));
}

/** A plan's fingerprints taken again from a fresh read, each the way the plan took it (a role's settings in or out). */
export function refingerprint(fresh: LiveState, planned: readonly Fingerprint[], prefix: string): Fingerprint[] {
  return planned.map((f) => fingerprintWith(fresh, f.target, prefix, f.settings !== false));
}

/** Fingerprints that differ between a plan's list and a fresh read: what moved. */
export function staleFingerprints(planned: readonly Fingerprint[], fresh: LiveState, prefix: string): Array<{ key: string; planned: string; now: string }> {
  const now = refingerprint(fresh, planned, prefix);
  return planned.flatMap((f, i) => (now[i]!.hash !== f.hash ? [{ key: f.key, planned: f.hash, now: now[i]!.hash }] : []));
}
