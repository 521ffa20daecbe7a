/**
 * Values of the wrong form get a sentence (src/spec/forms.ts), never the schema's regular
 * expression: every pattern of the spec schema lives in a named form with a sentence, and each form
 * has a must-fire row here (the value, where it is reported, what the sentence says) and a
 * must-not-fire row (a value of the right form loads).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FORMS } from '../src/spec/forms.js';
import { specProblems } from './spec-support.js';

const schema = JSON.parse(readFileSync(new URL('../schemas/spec.schema.json', import.meta.url), 'utf8')) as { $defs: Record<string, Record<string, unknown>> };

const problems = specProblems;

/** Patterns anywhere in the schema, with the JSON pointer of the schema object holding them. */
function patterns(s: unknown, at = ''): string[] {
  if (Array.isArray(s)) return s.flatMap((v, i) => patterns(v, `${at}/${i}`));
  if (!s || typeof s !== 'object') return [];
  return Object.entries(s).flatMap(([k, v]) => (k === 'pattern' && typeof v === 'string' ? [at] : patterns(v, `${at}/${k}`)));
}

const HEAD = 'version: 1\nname: demo\nregion: us-east-1\n';
const SVC = 'services:\n  web:\n    trust: [ec2]\n';
const inst = (fields: string) => `${HEAD}${SVC}instances:\n  train:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n${fields}`;

/** One row per form: a spec with a value of the wrong form, where it is reported, the sentence. */
const FIRE: Array<{ form: string; spec: string; at: string; says: string }> = [
  { form: 'specName', spec: 'version: 1\nname: -demo\nregion: us-east-1\n', at: '2:7', says: 'spec name `-demo` starts with `-`' },
  { form: 'specName', spec: `version: 1\nname: ${'n'.repeat(64)}\nregion: us-east-1\n`, at: '2:7', says: 'spec name is 64 characters, the limit is 63' },
  { form: 'prefix', spec: `${HEAD}prefix: 9x\n`, at: '4:9', says: 'prefix `9x` starts with `9`' },
  { form: 'region', spec: 'version: 1\nname: demo\nregion: us-east1\n', at: '3:9', says: 'region `us-east1` is not a region (did you mean us-east-1?)' },
  { form: 'region', spec: 'version: 1\nname: demo\nregion: eu-wset-1x\n', at: '3:9', says: 'region `eu-wset-1x` is not a region' },
  { form: 'accountId', spec: `${HEAD}account: "12345"\n`, at: '4:10', says: 'account id `12345` has 5 digits, an account id has 12' },
  { form: 'accountId', spec: `${HEAD}account: "1234-5678-9012"\n`, at: '4:10', says: 'account id `1234-5678-9012` is not 12 digits' },
  { form: 'tagKey', spec: `${HEAD}tags:\n  ${'k'.repeat(129)}: v\n`, at: '5:3', says: 'is 129 characters, the limit is 128' },
  { form: 'tagValue', spec: `${HEAD}tags:\n  owner: ${'v'.repeat(257)}\n`, at: '5:10', says: 'tag value of `owner` is 257 characters, the limit is 256' },
  { form: 'templateName', spec: `${HEAD}templates:\n  1x: { statements: [{ actions: [s3:GetObject], resources: ["*"] }] }\n`, at: '5:3', says: 'template name `1x` starts with `1`' },
  { form: 'paramName', spec: `${HEAD}templates:\n  t: { params: [b-ucket], statements: [{ actions: [s3:GetObject], resources: ["*"] }] }\n`, at: '5:17', says: 'parameter name `b-ucket` has `-`, which is not allowed' },
  { form: 'groupName', spec: `${HEAD}services:\n  -web: { trust: [ec2] }\n`, at: '5:3', says: 'service name `-web` starts with `-`' },
  { form: 'groupName', spec: `${HEAD}${SVC}instances:\n  "a b": { service: web, type: t3.micro, image: ami-0123456789abcdef0 }\n`, at: '8:3', says: 'instance group name `a b` has a space' },
  { form: 'roleName', spec: `${HEAD}${SVC}    name: ${'r'.repeat(65)}\n`, at: '7:11', says: 'role name is 65 characters, the limit is 64' },
  { form: 'roleName', spec: `${HEAD}${SVC}    name: "my role"\n`, at: '7:11', says: 'role name `my role` has a space, which is not allowed' },
  { form: 'iamPath', spec: `${HEAD}${SVC}    path: service-role/\n`, at: '7:11', says: 'path `service-role/` must start and end with /' },
  { form: 'iamPath', spec: `${HEAD}${SVC}    path: /${'p'.repeat(511)}/\n`, at: '7:11', says: 'path is 513 characters, the limit is 512' },
  { form: 'policyArn', spec: `${HEAD}${SVC}    permissionsBoundary: Boundary\n`, at: '7:26', says: 'permissionsBoundary `Boundary` is not an ARN' },
  { form: 'instanceType', spec: inst('').replace('t3.micro', 't3micro'), at: '10:11', says: 'instance type `t3micro`: expected family.size like t3.micro' },
  { form: 'image', spec: inst('').replace('ami-0123456789abcdef0', 'ami-123'), at: '11:12', says: 'image `ami-123` is not an AMI id' },
  { form: 'image', spec: inst('').replace('ami-0123456789abcdef0', 'ubuntu-22.04'), at: '11:12', says: 'image `ubuntu-22.04`: expected an AMI id' },
  { form: 'duration', spec: inst('    ttl: 5x\n'), at: '12:10', says: 'ttl `5x`: expected a duration like 90m, 8h, 2d' },
  { form: 'duration', spec: inst('    idleTimeout: 30 minutes\n'), at: '12:18', says: 'idleTimeout `30 minutes`: expected a duration' },
  { form: 'duration', spec: inst('    ttl: 0h\n'), at: '12:10', says: 'ttl `0h` is not a positive duration' },
  { form: 'securityGroupId', spec: inst('    securityGroups: [web]\n'), at: '12:22', says: 'security group `web` is not an id' },
  // The same value naming a group under the spec's securityGroups: says so, and how to get its id.
  { form: 'securityGroupId', spec: `${inst('    securityGroups: [sg-0a, web]\n')}securityGroups:\n  web: { ingress: [{ port: 443, cidr: 10.0.0.0/8 }] }\n`, at: '12:29', says: "security group `web` is defined in the spec, but launches take security group ids (charter lints the groups under securityGroups: but does not create them; give the id (sg-...) of the group in AWS: aws ec2 describe-security-groups --filters Name=group-name,Values=web --query 'SecurityGroups[].GroupId')" },
  { form: 'securityGroupId', spec: `${inst('    securityGroups: [db]\n')}securityGroups:\n  web: { ingress: [{ port: 443, cidr: 10.0.0.0/8 }] }\n`, at: '12:22', says: 'security group `db` is not an id (give the security group id (sg- and hex digits); launches take ids, not the names under securityGroups:)' },
  { form: 'subnetId', spec: inst('    subnet: public-a\n'), at: '12:13', says: 'subnet `public-a` is not a subnet id' },
  { form: 'httpsUrl', spec: `${HEAD}agent: { mode: binary, url: "http://example.com/agent" }\n`, at: '4:29', says: 'url `http://example.com/agent` is not an https:// URL' },
  { form: 'sha256', spec: `${HEAD}agent: { mode: binary, url: "https://example.com/agent", sha256: { amd64: abc123 } }\n`, at: '4:75', says: 'amd64 sha256 `abc123` is not a SHA-256 digest: expected 64 lowercase hex digits, got 6 characters' },
];

