/**
 * Which live resource each compiled one corresponds to: the matching `charter plan` does
 * (src/plan/plan.ts) and `charter lint --access-analyzer --reference live` reuses (the CLI
 * computes them and hands them to src/linter/live-reference.ts). Pure: Bundle + LiveState in, no calls.
 *
 * Roles: the live role of the same name (IAM names are case-insensitive), whoever owns it. Else, for
 * a generated name (content-addressed: a new name whenever its content changes; stable: a name that
 * changed with the spec name, prefix or naming), the previous generation: a live role of this spec
 * ({prefix}:managed=true, {prefix}:spec=<name>) carrying the
 * same {prefix}:service tag, that the spec does not want under its own name and no other role has
 * taken; one that active instances still use first, then by name. Every desired name is claimed
 * before any predecessor is chosen, so no role takes another's role as its predecessor.
 *
 * Customer-managed policies: the live policy at the ARN its role attaches it under.
 */
import type { Bundle, ManagedPolicy } from '../compiler/types.js';
import { managedTagKeys } from '../compiler/types.js';
import { isOurs } from '../compiler/tags.js';
import type { Counterparts, LiveManagedPolicy, LiveRole, LiveState, RoleCounterpart } from '../policy/live-types.js';

export type { Counterparts, RoleCounterpart };
import { ACTIVE_STATES } from '../aws/fingerprints.js';

const lc = (s: string) => s.toLowerCase();

/** An ARN of the bundle with the {accountId} / {partition} placeholders filled from live state. */
export function resolveLiveArn(arn: string, live: Pick<LiveState, 'account' | 'partition'>): string {
  return arn.replace('{accountId}', live.account).replace('{partition}', live.partition);
}

/** The ARN a customer-managed policy has in the account (as its role attaches it). */
export function livePolicyArn(bundle: Bundle, live: Pick<LiveState, 'account' | 'partition'>, p: ManagedPolicy): string {
  const roleAttachment = bundle.roles.find((r) => r.address === p.roleAddress)?.managed.find((m) => m.policyAddress === p.address);
  return resolveLiveArn(roleAttachment ? roleAttachment.arn : `arn:${bundle.partition}:iam::{accountId}:policy${p.path}${p.name}`, live);
}

/** The instance profile name in an instance profile ARN (arn:…:instance-profile/path/NAME). */
export function profileNameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Instance profile names used by this spec's active instances. */
function activeProfileNames(live: LiveState): Set<string> {
  const s = new Set<string>();
  for (const i of live.instances) {
    if (!ACTIVE_STATES.has(i.state) || !i.instanceProfileArn) continue;
    s.add(lc(profileNameOfArn(i.instanceProfileArn)));
  }
  return s;
}

/** Live roles of this spec carrying the service tag, not claimed: previous generations, best first. */
function predecessors(bundle: Bundle, live: LiveState, service: string, exclude: string, claimed: Set<string>, used: Set<string>): LiveRole[] {
  const serviceKey = managedTagKeys(bundle.prefix).service;
  return live.roles
    .filter((r) => isOurs(bundle, r.tags) && r.tags[serviceKey] === service && lc(r.name) !== lc(exclude) && !claimed.has(lc(r.name)))
    .sort((a, b) => {
      // Prefer the one instances still use, then by name.
      const ua = a.instanceProfiles.some((p) => used.has(lc(p))) ? 0 : 1;
      const ub = b.instanceProfiles.some((p) => used.has(lc(p))) ? 0 : 1;
      return ua - ub || (lc(a.name) < lc(b.name) ? -1 : 1);
    });
}

/** The live counterpart of every role and customer-managed policy of the bundle. */
export function liveCounterparts(bundle: Bundle, live: LiveState): Counterparts {
  const rolesByName = new Map(live.roles.map((r) => [lc(r.name), r] as const));
  const policiesByArn = new Map(live.policies.map((p) => [p.arn, p] as const));
  const claimed = new Set(bundle.roles.map((r) => lc(r.name)));
  const used = activeProfileNames(live);
  const roles = new Map<string, RoleCounterpart>();
  for (const r of bundle.roles) {
    const same = rolesByName.get(lc(r.name));
    if (same) {
      roles.set(r.address, { live: same, how: 'same-name' });
      continue;
    }
    if (r.naming === 'explicit') continue;
    const prev = predecessors(bundle, live, r.service, r.name, claimed, used)[0];
    if (prev) {
      claimed.add(lc(prev.name));
      roles.set(r.address, { live: prev, how: 'previous-generation' });
    }
  }
  const policies = new Map<string, LiveManagedPolicy>();
  for (const p of bundle.managedPolicies) {
    const lp = policiesByArn.get(livePolicyArn(bundle, live, p));
    if (lp) policies.set(p.address, lp);
  }
  return { roles, policies };
}
