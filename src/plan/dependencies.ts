/**
 * The order apply must keep, computed once, here: each active change's `dependsOn` lists the
 * addresses of the active changes it waits for. The executor (src/apply/steps.ts) follows these and
 * computes none of its own.
 *
 * Creates and updates follow the resource chain: customer policy → attachment; role → its inline
 * policies and attachments; profile + role → role into profile; everything of a launch group's role
 * and profile → the launch. A role update waits for its profile's tag update (the live reader reads a
 * profile's tags only when its role's differ, src/aws/live-state.ts).
 *
 * Deletes wait for what must be gone or in place first: a role's inline/attachment deletes wait for
 * the role's own creates and updates (permissions move before the old ones go); terminating a group's
 * extra instances waits for the group's launches (new ones run before old ones end); a role leaves a
 * profile once the instances using the profile are terminated; a profile is deleted once its role is
 * out; a role once it is out of every profile being deleted and its replacement exists; a customer
 * policy once it is detached (attachment deletes) and the roles it is attached to are deleted.
 */
import type { Bundle, InstanceProfile } from '../compiler/types.js';
import type { LiveState } from '../policy/live-types.js';
import type { Change } from './types.js';
import { BundleIndex } from './bundle-index.js';
import { profileNameOfArn } from './counterparts.js';

const lc = (s: string) => s.toLowerCase();

/** Changes grouped by a key of theirs (changes without one are left out), in plan order. */
function groupBy(changes: Change[], key: (c: Change) => string | undefined): Map<string, Change[]> {
  const m = new Map<string, Change[]>();
  for (const c of changes) {
    const k = key(c);
    if (k === undefined) continue;
    const list = m.get(k);
    if (list) list.push(c);
    else m.set(k, [c]);
  }
  return m;
}

/** The changes with `dependsOn` set from the rules above (no-op changes wait for nothing). */
export function withDependencies(changes: Change[], bundle: Bundle, live: Pick<LiveState, 'instances' | 'instanceProfiles' | 'roles'>): Change[] {
  const active = changes.filter((c) => c.action !== 'no-op');
  const del = active.filter((c) => c.action === 'delete');
  const put = active.filter((c) => c.action !== 'delete');
  const idx = new BundleIndex(bundle);
  const profileOfRole = new Map<string, InstanceProfile>();
  for (const p of bundle.instanceProfiles) if (!profileOfRole.has(p.roleAddress)) profileOfRole.set(p.roleAddress, p);
  const profileOfInstance = new Map(live.instances.filter((i) => i.instanceProfileArn).map((i) => [i.instanceId, lc(profileNameOfArn(i.instanceProfileArn!))] as const));
  const liveProfileRoles = new Map(live.instanceProfiles.map((p) => [lc(p.name), p.roles.map(lc)] as const));
  const liveAttached = new Map(live.roles.map((r) => [lc(r.name), r.attached] as const));
  // Creates and updates by what they act on, looked up once per change instead of a scan of the plan.
  const putOnRole = groupBy(put, (c) => c.target.roleAddress);
  const putPolicies = groupBy(put, (c) => (c.kind === 'managed-policy' ? c.target.policyArn : undefined));
  const putProfiles = groupBy(put, (c) => (c.kind === 'instance-profile' ? c.target.profileAddress : undefined));

  const onRole = (roleAddress: string | undefined, kinds: Change['kind'][]) => (roleAddress === undefined ? [] : (putOnRole.get(roleAddress) ?? []).filter((c) => kinds.includes(c.kind)));
  const roleChange = (roleAddress: string | undefined) => onRole(roleAddress, ['role']);
  const policyChange = (arn: string | undefined) => (arn === undefined ? [] : (putPolicies.get(arn) ?? []));
  const profileChange = (profileAddress: string | undefined) => (profileAddress === undefined ? [] : (putProfiles.get(profileAddress) ?? []));
  /** Deletes terminating an instance that uses one of these profiles. */
  const terminationsUsing = (profiles: Set<string>) => del.filter((c) => c.kind === 'instances' && (c.terminate ?? []).some((id) => profiles.has(profileOfInstance.get(id) ?? '')));

  const depsOf = (c: Change): Change[] => {
    const t = c.target;
    if (c.action !== 'delete') {
      switch (c.kind) {
        case 'inline-policy':
          return roleChange(t.roleAddress);
        case 'policy-attachment':
          return [...roleChange(t.roleAddress), ...policyChange(t.policyArn)];
        case 'role-in-profile':
          return [...profileChange(t.profileAddress), ...roleChange(t.roleAddress)];
        case 'role': {
          if (c.action !== 'update') return [];
          const p = t.roleAddress === undefined ? undefined : profileOfRole.get(t.roleAddress);
          return profileChange(p?.address).filter((x) => x.action === 'update');
        }
        case 'instances': {
          const l = idx.groups.get(c.target.group);
          if (!l) return [];
          const p = profileOfRole.get(l.roleAddress);
          const role = idx.roles.get(l.roleAddress);
          const policies = new Set((role?.managed ?? []).flatMap((m) => (m.policyAddress ? [m.policyAddress] : [])));
          return [
            ...roleChange(l.roleAddress),
            ...onRole(l.roleAddress, ['inline-policy', 'policy-attachment', 'role-in-profile']),
            ...profileChange(p?.address),
            ...put.filter((x) => x.kind === 'managed-policy' && policies.has(x.address)),
          ];
        }
        default:
          return [];
      }
    }
    switch (c.kind) {
      case 'inline-policy':
      case 'policy-attachment':
        return onRole(t.roleAddress, ['role', 'inline-policy', 'policy-attachment']);
      case 'instances':
        return put.filter((x) => x.kind === 'instances' && x.target.group === c.target.group);
      case 'role-in-profile':
        return terminationsUsing(new Set([lc(c.target.profileName)]));
      case 'instance-profile': {
        const name = lc(c.target.profileName);
        return [...del.filter((x) => x.kind === 'role-in-profile' && lc(x.target.profileName) === name), ...terminationsUsing(new Set([name]))];
      }
      case 'role': {
        const name = lc(c.target.roleName);
        const holding = new Set([...liveProfileRoles].filter(([, roles]) => roles.includes(name)).map(([p]) => p));
        return [
          ...del.filter((x) => x.kind === 'role-in-profile' && lc(x.target.roleName) === name),
          ...del.filter((x) => x.kind === 'instance-profile' && holding.has(lc(x.target.profileName))),
          ...terminationsUsing(holding),
          ...put.filter((x) => x.kind === 'role' && x.previousName !== undefined && lc(x.previousName) === name && lc(x.name) !== name),
        ];
      }
      case 'managed-policy': {
        const arn = c.target.policyArn;
        return [
          ...del.filter((x) => x.kind === 'policy-attachment' && x.target.policyArn === arn),
          ...del.filter((x) => x.kind === 'role' && (liveAttached.get(lc(x.target.roleName)) ?? []).includes(arn)),
        ];
      }
    }
  };

  return changes.map((c) => {
    const { dependsOn: _old, ...rest } = c;
    if (c.action === 'no-op') return rest;
    const deps = [...new Set(depsOf(c).map((d) => d.address))].filter((a) => a !== c.address).sort();
    return deps.length ? { ...rest, dependsOn: deps } : rest;
  });
}
