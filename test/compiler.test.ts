import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { writeBundleDir } from '../src/compiler/output.js';
import { InputError } from '../src/diagnostics.js';
import { asList, policySize, prettyJson, sha256Hex } from '../src/policy/canonical.js';
import type { Bundle, Role } from '../src/compiler/types.js';
import type { PolicyStatement } from '../src/policy/types.js';

const head = 'version: 1\nname: demo\nregion: us-east-1\n';
const withAccount = head + 'account: "123456789012"\n';

async function compile(text: string, path = 'spec.yaml'): Promise<Bundle> {
  return compileSpec(parseSpec(text, path));
}

/** Problems as "line:col message". */
async function problems(text: string, path = 'spec.yaml'): Promise<string[]> {
  try {
    await compile(text, path);
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => `${p.pos?.line}:${p.pos?.col} ${p.message}`);
    throw e;
  }
  return [];
}

function role(b: Bundle, service: string): Role {
  const r = b.roles.find((x) => x.service === service);
  if (!r) throw new Error(`no role ${service}`);
  return r;
}

function stmts(r: Role): PolicyStatement[] {
  return r.inline.flatMap((p) => p.document.Statement);
}

function resourcesOf(r: Role, action: string): string[] {
  return stmts(r)
    .filter((s) => asList(s.Action).includes(action))
    .flatMap((s) => asList(s.Resource));
}

