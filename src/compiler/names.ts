/**
 * Generated names, always within IAM's length limits:
 * - stable (the default): `{prefix}-{spec}-{service}`, the same across edits, so callers holding the
 *   ARN keep working; past the limit it is cut and ends in 8 hex digits of sha256 over the full name
 *   (deterministic, and two long names that share a beginning still differ);
 * - content-addressed (`naming: content`): `{prefix}-{service}-{hash8}`, a new name whenever the
 *   content changes.
 */
import { sha256Hex } from '../policy/canonical.js';

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

/** `{prefix}-{spec}-{service}` as is when it fits `max`; else cut to fit with `-{hash8}` of the full name. */
export function stableName(prefix: string, spec: string, service: string, max: number): string {
  const full = `${prefix}-${spec}-${service}`;
  if (full.length <= max) return full;
  const h = sha256Hex(full).slice(0, 8);
  return `${full.slice(0, max - h.length - 1).replace(/[-_.]+$/, '')}-${h}`;
}
