/** The compiled bundle's entities by address, and the bundle entity a plan change belongs to. */
import type { Bundle, InstanceProfile, LaunchGroup, ManagedPolicy, Role } from '../compiler/types.js';
import type { Change } from './types.js';

/** The bundle's entities by address. */
export class BundleIndex {
  readonly roles = new Map<string, Role>();
  readonly profiles = new Map<string, InstanceProfile>();
  readonly policies = new Map<string, ManagedPolicy>();
  readonly launches = new Map<string, LaunchGroup>();
  /** Launch groups by group name (an instances change's target.group). */
  readonly groups = new Map<string, LaunchGroup>();
  constructor(readonly bundle: Bundle) {
    for (const r of bundle.roles) this.roles.set(r.address, r);
    for (const p of bundle.instanceProfiles) this.profiles.set(p.address, p);
    for (const p of bundle.managedPolicies) this.policies.set(p.address, p);
    for (const l of bundle.launches) {
      this.launches.set(l.address, l);
      this.groups.set(l.group, l);
    }
  }

  /** The bundle role a change acts on (its target's role address), if the spec has it. */
  roleOf(c: Change): Role | undefined {
    const a = c.target.roleAddress;
    return a === undefined ? undefined : this.roles.get(a);
  }

  /** The bundle instance profile a change acts on (its target's profile address), if the spec has it. */
  profileOf(c: Change): InstanceProfile | undefined {
    const a = c.target.profileAddress;
    return a === undefined ? undefined : this.profiles.get(a);
  }
}