describe('built-in templates and scoping', () => {
  it('unscoped built-ins compile to Resource "*"', async () => {
    const b = await compile(head + 'services:\n  app:\n    policies: [s3:ReadOnly]\n    trust: [ec2]\n');
    expect(stmts(role(b, 'app'))).toEqual([
      { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'], Resource: '*' },
    ]);
  });

  it('scopes each action to the ARNs of the resource types it accepts', async () => {
    const b = await compile(
      head +
        'services:\n  app:\n    policies: [s3:ReadOnly, s3:WriteOnly]\n    scope: { s3: ["arn:aws:s3:::data", "arn:aws:s3:::data/*"] }\n    trust: [ec2]\n',
    );
    const r = role(b, 'app');
    expect(resourcesOf(r, 's3:ListBucket')).toEqual(['arn:aws:s3:::data']);
    expect(resourcesOf(r, 's3:GetBucketLocation')).toEqual(['arn:aws:s3:::data']);
    expect(resourcesOf(r, 's3:GetObject')).toEqual(['arn:aws:s3:::data/*']);
    expect(resourcesOf(r, 's3:PutObject')).toEqual(['arn:aws:s3:::data/*']);
    expect(stmts(r).some((s) => asList(s.Resource).includes('*'))).toBe(false);
  });

  it('keeps wildcard-only actions on "*" in a statement of their own', async () => {
    const b = await compile(
      withAccount + 'services:\n  app:\n    policies: [ecr:ReadOnly]\n    scope: { ecr: ["arn:aws:ecr:us-east-1:123456789012:repository/web"] }\n    trust: [ec2]\n',
    );
    const s = stmts(role(b, 'app'));
    const star = s.filter((x) => x.Resource === '*');
    expect(star).toEqual([{ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' }]);
    expect(resourcesOf(role(b, 'app'), 'ecr:BatchGetImage')).toEqual(['arn:aws:ecr:us-east-1:123456789012:repository/web']);
  });

  it('refuses to widen: an action no scope ARN fits is an error at the scope line', async () => {
    const p = await problems(head + 'services:\n  app:\n    policies: [s3:ReadOnly]\n    scope: { s3: ["arn:aws:s3:::data"] }\n    trust: [ec2]\n');
    expect(p).toContain('7:18 scope for s3 gives no ARN that s3:GetObject accepts (built-in s3:ReadOnly)');
  });

  it('reports a scope key that scopes no built-in, with did-you-mean', async () => {
    const p = await problems(head + 'services:\n  app:\n    policies: [s3:ReadOnly]\n    scope: { s4: ["arn:aws:s3:::data"] }\n    trust: [ec2]\n');
    expect(p).toContain('7:14 scope "s4" scopes none of this service\'s built-ins');
  });

  it('an ARN matching no resource type of the service is reported', async () => {
    const p = await problems(head + 'services:\n  app:\n    policies: [s3:ReadOnly]\n    scope: { s3: ["arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:s3:::d", "arn:aws:s3:::d/*"] }\n    trust: [ec2]\n');
    expect(p[0]).toMatch(/^7:19 scope ARN "arn:aws:sqs:us-east-1:123456789012:q" matches no s3 resource type/);
  });
});

describe('placeholders and user templates', () => {
  const tpl =
    'templates:\n' +
    '  bucket-read:\n' +
    '    params: [bucket, { name: prefixes, type: list, default: ["in"] }, { name: key, type: arn }]\n' +
    '    statements:\n' +
    '      - actions: [s3:GetObject]\n' +
    '        resources: ["arn:{partition}:s3:::{bucket}/{prefixes}/*"]\n' +
    '      - actions: [kms:Decrypt]\n' +
    '        resources: ["{key}"]\n' +
    '        conditions: { StringEquals: { "kms:ViaService": "s3.{region}.amazonaws.com" } }\n';

  it('resolves params, list params and built-in placeholders', async () => {
    const b = await compile(
      withAccount + tpl + 'services:\n  app:\n    use: [{ template: bucket-read, bucket: b1, prefixes: [x, y], key: "arn:aws:kms:us-east-1:{accountId}:key/k" }]\n    trust: [ec2]\n',
    );
    const r = role(b, 'app');
    expect(resourcesOf(r, 's3:GetObject')).toEqual(['arn:aws:s3:::b1/x/*', 'arn:aws:s3:::b1/y/*']);
    const kms = stmts(r).find((s) => s.Action === 'kms:Decrypt')!;
    expect(kms.Resource).toBe('arn:aws:kms:us-east-1:123456789012:key/k');
    expect(kms.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
  });

  it('an unresolved {accountId} is an error at its line', async () => {
    const p = await problems(head + 'services:\n  app:\n    statements:\n      - actions: [sqs:SendMessage]\n        resources: ["arn:aws:sqs:{region}:{accountId}:q"]\n    trust: [ec2]\n');
    expect(p).toEqual(['8:21 unresolved placeholder {accountId}']);
  });

  it('leaves IAM policy variables ${...} alone', async () => {
    const b = await compile(head + 'services:\n  app:\n    statements:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::home/${aws:username}/*"]\n    trust: [ec2]\n');
    expect(resourcesOf(role(b, 'app'), 's3:GetObject')).toEqual(['arn:aws:s3:::home/${aws:username}/*']);
  });

  it('reports missing, unknown and mistyped params', async () => {
    const p = await problems(withAccount + tpl + 'services:\n  app:\n    use: [{ template: bucket-read, buckt: b1, key: not-an-arn }]\n    trust: [ec2]\n');
    expect(p).toContain('16:11 template bucket-read needs param "bucket"');
    expect(p).toContain('16:36 template bucket-read has no param "buckt"');
    expect(p.some((x) => x.startsWith('16:52 param key must be an ARN'))).toBe(true);
  });

  it('an unresolved placeholder in a template points at the template line', async () => {
    const p = await problems(
      head + 'templates:\n  t:\n    statements:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::{bucket}"]\n' + 'services:\n  app:\n    use: [{ template: t }]\n    trust: [ec2]\n',
    );
    expect(p[0]).toMatch(/^8:21 unresolved placeholder \{bucket\} in template t/);
  });
});

describe('division of labour with the linter', () => {
  it('IAM grammar (Sid characters, ARN syntax, duplicate Sids) compiles: the linter reports it with rule ids', async () => {
    const b = await compile(
      head + 'services:\n  app:\n    trust: [ec2]\n    statements:\n      - sid: "Read-All"\n        actions: [s3:GetObject]\n        resources: ["bucket/*"]\n',
    );
    expect(stmts(role(b, 'app'))).toEqual([{ Sid: 'Read-All', Effect: 'Allow', Action: 's3:GetObject', Resource: 'bucket/*' }]);
  });
});

describe('trust', () => {
  it('maps short names, keeps full principals, adds aws:SourceAccount when the account is known, for the services that send it', async () => {
    const b = await compile(withAccount + 'services:\n  app:\n    trust: [ec2, lambda, build.apprunner.amazonaws.com]\n');
    // compute principals acting only for their own account: no SourceAccount (EC2 would not get credentials)
    expect(role(b, 'app').trust.document.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: ['build.apprunner.amazonaws.com', 'ec2.amazonaws.com', 'lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
    ]);
    const mixed = await compile(withAccount + 'services:\n  app:\n    trust: [ec2, events, states.amazonaws.com]\n');
    expect(role(mixed, 'app').trust.document.Statement).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'states.amazonaws.com'] }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } },
      ]),
    );
    expect(role(mixed, 'app').trust.document.Statement).toHaveLength(2);
    const named = await compile(withAccount + 'trust:\n  sched:\n    services: [scheduler, ec2]\n    conditions: { StringLike: { "aws:SourceArn": "arn:aws:scheduler:*:{accountId}:schedule/*" } }\nservices:\n  app:\n    trust: [sched]\n');
    const like = { StringLike: { 'aws:SourceArn': 'arn:aws:scheduler:*:123456789012:schedule/*' } };
    expect(role(named, 'app').trust.document.Statement).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: like },
        { Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { ...like, StringEquals: { 'aws:SourceAccount': '123456789012' } } },
      ]),
    );
    const b2 = await compile(head + 'services:\n  app:\n    trust: [ec2]\n');
    expect(role(b2, 'app').trust.document.Statement[0]!.Condition).toBeUndefined();
  });

  it('named trusts: ExternalId, MFA and GitHub OIDC', async () => {
    const b = await compile(
      withAccount +
        'trust:\n' +
        '  partner: { aws: ["210987654321"], externalId: ext-1, mfa: true }\n' +
        '  github:\n' +
        '    federated: { provider: token.actions.githubusercontent.com, subjects: ["repo:org/app:ref:refs/heads/main"] }\n' +
        'services:\n  deploy:\n    trust: [partner, github]\n',
    );
    const st = role(b, 'deploy').trust.document.Statement;
    expect(st).toContainEqual({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::210987654321:root' },
      Action: 'sts:AssumeRole',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'sts:ExternalId': 'ext-1' } },
    });
    expect(st).toContainEqual({
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/app:ref:refs/heads/main' },
      },
    });
  });

  it('a federated trust without subjects, or without an account for its provider ARN, is an error', async () => {
    const p = await problems(head + 'trust:\n  gh:\n    federated: { provider: token.actions.githubusercontent.com }\nservices:\n  d:\n    trust: [gh]\n');
    expect(p.some((x) => x.includes('needs the account ID'))).toBe(true);
    expect(p.some((x) => x.includes('needs subjects'))).toBe(true);
  });

  it('a service with no trust and no instances is an error; used by instances it defaults to ec2', async () => {
    expect(await problems(head + 'services:\n  app:\n    policies: [s3:ReadOnly]\n')).toEqual(['5:3 service app has no trust: nothing could assume its role']);
  });

  it('a service that instances use must trust ec2', async () => {
    const p = await problems(head + 'services:\n  app:\n    trust: [lambda]\ninstances:\n  g:\n    service: app\n    type: t3.micro\n    image: ami-12345678\n');
    expect(p).toEqual(['6:12 service app gets an instance profile (instances use it) but its trust does not include ec2: instances could not assume the role']);
  });
});

