/** The compiled bundle's entities by address, and the bundle entity a plan change belongs to. */
import type { Bundle, InstanceProfile, LaunchGroup, ManagedPolicy, Role } from '../compiler/types.js';
import type { Change } from './types.js';

/** The bundle's entities by address. */
export class BundleIndex {
  readonly roles = new Map<string, Role>();
  readonly profiles = new Map<string, InstanceProfile>();
  readonly policies = new Map<string, ManagedPolicy>();
  readonly launches = new Map<string, LaunchGroup>();
  constructor(readonly bundle: Bundle) {
    for (const r of bundle.roles) this.roles.set(r.address, r);
    for (const p of bundle.instanceProfiles) this.profiles.set(p.address, p);
    for (const p of bundle.managedPolicies) this.policies.set(p.address, p);
    for (const l of bundle.launches) this.launches.set(l.address, l);
  }

  /** The role a change belongs to: role.<svc>, role.<svc>.inline.x, role.<svc>.attachment.arn. */
  roleOf(c: Change): Role | undefined {
    const direct = this.roles.get(c.address);
    if (direct) return direct;
    for (const sep of ['.inline.', '.attachment.']) {
      const i = c.address.indexOf(sep);
      if (i > 0) return this.roles.get(c.address.slice(0, i));
    }
    return undefined;
  }

  profileOf(c: Change): InstanceProfile | undefined {
    return this.profiles.get(c.address) ?? this.profiles.get(c.address.replace(/\.role$/, ''));
  }
}
