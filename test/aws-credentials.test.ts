/**
 * AWS credentials and endpoints (issue 12 §AWS credentials): `--profile P` reaches P's endpoint_url
 * and `services` section exactly as AWS_PROFILE=P does (the SDK reads those only for AWS_PROFILE),
 * checked against the sandbox over real HTTP by counting the calls it received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/index.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import { profileEndpoints, iniValues } from '../src/aws/profile.js';
import { resolveEndpoint } from '../src/aws/endpoint.js';
import { InputError } from '../src/diagnostics.js';
import { charter, cleanEnv, ROOT } from './cli-support.js';

let sb: RunningSandbox;
let dir: string;
const SPEC = join(ROOT, 'fixtures', 'spawn-web-server.yaml');

async function calls(): Promise<Record<string, number>> {
  const r = await fetch(`${sb.endpoint}/_sandbox/stats`);
  return ((await r.json()) as { actions: Record<string, number> }).actions;
}
const total = (a: Record<string, number>, prefix: string) => Object.entries(a).filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

function files(config: string): NodeJS.ProcessEnv {
  const d = mkdtempSync(join(dir, 'aws-'));
  writeFileSync(join(d, 'config'), config);
  writeFileSync(join(d, 'credentials'), '[sb]\naws_access_key_id = AKIAPROFILEKEY000001\naws_secret_access_key = profile-secret\n\n[split]\naws_access_key_id = AKIAPROFILEKEY000002\naws_secret_access_key = profile-secret\n');
  return { AWS_CONFIG_FILE: join(d, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(d, 'credentials') };
}

beforeAll(async () => {
  sb = await startSandbox({ region: 'us-east-1', accountId: '123456789012' });
  dir = mkdtempSync(join(tmpdir(), 'charter-creds-'));
});
afterAll(async () => {
  await sb.stop();
});

describe('--profile honours the profile endpoint_url and services section, as AWS_PROFILE does', () => {
  it('endpoint_url: charter plan --profile sb reaches the sandbox (and AWS_PROFILE=sb does the same)', async () => {
    const env = files(`[profile sb]\nregion = us-east-1\nendpoint_url = ${sb.endpoint}\n`);
    const before = await calls();
    const r = await charter(['plan', SPEC, '--profile', 'sb'], { cwd: dir, env: cleanEnv(env) });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const after = await calls();
    expect(total(after, 'sts:') - total(before, 'sts:')).toBeGreaterThan(0);
    expect(total(after, 'iam:') - total(before, 'iam:')).toBeGreaterThan(0);
    const viaEnv = await charter(['plan', SPEC], { cwd: dir, env: cleanEnv({ ...env, AWS_PROFILE: 'sb' }) });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toBe(r.stdout);
    expect(total(await calls(), 'iam:')).toBeGreaterThan(total(after, 'iam:'));
  });

  it('services section: each service at its own endpoint_url', async () => {
    const env = files(`[profile split]\nregion = us-east-1\nservices = local\n\n[services local]\niam =\n  endpoint_url = ${sb.endpoint}\nsts =\n  endpoint_url = ${sb.endpoint}\nec2 =\n  endpoint_url = ${sb.endpoint}\n`);
    const before = await calls();
    const r = await charter(['plan', SPEC, '--profile', 'split'], { cwd: dir, env: cleanEnv(env) });
    expect(r.code).toBe(0);
    const after = await calls();
    expect(total(after, 'sts:') - total(before, 'sts:')).toBeGreaterThan(0);
    expect(total(after, 'iam:') - total(before, 'iam:')).toBeGreaterThan(0);
  });

  it('resolution order and the profile keeps its own credentials', async () => {
    const env = files(`[profile sb]\nendpoint_url = http://127.0.0.1:1/\nservices = s\n[services s]\nsts =\n  endpoint_url = http://127.0.0.1:2\n[profile quiet]\nendpoint_url = http://127.0.0.1:1\nignore_configured_endpoint_urls = true\n[profile broken]\nservices = nope\n`);
    expect(profileEndpoints('sb', env)).toEqual({ iam: 'http://127.0.0.1:1/', ec2: 'http://127.0.0.1:1/', sts: 'http://127.0.0.1:2', accessanalyzer: 'http://127.0.0.1:1/' });
    // The environment wins, service variable first (as the SDK's endpoint selectors).
    expect(profileEndpoints('sb', { ...env, AWS_ENDPOINT_URL_EC2: 'http://e', AWS_ENDPOINT_URL: 'http://all' })).toEqual({ iam: 'http://all', ec2: 'http://e', sts: 'http://all', accessanalyzer: 'http://all' });
    expect(profileEndpoints('quiet', env)).toEqual({});
    expect(profileEndpoints('sb', { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toEqual({});
    expect(() => profileEndpoints('broken', env)).toThrow(InputError);
    const ep = await resolveEndpoint({ profile: 'sb' }, 'us-east-1', env);
    expect(ep.options.profile).toBe('sb');
    expect(ep.options.credentials).toBeUndefined();
    expect(ep.options.endpoints?.sts).toBe('http://127.0.0.1:2');
    expect(ep.description).toBe('endpoint http://127.0.0.1:1, http://127.0.0.1:2 (profile sb)');
    // A bad URL in the profile is bad input before any call.
    const bad = files('[profile sb]\nendpoint_url = ftp://x\n');
    await expect(resolveEndpoint({ profile: 'sb' }, 'us-east-1', bad)).rejects.toThrow(/endpoint_url "ftp:\/\/x" is not an http\(s\) URL/);
  });

  it('parses the shared config as the SDK does (sub-sections, comments, quoted names)', () => {
    const v = iniValues('[default]\nregion = eu-west-1 # comment\n[profile "a b"]\nx = 1\n[profile c]\ns3 =\n  addressing_style = path\nafter = 2\n[services q]\nec2 =\n  endpoint_url = http://h\n');
    expect(v.get('default')).toEqual({ region: 'eu-west-1' });
    expect(v.get('profile.c')).toEqual({ 's3.addressing_style': 'path', after: '2' });
    expect(v.get('services.q')).toEqual({ 'ec2.endpoint_url': 'http://h' });
  });
});
