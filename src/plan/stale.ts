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

/** Fingerprint keys a change may touch (role:<name>, profile:<name>, policy:<name|arn>, instances:<group>). */
export function touchedKeys(c: Change, idx: BundleIndex): string[] {
  switch (c.kind) {
    case 'role':
    case 'inline-policy':
    case 'policy-attachment': {
      const role = idx.roleOf(c);
      const names = new Set([role?.name, c.kind === 'role' ? c.name : undefined, c.previousName].filter((x): x is string => !!x));
      return [...names].map((n) => `role:${n}`);
    }
    case 'instance-profile':
    case 'role-in-profile': {
      const p = idx.profileOf(c);
      return [`profile:${p?.name ?? c.name}`];
    }
    case 'managed-policy': {
      const p = idx.policies.get(c.address);
      return [`policy:${p?.name ?? c.name}`, `policy:${c.name}`];
    }
    case 'instances':
      return [`instances:${c.target.group}`];
  }
}

function keyMatches(fpKey: string, touched: Set<string>): boolean {
  if (touched.has(fpKey)) return true;
  // policy fingerprints may be keyed by ARN: policy:arn:aws:iam::123:policy/path/name
  if (fpKey.startsWith('policy:')) {
    const tail = fpKey.slice(fpKey.lastIndexOf('/') + 1);
    return touched.has(`policy:${tail}`);
  }
  return false;
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
    if (startedAddresses.has(c.address)) for (const k of touchedKeys(c, idx)) touched.add(k);
  }
  const cur = new Map(now.fingerprints.map((f) => [f.key, f.hash]));
  const seen = new Set<string>();
  for (const f of approved.fingerprints) {
    seen.add(f.key);
    const h = cur.get(f.key) ?? 'absent';
    if (h === f.hash || keyMatches(f.key, touched)) continue;
    const what = f.hash === 'absent' ? 'appeared' : h === 'absent' ? 'disappeared' : 'changed';
    out.push({ key: f.key, message: `${f.key} ${what} since the plan` });
  }
  for (const f of now.fingerprints) {
    if (seen.has(f.key) || f.hash === 'absent' || keyMatches(f.key, touched)) continue;
    out.push({ key: f.key, message: `${f.key} appeared since the plan` });
  }
  return out;
}
