/**
 * A named AWS profile (--profile or AWS_PROFILE) must exist in the shared config or credentials
 * file. The SDK's default chain hides a missing profile behind "Could not load credentials from any
 * providers"; the AWS CLI says "The config profile (x) could not be found". Charter checks first,
 * without loading the SDK, and reports a missing profile as bad input (exit 2).
 *
 * The files and their parsing mirror the SDK's shared-ini-file-loader: AWS_CONFIG_FILE (default
 * ~/.aws/config) with `[default]` and `[profile NAME]` sections, AWS_SHARED_CREDENTIALS_FILE (default
 * ~/.aws/credentials) with `[NAME]` sections; a section counts once it has a setting; an unreadable
 * or missing file holds no profiles.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import { InputError } from '../diagnostics.js';

function homeDir(env: NodeJS.ProcessEnv): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? `C:${sep}`}${env.HOMEPATH}`;
  return homedir();
}

/** Section names that have at least one setting, as the SDK's parseIni keys them ("profile.x", "default", "x"). */
export function iniSections(text: string): Set<string> {
  const sections = new Set<string>();
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.split(/(^|\s)[;#]/)[0]!.trim();
    if (line.startsWith('[') && line.endsWith(']')) {
      const name = line.slice(1, -1);
      const m = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/.exec(name);
      current = m ? (['profile', 'sso-session', 'services'].includes(m[1]!) ? `${m[1]}.${m[3]}` : undefined) : name;
    } else if (current !== undefined) {
      const eq = line.indexOf('=');
      if (eq > 0 && line.slice(eq + 1).trim() !== '') sections.add(current);
    }
  }
  return sections;
}

function readIni(path: string): Set<string> {
  try {
    return iniSections(readFileSync(path, 'utf8'));
  } catch {
    return new Set();
  }
}

export interface SharedFiles {
  config: string;
  credentials: string;
}

export function sharedFiles(env: NodeJS.ProcessEnv = process.env): SharedFiles {
  const home = homeDir(env);
  const resolve = (p: string) => (p.startsWith('~/') ? join(home, p.slice(2)) : p);
  return {
    config: resolve(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentials: resolve(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  };
}

/** The profile names the shared files define, sorted. */
export function knownProfiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const f = sharedFiles(env);
  const names = new Set<string>();
  for (const s of readIni(f.config)) {
    if (s === 'default') names.add(s);
    else if (s.startsWith('profile.')) names.add(s.slice('profile.'.length));
  }
  for (const s of readIni(f.credentials)) names.add(s);
  return [...names].sort();
}

/**
 * Throw InputError when the profile the SDK would use (`flag`, else AWS_PROFILE) is not defined in
 * the shared config or credentials file. No profile named: nothing to check.
 */
export function checkProfile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const fromFlag = flag !== undefined && flag !== '';
  const profile = fromFlag ? flag : env.AWS_PROFILE;
  if (!profile) return;
  const known = knownProfiles(env);
  if (known.includes(profile)) return;
  const f = sharedFiles(env);
  const source = fromFlag ? `--profile ${profile}` : `AWS_PROFILE=${profile}`;
  const where = `the shared config file ${f.config} or credentials file ${f.credentials} (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)`;
  const hint = known.length
    ? `profiles found: ${known.slice(0, 10).join(', ')}${known.length > 10 ? `, and ${known.length - 10} more` : ''}`
    : `no profiles found; create one with: aws configure --profile ${profile}${fromFlag ? '' : ', or unset AWS_PROFILE'}`;
  throw new InputError([{ message: `${source}: profile "${profile}" was not found in ${where}`, hint }]);
}

/**
 * The settings of every section, as the SDK's parseIni reads them: `key = value`, and a `key =`
 * with no value opens a sub-section whose indented `sub = value` lines become `key.sub` (the
 * `[services NAME]` form: `iam =` then `  endpoint_url = URL`). Section names as in iniSections.
 */
export function iniValues(text: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  let sub: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.split(/(^|\s)[;#]/)[0]!;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      const name = trimmed.slice(1, -1);
      const m = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/.exec(name);
      const key = m ? (['profile', 'sso-session', 'services'].includes(m[1]!) ? `${m[1]}.${m[3]}` : undefined) : name;
      current = key === undefined ? undefined : (out.get(key) ?? {});
      if (key !== undefined && current) out.set(key, current);
      sub = undefined;
      continue;
    }
    if (!current) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    const k = trimmed.slice(0, eq).trim().toLowerCase();
    const v = trimmed.slice(eq + 1).trim();
    const indented = /^\s/.test(line);
    if (indented && sub) current[`${sub}.${k}`] = v;
    else if (v === '') sub = k;
    else {
      sub = undefined;
      current[k] = v;
    }
  }
  return out;
}

function readValues(path: string): Map<string, Record<string, string>> {
  try {
    return iniValues(readFileSync(path, 'utf8'));
  } catch {
    return new Map();
  }
}

/** A profile's settings: its credentials-file section overlaid by its config-file section. */
export function profileSettings(profile: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const f = sharedFiles(env);
  const section = profile === 'default' ? 'default' : `profile.${profile}`;
  return { ...(readValues(f.credentials).get(profile) ?? {}), ...(readValues(f.config).get(section) ?? {}) };
}

/** The services charter calls, by the key their endpoint has in the shared config and environment. */
export const SERVICE_KEYS = ['iam', 'ec2', 'sts', 'accessanalyzer'] as const;
export type ServiceKey = (typeof SERVICE_KEYS)[number];

/**
 * The endpoint of each service for a profile named by --profile, resolved as the SDK resolves it
 * for AWS_PROFILE (the SDK reads endpoint_url only from AWS_PROFILE's profile, so a --profile alone
 * would reach the public endpoints): AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, then the
 * profile's `services` section, then its `endpoint_url`; nothing when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's ignore_configured_endpoint_urls is true.
 * A `services` name the config file does not define is bad input, as the SDK fails on it.
 */
export function profileEndpoints(profile: string, env: NodeJS.ProcessEnv = process.env): Partial<Record<ServiceKey, string>> {
  const f = sharedFiles(env);
  const config = readValues(f.config);
  const p = profileSettings(profile, env);
  const truthy = (v: string | undefined) => v !== undefined && v.toLowerCase() === 'true';
  if (truthy(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === undefined && truthy(p.ignore_configured_endpoint_urls))) return {};
  let services: Record<string, string> | undefined;
  if (p.services) {
    services = config.get(`services.${p.services}`);
    if (!services) throw new InputError([{ message: `profile "${profile}": its services section "${p.services}" is not in the shared config file ${f.config}`, hint: `add [services ${p.services}] or remove services = ${p.services}` }]);
  }
  const out: Partial<Record<ServiceKey, string>> = {};
  for (const s of SERVICE_KEYS) {
    const url = env[`AWS_ENDPOINT_URL_${s.toUpperCase()}`] || env.AWS_ENDPOINT_URL || services?.[`${s}.endpoint_url`] || p.endpoint_url;
    if (url) out[s] = url;
  }
  return out;
}