/** Values of the right form, one spec holding them all: it loads. */
const QUIET = `version: 1
name: demo.spec_1
prefix: Team-x
region: us-gov-west-1
account: "012345678901"
tags: { ${'k'.repeat(128)}: ${'v'.repeat(256)} }
templates:
  bucket.read:1: { params: [bucket_1], statements: [{ actions: [s3:GetObject], resources: ["*"] }] }
services:
  web_1:
    trust: [ec2]
    name: ${'r'.repeat(58)}+=,.@-
    path: /service-role/a.b/
    permissionsBoundary: arn:aws:iam::123456789012:policy/Boundary
instances:
  train-1:
    service: web_1
    type: g5.xlarge
    image: resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
    ttl: 1h30m
    idleTimeout: 30m
    subnet: subnet-0123456789abcdef0
agent: { mode: binary, url: "https://example.com/agent-{arch}", sha256: { amd64: ${'a'.repeat(64)}, arm64: "${'0'.repeat(64)}" } }
`;

describe('values of the wrong form get a sentence', () => {
  it('every pattern of the spec schema is in a named form ($defs) that has a sentence', () => {
    const at = patterns(schema);
    expect(at.length).toBeGreaterThan(10);
    for (const p of at) {
      const name = /^\/\$defs\/([A-Za-z0-9]+)$/.exec(p)?.[1];
      expect(name, `pattern at ${p} is outside $defs`).toBeDefined();
      expect(Object.keys(FORMS), `form ${name}`).toContain(name);
    }
    for (const name of Object.keys(FORMS)) expect(Object.keys(schema.$defs), `FORMS.${name} has a schema`).toContain(name);
  });

  it('every form has a must-fire row', () => {
    expect([...new Set(FIRE.map((r) => r.form))].sort()).toEqual(Object.keys(FORMS).sort());
  });

  for (const row of FIRE) {
    it(`${row.form}: ${row.says}`, () => {
      const out = problems(row.spec);
      expect(out, JSON.stringify(out)).toHaveLength(1);
      expect(out[0]!.startsWith(`${row.at} `), out[0]).toBe(true);
      expect(out[0]).toContain(row.says);
      // no regular expression in a message: ^[, \d, {0,62}, [0-9a-f], (...)+$
      expect(out[0]).not.toMatch(/\^\[|\\[dwx]|\{\d+,\d*\}|\[[0-9a-z]-[0-9a-z]|\)\+?\$/);
    });
  }

  it('values of the right form load', () => {
    expect(problems(QUIET)).toEqual([]);
  });
});
