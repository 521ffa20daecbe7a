/**
 * The sandbox's STS over real HTTP with the SDK: AssumeRole and AssumeRoleWithWebIdentity evaluate
 * the target role's trust policy (principal, ExternalId, MFA, OIDC aud/sub), on trusts charter
 * compiles from fixtures; issued credentials are their session (GetCallerIdentity); trust
 * principals may name any well-formed account unless a strict knownAccounts list is given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { EXAMPLE_ACCOUNTS } from '../src/sandbox/context.js';
import { awsError, harness, trustDoc, type Harness } from './sandbox-helpers.js';

let h: Harness;
const ALICE = { accessKeyId: 'AKIAALICE00000000001', secretAccessKey: 'x' };
const sts = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => new STSClient({ region: 'us-east-1', endpoint: h.sb.endpoint, credentials, maxAttempts: 1 });
const roleArns: Record<string, string> = {};

/** A JWT as GitHub's OIDC issuer sends it (the sandbox reads the payload; the signature is not checked). */
function jwt(claims: Record<string, unknown>): string {
  const b = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b({ alg: 'RS256', typ: 'JWT' })}.${b({ iss: 'https://token.actions.githubusercontent.com', aud: 'sts.amazonaws.com', exp: Math.floor(Date.now() / 1000) + 600, ...claims })}.c2ln`;
}

beforeAll(async () => {
  h = await harness({ accountId: '123456789012', callers: { [ALICE.accessKeyId]: 'arn:aws:iam::111111111111:user/alice' } }, 1);
  // The roles charter compiles: an OIDC deploy trust and a cross-account trust with ExternalId + MFA.
  for (const f of ['fixtures/github-actions-deploy.yaml', 'fixtures/ml-research.yaml']) {
    const b = await compileSpec(loadSpecFile(f));
    for (const r of b.roles) {
      const out = await h.iam.send(new CreateRoleCommand({ RoleName: r.name, Path: r.path, AssumeRolePolicyDocument: JSON.stringify(r.trust.document) }));
      roleArns[`${f}:${r.service}`] = out.Role!.Arn!;
    }
  }
});
afterAll(async () => {
  await h.sb.stop();
});

describe('sts:AssumeRole evaluates the trust policy', () => {
  const deployer = () => roleArns['fixtures/ml-research.yaml:deployer']!;

  it('cross-account trust with ExternalId and MFA: each condition is required', async () => {
    const alice = sts(ALICE);
    const base = { RoleArn: deployer(), RoleSessionName: 'ci' };
    const denied = { name: 'AccessDenied', message: `User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${deployer()}` };
    expect(await awsError(alice.send(new AssumeRoleCommand(base)))).toMatchObject(denied);
    expect(await awsError(alice.send(new AssumeRoleCommand({ ...base, ExternalId: 'x-123' })))).toMatchObject(denied);
    expect(await awsError(alice.send(new AssumeRoleCommand({ ...base, SerialNumber: 'arn:aws:iam::111111111111:mfa/alice', TokenCode: '123456' })))).toMatchObject(denied);
    expect(await awsError(alice.send(new AssumeRoleCommand({ ...base, ExternalId: 'wrong', SerialNumber: 'arn:aws:iam::111111111111:mfa/alice', TokenCode: '123456' })))).toMatchObject(denied);
    const ok = await alice.send(new AssumeRoleCommand({ ...base, ExternalId: 'x-123', SerialNumber: 'arn:aws:iam::111111111111:mfa/alice', TokenCode: '123456' }));
    expect(ok.AssumedRoleUser!.Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/charter-ml-research-deployer\/ci$/);
    expect(ok.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(ok.Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now());
    // The issued credentials are that session.
    const who = await sts({ accessKeyId: ok.Credentials!.AccessKeyId!, secretAccessKey: ok.Credentials!.SecretAccessKey!, sessionToken: ok.Credentials!.SessionToken! }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(ok.AssumedRoleUser!.Arn);
    expect(who.Account).toBe('123456789012');
  });

  it('a caller the trust does not name, a service trust, a missing role: AccessDenied; bad parameters: ValidationError', async () => {
    // The default caller is the sandbox's own user/sandbox: not account 111111111111.
    expect(await awsError(h.sts.send(new AssumeRoleCommand({ RoleArn: deployer(), RoleSessionName: 'ci', ExternalId: 'x-123', SerialNumber: 'arn:aws:iam::123456789012:mfa/s', TokenCode: '123456' })))).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('User: arn:aws:iam::123456789012:user/sandbox is not authorized') });
    expect(await awsError(sts(ALICE).send(new AssumeRoleCommand({ RoleArn: roleArns['fixtures/ml-research.yaml:trainer']!, RoleSessionName: 'ci' })))).toMatchObject({ name: 'AccessDenied' });
    expect(await awsError(sts(ALICE).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/nope', RoleSessionName: 'ci' })))).toMatchObject({ name: 'AccessDenied' });
    expect(await awsError(sts(ALICE).send(new AssumeRoleCommand({ RoleArn: deployer(), RoleSessionName: 'a b' })))).toMatchObject({ name: 'ValidationError' });
    expect(await awsError(sts(ALICE).send(new AssumeRoleCommand({ RoleArn: deployer(), RoleSessionName: 'ci', DurationSeconds: 43200, ExternalId: 'x-123', SerialNumber: 'arn:aws:iam::111111111111:mfa/alice', TokenCode: '123456' })))).toMatchObject({ name: 'ValidationError', message: expect.stringContaining('MaxSessionDuration') });
  });

  it('an explicit Deny wins; a role ARN or account id principal admits its caller', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringLike: { 'sts:RoleSessionName': 'blocked-*' } } },
    ] });
    const arn = (await h.iam.send(new CreateRoleCommand({ RoleName: 'denies', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    expect((await sts(ALICE).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'fine' }))).AssumedRoleUser!.Arn).toBe('arn:aws:sts::123456789012:assumed-role/denies/fine');
    expect(await awsError(sts(ALICE).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'blocked-1' })))).toMatchObject({ name: 'AccessDenied' });
  });
});

describe('sts:AssumeRoleWithWebIdentity evaluates the OIDC trust (aud, sub)', () => {
  const deployer = () => roleArns['fixtures/github-actions-deploy.yaml:deployer']!;
  const anon = () => new STSClient({ region: 'us-east-1', endpoint: h.sb.endpoint, maxAttempts: 1, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
  const assume = (token: string) => anon().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: deployer(), RoleSessionName: 'gha', WebIdentityToken: token }));

  it('the subjects the spec names are admitted, others are not', async () => {
    for (const sub of ['repo:example-org/web:ref:refs/heads/main', 'repo:example-org/web:environment:production']) {
      const ok = await assume(jwt({ sub }));
      expect(ok.SubjectFromWebIdentityToken).toBe(sub);
      expect(ok.Provider).toBe('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com');
      expect(ok.Audience).toBe('sts.amazonaws.com');
      expect(ok.AssumedRoleUser!.Arn).toMatch(/assumed-role\/charter-deploy-deployer\/gha$/);
    }
    const denied = { name: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' };
    expect(await awsError(assume(jwt({ sub: 'repo:example-org/web:ref:refs/heads/feature' })))).toMatchObject(denied);
    expect(await awsError(assume(jwt({ sub: 'repo:other-org/web:ref:refs/heads/main' })))).toMatchObject(denied);
    expect(await awsError(assume(jwt({ sub: 'repo:example-org/web:ref:refs/heads/main', aud: 'https://github.com/example-org' })))).toMatchObject(denied);
    expect(await awsError(assume(jwt({ sub: 'repo:example-org/web:ref:refs/heads/main', iss: 'https://gitlab.com' })))).toMatchObject(denied);
  });

  it('an expired or malformed token', async () => {
    expect(await awsError(assume(jwt({ sub: 'repo:example-org/web:ref:refs/heads/main', exp: Math.floor(Date.now() / 1000) - 60 })))).toMatchObject({ name: 'ExpiredTokenException' });
    expect(await awsError(assume('not-a-jwt'))).toMatchObject({ name: 'InvalidIdentityTokenException' });
  });
});

describe('trust principals in other accounts', () => {
  it('any well-formed account id by default; a strict knownAccounts list rejects the others', async () => {
    await h.iam.send(new CreateRoleCommand({ RoleName: 'any-account', AssumeRolePolicyDocument: trustDoc({ AWS: 'arn:aws:iam::999988887777:root' }) }));
    const strict = await harness({ knownAccounts: EXAMPLE_ACCOUNTS }, 1);
    try {
      const e = await awsError(strict.iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: trustDoc({ AWS: 'arn:aws:iam::999988887777:root' }) })));
      expect(e).toMatchObject({ name: 'MalformedPolicyDocumentException', message: 'Invalid principal in policy: "AWS":"arn:aws:iam::999988887777:root"' });
    } finally {
      await strict.sb.stop();
    }
  });
});
