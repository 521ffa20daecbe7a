/**
 * EC2 ClientToken for one instance of a launch group: derived from the apply attempt (plan id,
 * target, attempt id: Journal.tokenSeed), the group and the instance index, so a retried or resumed
 * attempt sends the same token and EC2 returns the instance it already launched instead of
 * launching another, while a later attempt (re-apply after destroy, another endpoint) gets new
 * tokens. At most 64 ASCII chars.
 */
import { sha256Hex } from '../policy/canonical.js';

export const CLIENT_TOKEN_MAX = 64;

export function clientToken(seed: string, group: string, index: number): string {
  const h = sha256Hex(`${seed}\0${group}\0${index}`).slice(0, 32);
  const g = group.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 20);
  const token = `ch-${g}-${index}-${h}`;
  return token.slice(0, CLIENT_TOKEN_MAX);
}