describe('roles: names, tags, sharing', () => {
  it('names roles {prefix}-{spec}-{service} by default: the same name across edits, the content hash as a tag', async () => {
    const b = await compile(head + 'prefix: team\nservices:\n  short:\n    policies: [s3:ReadOnly]\n    trust: [ec2]\n');
    const edited = await compile(head + 'prefix: team\nservices:\n  short:\n    policies: [s3:ReadOnly, logs:WriteOnly]\n    trust: [ec2]\n');
    expect(role(b, 'short')).toMatchObject({ name: 'team-demo-short', naming: 'stable' });
    expect(role(edited, 'short').name).toBe('team-demo-short');
    expect(role(edited, 'short').hash).not.toBe(role(b, 'short').hash);
    expect(role(b, 'short').tags['team:hash']).toBe(role(b, 'short').hash.slice(0, 8));
    expect(role(edited, 'short').tags['team:hash']).toBe(role(edited, 'short').hash.slice(0, 8));
    expect(b.instanceProfiles).toEqual([]);
  });

  it('a stable name past 64 characters is cut and ends in a hash of the full name: deterministic, and distinct for names that share a beginning', async () => {
    const long = 'a'.repeat(70);
    const b = await compile(head + `prefix: team\nservices:\n  ${long}:\n    trust: [ec2]\n  ${long}b:\n    trust: [ec2]\n`);
    const again = await compile(head + `prefix: team\nservices:\n  ${long}:\n    trust: [ec2]\n    policies: [s3:ReadOnly]\n  ${long}b:\n    trust: [ec2]\n`);
    const r = role(b, long);
    expect(r.name.length).toBe(64);
    expect(r.name).toMatch(/^team-demo-a+-[0-9a-f]{8}$/);
    expect(r.name.endsWith(sha256Hex(`team-demo-${long}`).slice(0, 8))).toBe(true);
    expect(role(b, `${long}b`).name).toHaveLength(64);
    expect(role(b, `${long}b`).name).not.toBe(r.name);
    expect(role(again, long).name).toBe(r.name); // content is not part of it
  });

  it('naming: content (spec or service) names roles {prefix}-{service}-{hash8}, truncating the service part to 64 characters; an explicit name wins', async () => {
    const long = 'a'.repeat(70);
    const b = await compile(head + `prefix: team\nnaming: content\nservices:\n  ${long}:\n    trust: [ec2]\n  short:\n    trust: [ec2]\n  kept:\n    naming: stable\n    trust: [ec2]\n  named:\n    name: my-role\n    naming: content\n    trust: [ec2]\n`);
    const r = role(b, long);
    expect(r.naming).toBe('content');
    expect(r.name.length).toBe(64);
    expect(r.name).toMatch(/^team-a+-[0-9a-f]{8}$/);
    expect(r.name.endsWith(r.hash.slice(0, 8))).toBe(true);
    expect(role(b, 'short').name).toBe(`team-short-${role(b, 'short').hash.slice(0, 8)}`);
    expect(role(b, 'kept')).toMatchObject({ name: 'team-demo-kept', naming: 'stable' });
    expect(role(b, 'named')).toMatchObject({ name: 'my-role', naming: 'explicit' });
    const svc = await compile(head + 'services:\n  a:\n    naming: content\n    trust: [ec2]\n  b:\n    trust: [ec2]\n');
    expect(role(svc, 'a').name).toBe(`charter-a-${role(svc, 'a').hash.slice(0, 8)}`);
    expect(role(svc, 'b').name).toBe('charter-demo-b');
  });

  it('naming takes only stable or content', async () => {
    const p = await problems(head + 'naming: hashed\nservices:\n  a:\n    trust: [ec2]\n');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^4:9 /);
  });

  it('two services with identical content are two roles with different names', async () => {
    const b = await compile(head + 'services:\n  a:\n    policies: [s3:ReadOnly]\n    trust: [ec2]\n  b:\n    policies: [s3:ReadOnly]\n    trust: [ec2]\n');
    expect(role(b, 'a').hash).toBe(role(b, 'b').hash);
    expect(role(b, 'a').name).not.toBe(role(b, 'b').name);
  });

  it('an explicit name used twice is an error', async () => {
    const p = await problems(head + 'services:\n  a:\n    name: shared\n    trust: [ec2]\n  b:\n    name: shared\n    trust: [ec2]\n');
    expect(p).toEqual(['8:3 services a and b would both be role "shared"']);
  });

  it('a job array shares one role and one instance profile', async () => {
    const b = await compile(
      head +
        'services:\n  worker:\n    policies: [s3:ReadOnly]\n' +
        'instances:\n  jobs:\n    service: worker\n    type: m7i.large\n    image: ami-12345678\n    count: 8\n' +
        '  more:\n    service: worker\n    type: m7i.large\n    image: ami-12345678\n',
    );
    expect(b.roles).toHaveLength(1);
    expect(b.instanceProfiles).toHaveLength(1);
    expect(b.instanceProfiles[0]!.name).toBe(b.roles[0]!.name);
    expect(b.roles[0]!.trust.document.Statement[0]!.Principal).toEqual({ Service: 'ec2.amazonaws.com' });
  });

  it('tags: spec, service and managed tags; reserved keys refused', async () => {
    const b = await compile(head + 'tags: { team: ml, env: dev }\nservices:\n  app:\n    trust: [ec2]\n    tags: { env: prod }\n');
    const r = role(b, 'app');
    expect(r.tags).toEqual({
      'charter:created-by': 'charter',
      'charter:hash': r.hash.slice(0, 8),
      'charter:managed': 'true',
      'charter:service': 'app',
      'charter:spec': 'demo',
      env: 'prod',
      team: 'ml',
    });
    expect(Object.keys(r.tags)).toEqual(Object.keys(r.tags).sort());
    const p = await problems(head + 'tags: { "charter:managed": "false" }\nservices:\n  app:\n    trust: [ec2]\n');
    expect(p[0]).toMatch(/^4:9 tag key "charter:managed" is reserved/);
  });

  it('carries managed ARNs, boundary, path and session duration into the role and its hash', async () => {
    const base =
      withAccount +
      'services:\n  app:\n    trust: [ec2]\n    managed: ["arn:{partition}:iam::aws:policy/ReadOnlyAccess"]\n    permissionsBoundary: "arn:aws:iam::{accountId}:policy/boundary"\n    path: /apps/\n    maxSessionDuration: 7200\n';
    const r = role(await compile(base), 'app');
    expect(r.managed.map((m) => m.arn)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(r.permissionsBoundary).toBe('arn:aws:iam::123456789012:policy/boundary');
    expect(r.path).toBe('/apps/');
    expect(r.maxSessionDuration).toBe(7200);
    const r2 = role(await compile(base.replace('7200', '3600')), 'app');
    expect(r2.hash).not.toBe(r.hash);
  });

  it('every statement carries an origin pointing at the spec line that produced it', async () => {
    const b = await compile(
      withAccount + 'services:\n  app:\n    policies: [s3:ReadOnly]\n    statements:\n      - actions: [sqs:SendMessage]\n        resources: ["arn:aws:sqs:us-east-1:123456789012:q"]\n    trust: [ec2]\n',
    );
    const r = role(b, 'app');
    for (const doc of [r.trust, ...r.inline]) {
      expect(doc.origins).toHaveLength(doc.document.Statement.length);
      for (const o of doc.origins) expect(o.pos[0]!.file).toBe('spec.yaml');
    }
    const i = r.inline[0]!.document.Statement.findIndex((s) => s.Action === 'sqs:SendMessage');
    expect(r.inline[0]!.origins[i]).toEqual({ pos: [{ file: 'spec.yaml', line: 9, col: 9 }], from: ['statements[0]'] });
    expect(r.trust.origins[0]!.pos[0]!.line).toBe(11);
  });
});

