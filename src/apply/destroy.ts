/**
 * `charter destroy SPEC`: the changes that remove what the spec created: every live resource that
 * carries the managed tag AND this spec's name ({prefix}:spec), including older hash-named roles
 * a replace left behind. Nothing unmanaged is listed (and the executor re-checks the tag before
 * each delete). Deleted in reverse (src/plan/dependencies.ts): instances, profiles, roles (stripped first), customer
 * policies.
 */
import type { Bundle } from '../compiler/types.js';
import { managedTagKeys } from '../compiler/types.js';
import type { LiveState } from '../policy/live-types.js';
import { sha256Hex } from '../policy/canonical.js';
import type { Change, Plan } from '../plan/types.js';
import { PLAN_FORMAT_VERSION } from '../plan/types.js';
import { withDependencies } from '../plan/dependencies.js';

function ours(bundle: Bundle, tags: Record<string, string>): boolean {
  const k = managedTagKeys(bundle.prefix);
  return tags[k.managed] === 'true' && tags[k.spec] === bundle.specName;
}

export function destroyChanges(bundle: Bundle, live: LiveState): Change[] {
  const k = managedTagKeys(bundle.prefix);
  const changes: Change[] = [];
  const groups = new Map<string, string[]>();
  for (const i of live.instances) {
    if (!ours(bundle, i.tags) || i.state === 'terminated' || i.state === 'shutting-down') continue;
    const g = i.tags[k.group] ?? '(no group)';
    groups.set(g, [...(groups.get(g) ?? []), i.instanceId]);
  }
  for (const [g, ids] of [...groups].sort()) {
    changes.push({ address: `launch.${g}`, kind: 'instances', action: 'delete', name: g, target: { group: g }, reason: { code: 'destroy' }, terminate: ids.sort() });
  }
  const ourRoles = new Set(live.roles.filter((r) => ours(bundle, r.tags)).map((r) => r.name.toLowerCase()));
  const wantedProfiles = new Set(bundle.instanceProfiles.map((p) => p.name.toLowerCase()));
  for (const p of live.instanceProfiles) {
    // List calls do not return profile tags: a profile whose tags were not read counts when the spec
    // names it or it holds one of our roles; the executor reads its tags before deleting anyway.
    const tagsUnknown = (p as { tagsKnown?: boolean }).tagsKnown === false;
    const candidate = tagsUnknown ? wantedProfiles.has(p.name.toLowerCase()) || p.roles.some((r) => ourRoles.has(r.toLowerCase())) : ours(bundle, p.tags);
    if (candidate) changes.push({ address: `profile.${p.name}`, kind: 'instance-profile', action: 'delete', name: p.name, target: { profileName: p.name }, reason: { code: 'destroy' }, before: { name: p.name, roles: p.roles } });
  }
  for (const r of live.roles) {
    if (ours(bundle, r.tags)) changes.push({ address: `role.${r.name}`, kind: 'role', action: 'delete', name: r.name, target: { roleName: r.name }, reason: { code: 'destroy' }, before: { arn: r.arn } });
  }
  for (const p of live.policies) {
    if (ours(bundle, p.tags)) changes.push({ address: `policy.${p.name}`, kind: 'managed-policy', action: 'delete', name: p.arn, target: { policyArn: p.arn }, reason: { code: 'destroy' } });
  }
  return withDependencies(changes, bundle, live);
}

/** A plan object for destroy (never saved): the executor's input. */
export function destroyPlan(bundle: Bundle, live: LiveState): Plan {
  const changes = destroyChanges(bundle, live);
  const planId = sha256Hex(JSON.stringify({ destroy: bundle.specName, hash: bundle.hash, changes }));
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    planId,
    specPath: bundle.specPath,
    specHash: bundle.specHash,
    bundleHash: bundle.hash,
    specName: bundle.specName,
    prefix: bundle.prefix,
    region: bundle.region,
    account: live.account,
    options: { prune: true, adopt: false },
    fingerprints: [],
    changes,
    summary: { create: 0, update: 0, replace: 0, delete: changes.length, noop: 0, orphans: 0, conflicts: 0, broadening: 0 },
  };
}

export function formatDestroyText(plan: Plan): string {
  if (!plan.changes.length) return `Nothing to destroy: no managed resources of spec "${plan.specName}" found.\n`;
  const L = [`Destroy ${plan.specName}: ${plan.changes.length} resource(s) will be removed:`];
  for (const c of plan.changes) {
    if (c.kind === 'instances') L.push(`  - terminate ${c.terminate?.length ?? 0} instance(s) of ${c.name}: ${(c.terminate ?? []).join(' ')}`);
    else L.push(`  - delete ${c.kind} ${c.name}`);
  }
  return L.join('\n') + '\n';
}
