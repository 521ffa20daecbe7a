/**
 * AWS credentials and endpoints (issue 12 §AWS credentials): `--profile P` reaches P's endpoint_url
 * and `services` section exactly as AWS_PROFILE=P does (the SDK reads those only for AWS_PROFILE),
 * checked against the sandbox over real HTTP by counting the calls it received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsClients, SANDBOX_CREDENTIALS } from '../src/aws/clients.js';
import { readLiveState } from '../src/aws/live-state.js';
import { explainAwsError } from '../src/aws/errors.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/index.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import { profileEndpoints, iniValues } from '../src/aws/profile.js';
import { resolveEndpoint, resolveRegion } from '../src/aws/endpoint.js';
import { InputError } from '../src/diagnostics.js';
import { KNOWN_REGIONS } from '../src/policy/partitions.js';
import { charter, cleanEnv, ROOT, sandboxEnv } from './cli-support.js';
import { charterInTerminal, stopTerminals, tmux } from './pty-support.js';

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
  await stopTerminals();
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

describe('one credential resolution per run, shared by every client', () => {
  it('a credential_process runs once for a whole plan (STS, IAM and EC2 calls)', async () => {
    const log = join(dir, `cp-${Date.now()}.log`);
    const script = join(dir, 'cred.sh');
    writeFileSync(script, `#!/bin/sh\necho run >> "${log}"\necho '{"Version":1,"AccessKeyId":"AKIAPROCESSKEY000001","SecretAccessKey":"s"}'\n`, { mode: 0o755 });
    const env = files(`[profile cp]\nregion = us-east-1\nendpoint_url = ${sb.endpoint}\ncredential_process = ${script}\n`);
    const before = await calls();
    const r = await charter(['plan', SPEC, '--profile', 'cp'], { cwd: dir, env: cleanEnv(env) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = await calls();
    expect(total(after, 'sts:') - total(before, 'sts:')).toBeGreaterThan(0);
    expect(total(after, 'iam:') - total(before, 'iam:')).toBeGreaterThan(0);
    expect(total(after, 'ec2:') - total(before, 'ec2:')).toBeGreaterThan(0);
    expect(readFileSync(log, 'utf8')).toBe('run\n');
  });
});

describe('a profile with mfa_serial (role_arn + source_profile)', () => {
  let roleArn: string;
  const SERIAL = 'arn:aws:iam::123456789012:mfa/operator';
  beforeAll(async () => {
    const iam = new IAMClient({ region: 'us-east-1', endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS });
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] };
    roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'operator-mfa', AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role!.Arn!;
  });
  const mfaEnv = () => files(`[profile sb]\nregion = us-east-1\nendpoint_url = ${sb.endpoint}\n[profile mfa]\nregion = us-east-1\nendpoint_url = ${sb.endpoint}\nrole_arn = ${roleArn}\nsource_profile = sb\nmfa_serial = ${SERIAL}\n`);

  it('on a terminal: asks once for the code (on stderr), assumes the role with it, and plans', async () => {
    const before = await calls();
    const r = await charter(['plan', SPEC, '--profile', 'mfa'], { cwd: dir, env: cleanEnv(mfaEnv()), stdin: '123456\n', stdinTty: true });
    expect(r.stderr).toBe(`MFA code for ${SERIAL}: `);
    expect(r.code).toBe(0);
    const after = await calls();
    expect((after['sts:AssumeRole'] ?? 0) - (before['sts:AssumeRole'] ?? 0)).toBe(1);
    expect(total(after, 'iam:') - total(before, 'iam:')).toBeGreaterThan(0);
  });

  it('in a real terminal (tmux): the prompt is shown, the code typed at it is used, the plan runs', async () => {
    const before = await calls();
    const { screen } = await charterInTerminal(['plan', SPEC, '--profile', 'mfa'], { columns: 120, env: mfaEnv(), cwd: dir, when: { text: 'MFA code for', then: (session) => tmux('send-keys', '-t', session, '123456', 'Enter') } });
    expect(screen).toContain(`MFA code for ${SERIAL}: 123456`);
    expect(screen).toContain('EXIT=0');
    expect((await calls())['sts:AssumeRole']! - (before['sts:AssumeRole'] ?? 0)).toBe(1);
  });

  it('without a terminal: a clear failure naming the MFA device, no stack trace, no AWS call but none', async () => {
    const before = await calls();
    const r = await charter(['plan', SPEC, '--profile', 'mfa'], { cwd: dir, env: cleanEnv(mfaEnv()) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`needs an MFA code for ${SERIAL}, and stdin is not a terminal`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const after = await calls();
    expect(after['sts:AssumeRole'] ?? 0).toBe(before['sts:AssumeRole'] ?? 0);
    expect(total(after, 'iam:')).toBe(total(before, 'iam:'));
  });

  it('a wrong code is refused by the trust, reported as the AssumeRole failure', async () => {
    const r = await charter(['plan', SPEC, '--profile', 'mfa'], { cwd: dir, env: cleanEnv(mfaEnv()), stdin: 'nope\n', stdinTty: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no MFA code for ${SERIAL}: expected 6 digits`);
  });
});

describe('the credential chain through the sandbox: web identity, and failures named by the call that failed', () => {
  const jwt = (claims: Record<string, unknown>) => {
    const b = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    return `${b({ alg: 'RS256', typ: 'JWT' })}.${b({ iss: 'https://token.actions.githubusercontent.com', aud: 'sts.amazonaws.com', exp: Math.floor(Date.now() / 1000) + 600, ...claims })}.c2ln`;
  };
  let oidcRole: string;
  let closedRole: string;
  beforeAll(async () => {
    const iam = new IAMClient({ region: 'us-east-1', endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS });
    const oidc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:*' } } }],
    };
    oidcRole = (await iam.send(new CreateRoleCommand({ RoleName: 'gha-plan', AssumeRolePolicyDocument: JSON.stringify(oidc) }))).Role!.Arn!;
    const closed = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }] };
    closedRole = (await iam.send(new CreateRoleCommand({ RoleName: 'not-for-you', AssumeRolePolicyDocument: JSON.stringify(closed) }))).Role!.Arn!;
  });

  it('web identity (web_identity_token_file + role_arn): the trust admits the subject it names, and refuses another as AssumeRoleWithWebIdentity at the endpoint', async () => {
    const token = (sub: string) => {
      const f = join(dir, `token-${sub.replace(/\W/g, '_')}`);
      writeFileSync(f, jwt({ sub }));
      return f;
    };
    const profile = (sub: string) => files(`[profile wi]\nregion = us-east-1\nendpoint_url = ${sb.endpoint}\nrole_arn = ${oidcRole}\nweb_identity_token_file = ${token(sub)}\n`);
    const before = await calls();
    const ok = await charter(['plan', SPEC, '--profile', 'wi'], { cwd: dir, env: cleanEnv(profile('repo:acme/infra:ref:refs/heads/main')) });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect((await calls())['sts:AssumeRoleWithWebIdentity']! - (before['sts:AssumeRoleWithWebIdentity'] ?? 0)).toBe(1);
    const no = await charter(['plan', SPEC, '--profile', 'wi'], { cwd: dir, env: cleanEnv(profile('repo:evil/fork:ref:refs/heads/main')) });
    expect(no.code).toBe(1);
    expect(no.stderr).toBe(`error: could not get the credentials for sts:GetCallerIdentity: sts:AssumeRoleWithWebIdentity at ${sb.endpoint} was denied: Not authorized to perform sts:AssumeRoleWithWebIdentity (the role's trust policy does not admit this caller, or a condition it sets, such as ExternalId or MFA, is not met)\n`);
  });

  it('a role_arn profile whose trust refuses the caller: reported as sts:AssumeRole at the endpoint, not as GetCallerIdentity', async () => {
    const env = files(`[profile sb]\nregion = us-east-1\nendpoint_url = ${sb.endpoint}\n[profile closed]\nregion = us-east-1\nendpoint_url = ${sb.endpoint}\nrole_arn = ${closedRole}\nsource_profile = sb\n`);
    const r = await charter(['plan', SPEC, '--profile', 'closed'], { cwd: dir, env: cleanEnv(env) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: could not get the credentials for sts:GetCallerIdentity: sts:AssumeRole at ${sb.endpoint.replace(/[.]/g, '\\.')} was denied: User: arn:aws:iam::123456789012:user/sandbox is not authorized to perform: sts:AssumeRole on resource: ${closedRole}`));
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('a 5xx HTML page from a proxy is reported as such, naming the call and the endpoint (not as a JSON parse error)', async () => {
    const srv = createServer((req, res) => {
      req.resume().on('end', () => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>');
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    try {
      const clients = awsClients({ region: 'us-east-1', endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
      await expect(readLiveState(clients, { prefix: 'charter', specName: 'x', roleNames: [], profileNames: [], policyNames: [] })).rejects.toThrow(
        `sts:GetCallerIdentity failed at ${endpoint}: the endpoint answered HTTP 502 (text/html), not an AWS response (a proxy or gateway in front of it, or the wrong URL?)`,
      );
      const e = explainAwsError(Object.assign(new SyntaxError(`Unexpected token '<', "<html>" is not valid JSON`), { $metadata: { httpStatusCode: 503 }, $response: { statusCode: 503, headers: { 'content-type': 'text/html; charset=utf-8' } } }), 'access-analyzer:ValidatePolicy', '', endpoint);
      expect(e.message).toBe(`access-analyzer:ValidatePolicy failed at ${endpoint}: the endpoint answered HTTP 503 (text/html), not an AWS response (a proxy or gateway in front of it, or the wrong URL?)`);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});

describe('reap without credentials, and a bad --region', () => {
  it("reap without credentials gets plan's message (naming its call), not the SDK's bare one", async () => {
    const env = cleanEnv(files('[profile unused]\nregion = us-east-1\n'));
    const plan = await charter(['plan', SPEC, '--region', 'us-east-1'], { cwd: dir, env });
    const reap = await charter(['reap', '--dry-run', '--region', 'us-east-1'], { cwd: dir, env });
    expect(plan.code).toBe(1);
    expect(reap.code).toBe(1);
    const advice = (s: string) => s.replace(/^error: no AWS credentials for \S+: /, '');
    expect(plan.stderr).toMatch(/^error: no AWS credentials for sts:GetCallerIdentity: /);
    expect(reap.stderr).toMatch(/^error: no AWS credentials for ec2:DescribeInstances: /);
    expect(advice(reap.stderr)).toBe(advice(plan.stderr));
    expect(reap.stderr).toContain('or try --sandbox');
  });

  it.each([
    [['plan', SPEC, '--sandbox', '--region', 'nowhere-1'], '--region "nowhere-1" is not an AWS region name  (e.g. us-east-1, eu-west-2)'],
    [['plan', SPEC, '--sandbox', '--region', 'us-wset-2'], '--region "us-wset-2" is not an AWS region name  (did you mean us-west-2?)'],
    [['apply', SPEC, '--sandbox', '--auto-approve', '--region', 'US-EAST-1'], '--region "US-EAST-1" is not an AWS region name  (did you mean us-east-1?)'],
    [['reap', '--dry-run', '--sandbox', '--region', 'eu west 1'], '--region "eu west 1" is not an AWS region name  (did you mean eu-west-1?)'],
    [['lint', SPEC, '--access-analyzer', '--sandbox', '--region', 'x'], '--region "x" is not an AWS region name  (e.g. us-east-1, eu-west-2)'],
  ])('%j: exit 2, one line, nothing started', async (args, line) => {
    const r = await charter(args, { cwd: dir });
    expect(r.stderr).toBe(`${line}\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('AWS_REGION is checked the same way, named as the variable; a well-formed region charter does not list is taken as given', async () => {
    const r = await charter(['reap', '--dry-run', '--sandbox'], { cwd: dir, env: cleanEnv({ AWS_REGION: 'moon' }) });
    expect(r.stderr).toBe('AWS_REGION "moon" is not an AWS region name  (e.g. us-east-1, eu-west-2)\n');
    expect(r.code).toBe(2);
    expect(resolveRegion('us-east-9', undefined, {})).toBe('us-east-9');
    expect(KNOWN_REGIONS.filter((r) => resolveRegion(r, undefined, {}) !== r)).toEqual([]);
    expect(resolveRegion(undefined, undefined, { AWS_DEFAULT_REGION: 'us-gov-west-1' })).toBe('us-gov-west-1');
    expect(resolveRegion(undefined, undefined, {})).toBe('us-east-1');
  });
});

describe('dummy credentials only with --sandbox, never because an endpoint is on loopback', () => {
  const STACK = /^\s+at \S/m;
  const ownSandbox = () => startSandbox({ region: 'us-east-1', accountId: '123456789012', callers: { AKIADEFAULTPROFILE01: 'arn:aws:iam::210987654321:user/me', AKIAPROFILEKEY000001: 'arn:aws:iam::210987654321:user/sb' } });
  function specWithoutAccount(d: string): string {
    const spec = join(d, 'spec.yaml');
    writeFileSync(spec, readFileSync(SPEC, 'utf8').replace(/^account: .*\n/m, ''));
    return spec;
  }

  it('a loopback --endpoint with a [default] profile in the shared files: those keys, and only those, reach the sandbox', async () => {
    const own = await ownSandbox();
    try {
      const d = mkdtempSync(join(dir, 'own-'));
      writeFileSync(join(d, 'credentials'), '[default]\naws_access_key_id = AKIADEFAULTPROFILE01\naws_secret_access_key = s\n');
      writeFileSync(join(d, 'config'), '[default]\nregion = us-east-1\n');
      const env = { AWS_CONFIG_FILE: join(d, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(d, 'credentials') };
      const mine = await charter(['plan', specWithoutAccount(d), '--endpoint', own.endpoint], { cwd: d, env: cleanEnv(env) });
      expect(mine.code, mine.stderr).toBe(0);
      expect(mine.stdout).toMatch(/account 210987654321/);
      expect(Object.keys(own.stats().accessKeys)).toEqual(['AKIADEFAULTPROFILE01']);
      expect((await resolveEndpoint({ endpoint: own.endpoint }, 'us-east-1', env)).options.credentials).toBeUndefined();
    } finally {
      await own.stop();
    }
  });

  it('a loopback --endpoint with --profile P: P\'s keys reach the sandbox, not dummy ones', async () => {
    const own = await ownSandbox();
    try {
      const d = mkdtempSync(join(dir, 'own-'));
      const r = await charter(['plan', specWithoutAccount(d), '--endpoint', own.endpoint, '--profile', 'sb'], { cwd: d, env: cleanEnv(files('[profile sb]\nregion = us-east-1\n')) });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/account 210987654321/);
      expect(Object.keys(own.stats().accessKeys)).toEqual(['AKIAPROFILEKEY000001']);
    } finally {
      await own.stop();
    }
  });

  it.each([
    ['--endpoint', (endpoint: string) => [['--endpoint', endpoint], {}] as const],
    ['AWS_ENDPOINT_URL', (endpoint: string) => [[], { AWS_ENDPOINT_URL: endpoint }] as const],
  ])('a loopback %s and no credentials anywhere: plan\'s "no AWS credentials" message, exit 1, nothing signed reaches the sandbox', async (_how, how) => {
    const own = await ownSandbox();
    try {
      const d = mkdtempSync(join(dir, 'none-'));
      const [flags, extra] = how(own.endpoint);
      const none = { AWS_CONFIG_FILE: join(d, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(d, 'none'), ...extra };
      for (const cmd of [['plan', specWithoutAccount(d)], ['apply', specWithoutAccount(d), '--auto-approve']]) {
        const r = await charter([...cmd, ...flags], { cwd: d, env: cleanEnv(none) });
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(/^error: no AWS credentials for \S+: .*Give charter credentials: a profile that has them .* or try --sandbox\n$/);
        expect(r.stderr).not.toMatch(STACK);
        expect(r.stderr).not.toMatch(/signature/i);
      }
      expect(own.stats().accessKeys).toEqual({});
      expect(own.stats().writes).toBe(0);
      expect((await resolveEndpoint({ endpoint: own.endpoint }, 'us-east-1', none)).options.credentials).toBeUndefined();
      expect((await resolveEndpoint({}, 'us-east-1', none)).options.credentials).toBeUndefined();
      // --sandbox keeps its dummy keys, with or without credentials of the caller's own.
      for (const env of [none, { ...none, AWS_ACCESS_KEY_ID: 'AKIAPROFILEKEY000001', AWS_SECRET_ACCESS_KEY: 's' }]) {
        const embedded = await resolveEndpoint({ sandbox: true, sandboxState: false }, 'us-east-1', env);
        try {
          expect(embedded.options.credentials).toEqual(SANDBOX_CREDENTIALS);
        } finally {
          await embedded.close();
        }
      }
    } finally {
      await own.stop();
    }
  });
});

describe('a failed apply step names its call when the error itself cannot', () => {
  it("a proxy's HTML 403 page on iam:CreateRole: the step says so, naming the call (not an IAM denial, not 'Unknown')", async () => {
    // A proxy in front of the sandbox that refuses CreateRole with an HTML page, as a corporate proxy or WAF does.
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        const body = Buffer.concat(chunks);
        if (body.toString().includes('Action=CreateRole&')) {
          res.writeHead(403, { 'content-type': 'text/html' });
          res.end('<html><body><h1>403 Forbidden</h1>Request blocked by policy</body></html>');
          return;
        }
        const up = new URL(sb.endpoint);
        const fwd = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        fwd.end(body);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const d = mkdtempSync(join(dir, 'proxy-'));
      const r = await charter(['apply', join(ROOT, 'fixtures', 'ml-research.yaml'), '--endpoint', endpoint, '--auto-approve'], { cwd: d, env: sandboxEnv({ AWS_CONFIG_FILE: join(d, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(d, 'none') }) });
      expect(r.code).toBe(1);
      const failed = r.stdout.split('\n').filter((l) => l.startsWith('  ✗ '));
      expect(failed.length).toBeGreaterThan(0);
      for (const l of failed) expect(l.endsWith(`: iam:CreateRole failed at ${endpoint}: the endpoint answered HTTP 403 (text/html), not an AWS response (a proxy or gateway in front of it, or the wrong URL?)`)).toBe(true);
      expect(r.stdout + r.stderr).not.toMatch(/Unknown|access denied/);
    } finally {
      await new Promise((res) => proxy.close(res));
    }
  });
});
