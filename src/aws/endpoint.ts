/**
 * From CLI flags and the environment to AwsOptions: --sandbox (the embedded endpoint, started
 * in-process with state in .charter/sandbox.json and stopped after), --endpoint URL, the standard
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables (the SDK reads those itself), --profile,
 * --region (else the spec's region, else AWS_REGION / AWS_DEFAULT_REGION).
 */
import { resolve as resolvePath } from 'node:path';
import { didYouMean, InputError } from '../diagnostics.js';
import { KNOWN_REGIONS, REGION_SHAPE } from '../policy/partitions.js';
import { SANDBOX_CREDENTIALS, type AwsOptions } from './clients.js';
import { checkProfile, profileEndpoints, type ServiceKey } from './profile.js';

export const SANDBOX_STATE_FILE = '.charter/sandbox.json';

export interface EndpointFlags {
  sandbox?: boolean;
  /** With `sandbox`: false starts an empty in-memory sandbox instead of the .charter/sandbox.json one. */
  sandboxState?: boolean;
  endpoint?: string;
  profile?: string;
  region?: string;
}

export interface ResolvedEndpoint {
  options: AwsOptions;
  /** Human description: "sandbox (.charter/sandbox.json)", "endpoint http://...", "AWS". */
  description: string;
  /** Stop what was started (the in-process sandbox); no-op otherwise. */
  close(): Promise<void>;
}

function checkUrl(url: string, flag: string): string {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    return url.replace(/\/+$/, '');
  } catch {
    throw new InputError([{ message: `${flag} "${url}" is not an http(s) URL`, hint: 'e.g. --endpoint http://127.0.0.1:4566' }]);
  }
}

/**
 * Region: flag, then spec, then environment, then us-east-1. One that is not shaped like a region
 * name (`--region nowhere`) is bad input, named by where it came from; a well-formed region charter
 * does not know (a new one) is taken as given.
 */
export function resolveRegion(flag: string | undefined, specRegion: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const [region, source] = flag
    ? [flag, '--region']
    : specRegion
      ? [specRegion, 'the spec']
      : env.AWS_REGION
        ? [env.AWS_REGION, 'AWS_REGION']
        : env.AWS_DEFAULT_REGION
          ? [env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION']
          : ['us-east-1', 'default'];
  if (!REGION_SHAPE.test(region)) {
    const guess = didYouMean(region, KNOWN_REGIONS);
    throw new InputError([{ message: `${source === 'the spec' ? 'region' : source} "${region}" is not an AWS region name`, hint: guess ? `did you mean ${guess}?` : 'e.g. us-east-1, eu-west-2' }]);
  }
  return region;
}

/**
 * `specAccount`: the spec's `account:`; the sandbox then plays that account (so a spec written for
 * a real account plans in the sandbox without an account mismatch).
 */
export async function resolveEndpoint(flags: EndpointFlags, specRegion?: string, env: NodeJS.ProcessEnv = process.env, specAccount?: string): Promise<ResolvedEndpoint> {
  if (flags.sandbox && flags.endpoint) {
    throw new InputError([{ message: '--sandbox and --endpoint cannot be used together', hint: 'pick one' }]);
  }
  const region = resolveRegion(flags.region, specRegion, env);
  if (flags.sandbox) {
    const { startSandbox, StateFileError } = await import('../sandbox/index.js');
    const persistent = flags.sandboxState !== false;
    if (persistent) {
      const { mkdirSync } = await import('node:fs');
      const { dirname } = await import('node:path');
      mkdirSync(dirname(SANDBOX_STATE_FILE), { recursive: true });
    }
    let sb: Awaited<ReturnType<typeof startSandbox>>;
    try {
      sb = await startSandbox({ ...(persistent ? { stateFile: SANDBOX_STATE_FILE } : {}), region, ...(specAccount ? { accountId: specAccount } : {}) });
    } catch (e) {
      // A corrupt .charter/sandbox.json is bad input (exit 2), as for `charter sandbox serve --state`.
      if (e instanceof StateFileError) throw new InputError([{ message: e.message }]);
      throw e;
    }
    return {
      // The port is new each run; the state file is what stays the same "endpoint" across runs.
      options: { region, endpoint: sb.endpoint, endpointIdentity: persistent ? `sandbox:${resolvePath(SANDBOX_STATE_FILE)}` : `sandbox:memory:${sb.endpoint}`, credentials: SANDBOX_CREDENTIALS },
      description: persistent ? `sandbox (${SANDBOX_STATE_FILE})` : 'sandbox (in memory)',
      close: () => sb.stop(),
    };
  }
  // A named profile that the shared files do not define is a typo: say so before any AWS call (the
  // SDK would only say it found no credentials).
  checkProfile(flags.profile, env);
  if (flags.endpoint) {
    const endpoint = checkUrl(flags.endpoint, '--endpoint');
    // Credentials from the normal chain, wherever the endpoint is: dummy ones only with --sandbox
    // (`charter sandbox serve` prints them to export), never because an endpoint is on loopback.
    return {
      options: { region, endpoint, ...(flags.profile ? { profile: flags.profile } : {}) },
      description: `endpoint ${endpoint}`,
      close: async () => {},
    };
  }
  // The SDK honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_IAM/_EC2/_STS/_ACCESSANALYZER itself;
  // check them here so a typo fails as bad input, not as a network error.
  for (const k of Object.keys(env).filter((k) => k === 'AWS_ENDPOINT_URL' || k.startsWith('AWS_ENDPOINT_URL_')).sort()) {
    const v = env[k];
    if (v) checkUrl(v, k);
  }
  // The SDK reads endpoint_url and the services section only for AWS_PROFILE's profile: for
  // --profile, resolve them here the same way and pass them to each client.
  const endpoints: Partial<Record<ServiceKey, string>> = {};
  for (const [svc, url] of Object.entries(flags.profile ? profileEndpoints(flags.profile, env) : {})) endpoints[svc as ServiceKey] = checkUrl(url, `profile ${flags.profile}: ${svc} endpoint_url`);
  const distinct = [...new Set(Object.values(endpoints))];
  if (flags.profile && distinct.length) {
    return {
      options: { region, profile: flags.profile, endpoints },
      description: `endpoint ${distinct.join(', ')} (profile ${flags.profile})`,
      close: async () => {},
    };
  }
  const envEndpoint = env.AWS_ENDPOINT_URL;
  return {
    options: { region, ...(flags.profile ? { profile: flags.profile } : {}), ...(envEndpoint ? { endpointIdentity: envEndpoint } : {}) },
    description: envEndpoint ? `endpoint ${envEndpoint} (AWS_ENDPOINT_URL)` : `AWS${flags.profile ? ` (profile ${flags.profile})` : ''}`,
    close: async () => {},
  };
}
