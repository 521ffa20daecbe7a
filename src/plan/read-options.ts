/**
 * What the live reader (src/aws/live-state.ts) is told to read for a bundle: the names the spec
 * wants, and when a charter profile's tags are worth a GetInstanceProfile (its role's live tags
 * differ from the tags the spec wants on the profile). The reader holds no desired-state logic.
 */
import { managedTagKeys, type Bundle } from '../compiler/types.js';
import type { ReadMode, ReadOptions } from '../aws/live-state.js';
import { tagsDiffer } from '../policy/tags.js';

/** The read options for a bundle: what names the spec wants. */
export function readOptionsForBundle(bundle: Bundle, mode?: ReadMode): ReadOptions {
  const profileTags = new Map(bundle.instanceProfiles.map((p) => [p.name.toLowerCase(), p.tags] as const));
  const hashKey = managedTagKeys(bundle.prefix).hash;
  return {
    prefix: bundle.prefix,
    specName: bundle.specName,
    roleNames: bundle.roles.map((r) => r.name),
    profileNames: bundle.instanceProfiles.map((p) => p.name),
    // The profile carries its role's tags except the role's content hash (src/compiler/index.ts).
    profileTagsNeeded: (name, roleTags) => {
      const want = profileTags.get(name.toLowerCase());
      const { [hashKey]: _hash, ...shared } = roleTags;
      return want !== undefined && tagsDiffer(bundle.prefix, shared, want);
    },
    policyNames: bundle.managedPolicies.map((p) => p.name),
    ...(mode ? { mode } : {}),
  };
}