describe('policy files', () => {
  function dir(files: Record<string, string>): string {
    const d = mkdtempSync(join(tmpdir(), 'charter-pf-'));
    for (const [k, v] of Object.entries(files)) {
      mkdirSync(join(d, k, '..'), { recursive: true });
      writeFileSync(join(d, k), v);
    }
    return d;
  }
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' }] }, null, 2);

  it('loads, canonicalises and hashes by content, not path; origins point into the file', async () => {
    const d = dir({ 'a.json': doc, 'sub/b.json': doc });
    const spec = (f: string) => head + `services:\n  app:\n    policyFiles: [${f}]\n    trust: [ec2]\n`;
    const a = await compileSpec(parseSpec(spec('a.json'), join(d, 'spec.yaml')));
    const b = await compileSpec(parseSpec(spec('sub/b.json'), join(d, 'spec.yaml')));
    expect(role(a, 'app').inline[0]!.hash).toBe(role(b, 'app').inline[0]!.hash);
    expect(role(a, 'app').inline[0]!.document.Statement).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]);
    const o = role(a, 'app').inline[0]!.origins[0]!;
    expect(o.pos[0]).toEqual({ file: join(d, 'a.json'), line: 4, col: 5 });
  });

  it('a JSON syntax error is reported at its line in the file', async () => {
    const d = dir({ 'p.json': '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow" "Action": "s3:GetObject" }\n  ]\n}\n' });
    const p = await problems(head + 'services:\n  app:\n    policyFiles: [p.json]\n    trust: [ec2]\n', join(d, 'spec.yaml'));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^4:\d+ policy file: JSON syntax/);
  });

  it('reports problems at their line in the JSON file', async () => {
    const bad = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*" },\n    { "Effect": "Alow", "Action": "s3:GetObject", "Resource": "*" }\n  ]\n}\n';
    const d = dir({ 'p.json': bad });
    const p = await problems(head + 'services:\n  app:\n    policyFiles: [p.json, missing.json]\n    trust: [ec2]\n', join(d, 'spec.yaml'));
    // Quoted scalars are positioned at their opening quote (src/spec/yaml.ts).
    expect(p).toContain('4:26 unknown statement key "Principal"');
    expect(p).toContain('5:17 Effect must be "Allow" or "Deny", got "Alow"');
    expect(p).toContain(`6:27 policy file ${join(d, 'missing.json')} not found`);
  });
});

