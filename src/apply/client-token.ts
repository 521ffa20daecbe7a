/**
 * EC2 ClientToken for one instance of a launch group: derived from the plan id, the group and the
 * instance index, so a retried or re-run apply of the same plan sends the same token and EC2
 * returns the instance it already launched instead of launching another. At most 64 ASCII chars.
 */
import { sha256Hex } from '../policy/canonical.js';

export const CLIENT_TOKEN_MAX = 64;

export function clientToken(planId: string, group: string, index: number): string {
  const h = sha256Hex(`${planId}\0${group}\0${index}`).slice(0, 32);
  const g = group.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 20);
  const token = `ch-${g}-${index}-${h}`;
  return token.slice(0, CLIENT_TOKEN_MAX);
}
