/**
 * Whether to colour output: --color / --no-color first, then FORCE_COLOR (set and not "0" or
 * "false": on; "0"/"false": off), then NO_COLOR (set and non-empty: off, https://no-color.org),
 * else when the stream is a terminal. Colour only: NO_COLOR does not turn the live view off.
 */
export function useColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, tty: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR) return false;
  return tty;
}
