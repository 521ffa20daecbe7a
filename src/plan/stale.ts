/**
 * Is an approved plan still valid? It is stale when the spec file changed (hash), when the
 * recompiled bundle differs, or when any live resource the plan read changed since (fingerprints
 * recomputed by re-planning against a fresh read). Resources this plan's own earlier, interrupted
 * run touched (the journal says so) are expected to have moved and are exempt: that is how
 * re-running an interrupted apply finishes the job.
 */
import type { Bundle } from '../compiler/types.js';
import type { Change, Fingerprint, Plan } from './types.js';
import { BundleIndex } from './bundle-index.js';

export interface StaleReason {
  key: string;
  message: string;
}

/** What a change may touch, as comparable identities (kind and name, or group), never parsed from a key. */
export function touchedTargets(c: Change, idx: BundleIndex): string[] {
  switch (c.kind) {
    case 'role':
    case 'inline-policy':
    case 'policy-attachment': {
      const role = idx.roleOf(c);
      const names = new Set([role?.name, c.kind === 'role' ? c.name : undefined, c.previousName].filter((x): x is string => !!x));
      return [...names].map((name) => touchId({ kind: 'role', name }));
    }
    case 'instance-profile':
    case 'role-in-profile': {
      const p = idx.profileOf(c);
      return [touchId({ kind: 'profile', name: p?.name ?? c.name })];
    }
    case 'managed-policy': {
      const p = idx.policies.get(c.address);
      return [touchId({ kind: 'policy', name: p?.name ?? c.name }), touchId({ kind: 'policy', name: c.name })];
    }
    case 'instances':
      return [touchId({ kind: 'instances', group: c.target.group })];
  }
}

/** A target's identity for "did an interrupted attempt touch it": a policy by name (its ARN may not be known when the change is). */
function touchId(t: { kind: 'role' | 'profile' | 'policy'; name: string } | { kind: 'instances'; group: string }): string {
  return JSON.stringify([t.kind, t.kind === 'instances' ? t.group : t.name]);
}

/**
 * Why an approved plan may no longer be applied. `startedAddresses`: the addresses of the plan's
 * changes an unfinished attempt on this target already started (whole or in part: Journal.startedAmong).
 */
export function staleReasons(
  approved: Plan,
  now: { specHash: string; bundle: Bundle; fingerprints: Fingerprint[] },
  startedAddresses: ReadonlySet<string>,
): StaleReason[] {
  const out: StaleReason[] = [];
  if (approved.specHash !== now.specHash) out.push({ key: 'spec', message: `spec file ${approved.specPath} changed since the plan (sha256 ${approved.specHash.slice(0, 12)} → ${now.specHash.slice(0, 12)})` });
  else if (approved.bundleHash !== now.bundle.hash) out.push({ key: 'bundle', message: `the spec compiles differently now (bundle ${approved.bundleHash.slice(0, 12)} → ${now.bundle.hash.slice(0, 12)}): charter version changed?` });
  if (out.length) return out;
  const idx = new BundleIndex(now.bundle);
  const touched = new Set<string>();
  for (const c of approved.changes) {
    if (startedAddresses.has(c.address)) for (const k of touchedTargets(c, idx)) touched.add(k);
  }
  const cur = new Map(now.fingerprints.map((f) => [f.key, f.hash]));
  const seen = new Set<string>();
  for (const f of approved.fingerprints) {
    seen.add(f.key);
    const h = cur.get(f.key) ?? 'absent';
    if (h === f.hash || touched.has(touchId(f.target))) continue;
    const what = f.hash === 'absent' ? 'appeared' : h === 'absent' ? 'disappeared' : 'changed';
    out.push({ key: f.key, message: `${f.key} ${what} since the plan` });
  }
  for (const f of now.fingerprints) {
    if (seen.has(f.key) || f.hash === 'absent' || touched.has(touchId(f.target))) continue;
    out.push({ key: f.key, message: `${f.key} appeared since the plan` });
  }
  return out;
}
