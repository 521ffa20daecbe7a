/** Generated names: `{prefix}-{service}-{hash8}`, always within IAM's length limits. */

export const ROLE_NAME_MAX = 64;
export const POLICY_NAME_MAX = 128;

/**
 * `{prefix}-{middle}-{hash8}` within `max` characters: the middle part (service name) is truncated
 * when needed; the prefix and the hash are kept whole.
 */
export function hashedName(prefix: string, middle: string, hash: string, max: number): string {
  const h = hash.slice(0, 8);
  const room = max - prefix.length - h.length - 2;
  const mid = room >= middle.length ? middle : middle.slice(0, Math.max(0, room)).replace(/[-_.]+$/, '');
  return mid ? `${prefix}-${mid}-${h}` : `${prefix}-${h}`;
}