describe('overflow into customer-managed policies', () => {
  /** A service with n distinct statements, each on its own bucket. */
  function bigSpec(n: number, account = true, extra = ''): string {
    let s = (account ? withAccount : head) + 'services:\n  big:\n    trust: [ec2]\n' + extra + '    statements:\n';
    for (let i = 0; i < n; i++) {
      s += `      - actions: [s3:GetObject, s3:PutObject, s3:DeleteObject, s3:GetObjectTagging]\n        resources: ["arn:aws:s3:::bucket-number-${String(i).padStart(4, '0')}-with-a-long-name/*"]\n`;
    }
    return s;
  }

  it('moves statements into ≤ 6,144-char managed policies, never broadening', async () => {
    const b = await compile(bigSpec(120));
    const r = role(b, 'big');
    const inlineTotal = r.inline.reduce((n, p) => n + p.size, 0);
    expect(inlineTotal).toBeLessThanOrEqual(10_240);
    expect(b.managedPolicies.length).toBeGreaterThan(0);
    for (const m of b.managedPolicies) {
      expect(m.size).toBeLessThanOrEqual(6_144);
      expect(policySize(m.document)).toBe(m.size);
      expect(m.origins).toHaveLength(m.document.Statement.length);
    }
    expect(r.managed.filter((m) => m.kind === 'customer')).toHaveLength(b.managedPolicies.length);
    expect(r.managed[0]!.arn).toMatch(/^arn:aws:iam::123456789012:policy\/charter-demo-big-[0-9a-f]{8}$/);
    // Exactly the same grants: every (action, resource) pair once, nothing else.
    const pairs = (list: PolicyStatement[]) => list.flatMap((s) => asList(s.Action).flatMap((a) => asList(s.Resource).map((res) => `${a} ${res}`))).sort();
    const all = [...stmts(r), ...b.managedPolicies.flatMap((m) => m.document.Statement)];
    const expected: string[] = [];
    for (let i = 0; i < 120; i++) for (const a of ['s3:DeleteObject', 's3:GetObject', 's3:GetObjectTagging', 's3:PutObject']) expected.push(`${a} arn:aws:s3:::bucket-number-${String(i).padStart(4, '0')}-with-a-long-name/*`);
    expect(pairs(all)).toEqual(expected.sort());
  });

  it('splits a statement too large for one managed policy by its Action list, never widening', async () => {
    const actions = Array.from({ length: 420 }, (_, i) => `ec2:DescribeSomethingRatherLong${String(i).padStart(3, '0')}`);
    const spec = withAccount + 'services:\n  big:\n    trust: [ec2]\n    statements:\n      - actions: [' + actions.join(', ') + ']\n        resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"]\n';
    const b = await compile(spec);
    const all = [...stmts(role(b, 'big')), ...b.managedPolicies.flatMap((m) => m.document.Statement)];
    expect(all.length).toBeGreaterThan(1);
    for (const s of all) expect(s.Resource).toBe('arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0');
    expect(all.flatMap((s) => asList(s.Action)).sort()).toEqual([...actions].sort());
    for (const m of b.managedPolicies) expect(m.size).toBeLessThanOrEqual(6_144);
  });

  it('overflow output does not depend on statement order', async () => {
    const lines = Array.from({ length: 110 }, (_, i) => `      - actions: [s3:GetObject, s3:PutObject]\n        resources: ["arn:aws:s3:::bucket-${String(i).padStart(4, '0')}-with-a-rather-long-name-to-fill/*"]\n`);
    const spec = (ls: string[]) => withAccount + 'services:\n  big:\n    trust: [ec2]\n    statements:\n' + ls.join('');
    const a = await compile(spec(lines));
    const b = await compile(spec([...lines].reverse()));
    expect(a.managedPolicies.length).toBeGreaterThan(0);
    expect(b.hash).toBe(a.hash);
    expect(b.managedPolicies.map((m) => m.hash)).toEqual(a.managedPolicies.map((m) => m.hash));
  });

  it('uses the literal {accountId} in customer policy ARNs when the account is unknown', async () => {
    const b = await compile(bigSpec(80, false));
    expect(role(b, 'big').managed.some((m) => m.arn.startsWith('arn:aws:iam::{accountId}:policy/'))).toBe(true);
  });

  it('beyond the managed-policy quota: an error that gives the sizes', async () => {
    const p = await problems(bigSpec(700));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^6:3 permissions of big are \d+ characters: over the 10240 inline limit, and the rest needs \d+ customer-managed policies \(sizes [\d, ]+; max 6144 each\) but only 10 of 10/);
  });

  it('attached AWS policies count toward the quota; lint.maxManagedPolicies raises it', async () => {
    const managed = '    managed: [' + Array.from({ length: 9 }, (_, i) => `"arn:aws:iam::aws:policy/P${i}"`).join(', ') + ']\n';
    expect((await problems(bigSpec(120, true, managed)))[0]).toMatch(/only 1 of 10 managed-policy slots/);
    const raised = bigSpec(120, true, managed).replace('account: "123456789012"\n', 'account: "123456789012"\nlint: { maxManagedPolicies: 20 }\n');
    const b = await compile(raised);
    expect(role(b, 'big').managed.length).toBeLessThanOrEqual(20);
  });
});

describe('compile --out', () => {
  it('writes manifest + one file per document; re-running gives byte-identical files', async () => {
    const b = await compile(withAccount + 'services:\n  app:\n    policies: [s3:ReadOnly]\n    trust: [ec2]\n');
    const root = mkdtempSync(join(tmpdir(), 'charter-out-'));
    const out = join(root, 'build');
    writeBundleDir(b, out);
    const read = () => Object.fromEntries(readdirSync(out, { recursive: true, withFileTypes: false }).map(String).sort().filter((f) => f.endsWith('.json')).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    const first = read();
    expect(Object.keys(first)).toEqual(['manifest.json', 'roles/app.json']);
    const manifest = JSON.parse(first['manifest.json']!) as { documents: Record<string, string>; bundleHash: string };
    expect(manifest.bundleHash).toBe(b.hash);
    expect(manifest.documents['role.app.trust']).toBe(role(b, 'app').trust.hash);
    writeBundleDir(b, out);
    expect(read()).toEqual(first);
    expect(readdirSync(root)).toEqual(['build']); // no temp or old dirs left behind
  });

  it('never replaces a non-empty directory that is not charter output', async () => {
    const b = await compile(head + 'services:\n  app:\n    trust: [ec2]\n');
    const d = mkdtempSync(join(tmpdir(), 'charter-out-'));
    writeFileSync(join(d, 'precious.txt'), 'x');
    expect(() => writeBundleDir(b, d)).toThrow(InputError);
    expect(existsSync(join(d, 'precious.txt'))).toBe(true);
  });
});

describe('determinism', () => {
  it('compiling twice gives the same bytes', async () => {
    const text = withAccount + 'services:\n  app:\n    policies: [s3:ReadOnly, logs:WriteOnly]\n    trust: [ec2]\n';
    expect(prettyJson(await compile(text))).toBe(prettyJson(await compile(text)));
  });
});

describe('Sids charter emits are ones IAM accepts (A-Z, a-z, 0-9, or empty)', () => {
  /** Every "Sid" value anywhere in a value (the bundle's documents, parsed or as JSON text). */
  function sids(v: unknown): string[] {
    if (typeof v === 'string') {
      if (!v.trimStart().startsWith('{')) return [];
      try {
        return sids(JSON.parse(v));
      } catch {
        return [];
      }
    }
    if (Array.isArray(v)) return v.flatMap(sids);
    if (v === null || typeof v !== 'object') return [];
    return Object.entries(v).flatMap(([k, x]) => (k === 'Sid' && typeof x === 'string' ? [x] : sids(x)));
  }

  it('every fixture, and a spec using every built-in template: only alphanumeric Sids', async () => {
    const { loadSpecFile } = await import('../src/spec/load.js');
    const { BUILTIN_TEMPLATES } = await import('../src/templates/builtins.js');
    const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
    const found: string[] = [];
    for (const f of readdirSync(fixtures).filter((n) => n.endsWith('.yaml'))) found.push(...sids(await compileSpec(loadSpecFile(join(fixtures, f)))));
    found.push(...sids(await compile(`${withAccount}services:\n  app:\n    trust: [ec2]\n    allowFullAccess: every built-in\n    policies: [${BUILTIN_TEMPLATES.map((t) => t.name).join(', ')}]\n`)));
    expect(found.filter((s) => !/^[A-Za-z0-9]*$/.test(s))).toEqual([]);
  });

  it('a Sid the user wrote is passed through as written, and lint refuses one IAM would (rule sid, an error: apply\'s lint gate stops it)', async () => {
    const { lint } = await import('../src/linter/engine.js');
    const text = `${withAccount}services:\n  app:\n    trust: [ec2]\n    statements:\n      - { sid: read-data, actions: [s3:GetObject], resources: ["arn:aws:s3:::b/*"] }\n`;
    const loaded = parseSpec(text, 'spec.yaml');
    const bundle = await compileSpec(loaded);
    expect(sids(bundle)).toContain('read-data');
    const r = await lint({ specs: [{ loaded, bundle }] });
    expect(r.findings.filter((f) => f.rule === 'sid').map((f) => [f.severity, f.line])).toEqual([['error', 9]]);
  });
});
