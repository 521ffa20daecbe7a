/**
 * The published spec schema (schemas/spec.schema.json) as an editor uses it (yaml-language-server:
 * completion, hover, validation) against what `charter compile` checks (issue 12 §Editor):
 *  - the 13 built-in template names are listed for `policies:` (user templates go under `use:`
 *    and keep any name);
 *  - every property has a description (hover);
 *  - a table of probe documents: where JSON Schema can express the rule, the schema and
 *    `charter compile` agree (both accept, or both refuse at the same place); the rules it cannot
 *    express (references between sections) are rows that say so, and compile alone refuses them.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { load } from 'js-yaml';
import { BUILTIN_TEMPLATES } from '../src/templates/builtins.js';
import { PARTITION_REGIONS } from '../src/policy/partitions.js';
import { partitionOfRegion } from '../src/compiler/context.js';
import { charter, ROOT } from './cli-support.js';

type Schema = Record<string, unknown>;
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'spec.schema.json'), 'utf8')) as Schema;
// As an editor compiles it: the schema alone, no charter code.
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const dir = mkdtempSync(join(tmpdir(), 'charter-schema-'));

describe('completion and hover', () => {
  it('policies: lists exactly the built-in templates (13)', () => {
    const defs = schema.$defs as Record<string, { enum?: string[] }>;
    expect(defs.builtinTemplate!.enum).toEqual(BUILTIN_TEMPLATES.map((t) => t.name));
    expect(defs.builtinTemplate!.enum).toHaveLength(13);
  });

  it('partition: lists exactly the partitions charter knows (src/policy/partitions.ts), and a spec may name each', () => {
    const partition = (schema.properties as Record<string, { enum?: string[] }>).partition!;
    expect([...partition.enum!].sort()).toEqual(Object.keys(PARTITION_REGIONS).sort());
    for (const [p, regions] of Object.entries(PARTITION_REGIONS)) {
      expect(validate({ version: 1, name: 'demo', region: regions[0], partition: p }), `${p}: ${JSON.stringify(validate.errors)}`).toBe(true);
      // Without partition:, the region's own partition (a region charter does not list yet: by its name).
      for (const r of regions) expect(partitionOfRegion(r), r).toBe(p);
    }
    expect([partitionOfRegion('eu-isoe-north-9'), partitionOfRegion('us-isof-west-9'), partitionOfRegion('us-isob-west-9'), partitionOfRegion('us-iso-north-9'), partitionOfRegion('eusc-fr-west-9'), partitionOfRegion('xx-west-9')]).toEqual(['aws-iso-e', 'aws-iso-f', 'aws-iso-b', 'aws-iso', 'aws-eusc', 'aws']);
  });

  it('every property has a description', () => {
    const missing: string[] = [];
    const walk = (n: unknown, at: string): void => {
      if (Array.isArray(n)) return n.forEach((v, i) => walk(v, `${at}/${i}`));
      if (!n || typeof n !== 'object') return;
      for (const [k, v] of Object.entries(n as Schema)) {
        if (k === 'properties') for (const [p, d] of Object.entries(v as Schema)) if (typeof (d as Schema).description !== 'string' || !(d as Schema).description) missing.push(`${at}/properties/${p}`);
        walk(v, `${at}/${k}`);
      }
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });

  it('every example spec in fixtures/ is valid against the schema', () => {
    const specs = readdirSync(join(ROOT, 'fixtures')).filter((f) => f.endsWith('.yaml'));
    expect(specs.length).toBeGreaterThan(5);
    for (const f of specs) expect([f, validate(load(readFileSync(join(ROOT, 'fixtures', f), 'utf8')))]).toEqual([f, true]);
  });
});

const HEAD = 'version: 1\nname: probe\nregion: us-east-1\n';
const INST = (svc: string, extra = '') => `instances:\n  w:\n    service: ${svc}\n    type: t3.micro\n    image: ami-0123456789abcdef0\n${extra}`;

interface Probe {
  name: string;
  spec: string;
  /** Whether JSON Schema can say this rule (false: a reference between sections). */
  expressible: boolean;
  /** Accepted by compile; else where (line:col) and what it says. */
  ok: boolean;
  at?: string;
  says?: string;
}

const PROBES: Probe[] = [
  { name: 'a service with trust', spec: `${HEAD}services:\n  app:\n    trust: [lambda]\n    policies: [s3:ReadOnly]\n`, expressible: true, ok: true },
  { name: 'every built-in under policies', spec: `${HEAD}services:\n  app:\n    trust: [ec2]\n    allowFullAccess: probe\n    policies: [${BUILTIN_TEMPLATES.map((t) => t.name).join(', ')}]\n`, expressible: true, ok: true },
  { name: 'an unknown built-in', spec: `${HEAD}services:\n  app:\n    trust: [ec2]\n    policies: [s3:ReadOnyl]\n`, expressible: true, ok: false, at: '7:16', says: 'unknown built-in template "s3:ReadOnyl"  (did you mean "s3:ReadOnly"?)' },
  { name: 'a user template under policies', spec: `${HEAD}templates:\n  mine:\n    statements: [{ actions: [s3:GetObject], resources: ["*"] }]\nservices:\n  app:\n    trust: [ec2]\n    policies: [mine]\n`, expressible: true, ok: false, at: '10:16', says: 'unknown built-in template "mine"' },
  { name: 'a user template of any name under use', spec: `${HEAD}templates:\n  team.bucket-read:\n    params: [bucket]\n    statements: [{ actions: [s3:GetObject], resources: ["arn:aws:s3:::{bucket}/*"] }]\nservices:\n  app:\n    trust: [ec2]\n    use: [{ template: team.bucket-read, bucket: b }]\n`, expressible: true, ok: true },
  { name: 'use names a template the spec does not define', spec: `${HEAD}services:\n  app:\n    trust: [ec2]\n    use: [{ template: nope }]\n`, expressible: false, ok: false, at: '7:23', says: 'unknown template "nope"' },
  { name: 'ttl above zero', spec: `${HEAD}services:\n  web:\n    trust: [ec2]\n${INST('web', '    ttl: 0h30m\n    idleTimeout: 90s\n')}`, expressible: true, ok: true },
  { name: 'ttl of zero', spec: `${HEAD}services:\n  web:\n    trust: [ec2]\n${INST('web', '    ttl: 0h\n')}`, expressible: true, ok: false, at: '12:10', says: 'ttl `0h` is not a positive duration' },
  { name: 'idleTimeout of zero minutes and seconds', spec: `${HEAD}services:\n  web:\n    trust: [ec2]\n${INST('web', '    idleTimeout: 00m0s\n')}`, expressible: true, ok: false, at: '12:18', says: 'idleTimeout `00m0s` is not a positive duration' },
  { name: 'security group ids', spec: `${HEAD}services:\n  web:\n    trust: [ec2]\n${INST('web', '    securityGroups: [sg-0123abcd, sg-ff]\n')}`, expressible: true, ok: true },
  { name: 'a security group by name', spec: `${HEAD}securityGroups:\n  web:\n    ingress: [{ port: 443, cidr: 0.0.0.0/0 }]\nservices:\n  web:\n    trust: [ec2]\n${INST('web', '    securityGroups: [web]\n')}`, expressible: true, ok: false, at: '15:22', says: 'security group `web` is defined in the spec, but launches take security group ids' },
  { name: 'no instances, a service without trust', spec: `${HEAD}services:\n  app:\n    policies: [s3:ReadOnly]\n`, expressible: true, ok: false, at: '5:3', says: 'service app has no trust: nothing could assume its role' },
  { name: 'no instances, an empty trust list', spec: `${HEAD}services:\n  app:\n    trust: []\n`, expressible: true, ok: false, at: '5:3', says: 'service app has no trust' },
  { name: 'no instances, instanceProfile: true defaults the trust to ec2', spec: `${HEAD}services:\n  app:\n    instanceProfile: true\n`, expressible: true, ok: true },
  { name: 'no instances, instanceProfile: false', spec: `${HEAD}services:\n  app:\n    instanceProfile: false\n`, expressible: true, ok: false, at: '5:3', says: 'service app has no trust' },
  { name: 'a service instances use needs no trust (ec2)', spec: `${HEAD}services:\n  web: {}\n${INST('web')}`, expressible: true, ok: true },
  { name: 'with instances, a service they do not use and without trust', spec: `${HEAD}services:\n  web: {}\n  app: {}\n${INST('web')}`, expressible: false, ok: false, at: '6:3', says: 'service app has no trust' },
  { name: 'an instance group of an unknown service', spec: `${HEAD}services:\n  web: { trust: [ec2] }\n${INST('wbe')}`, expressible: false, ok: false, at: '8:14', says: 'unknown service "wbe"' },
  { name: 'an unknown named trust', spec: `${HEAD}services:\n  app:\n    trust: [deployers]\n`, expressible: false, ok: false, at: '6:13', says: 'unknown trust "deployers"' },
  { name: 'a region name of the wrong form', spec: 'version: 1\nname: probe\nregion: us-east1\nservices:\n  app: { trust: [ec2] }\n', expressible: true, ok: false, at: '3:9', says: 'region `us-east1` is not a region' },
  { name: 'the eusc partition and its region', spec: 'version: 1\nname: probe\nregion: eusc-de-east-1\npartition: aws-eusc\nservices:\n  app: { trust: [ec2], policies: [s3:ReadOnly] }\n', expressible: true, ok: true },
  { name: 'the iso-f partition and its region', spec: 'version: 1\nname: probe\nregion: us-isof-south-1\npartition: aws-iso-f\nservices:\n  app: { trust: [ec2], policies: [s3:ReadOnly] }\n', expressible: true, ok: true },
  { name: 'a misspelt key', spec: `${HEAD}services:\n  app:\n    trust: [ec2]\n    polices: [s3:ReadOnly]\n`, expressible: true, ok: false, at: '7:5', says: 'services.app.polices: unknown key "polices"  (did you mean "policies"?)' },
];

describe('the schema and `charter compile` agree on each probe where the schema can express the rule', () => {
  it.each(PROBES.map((p) => [p.name, p] as const))('%s', async (_name, p) => {
    const file = join(dir, `${p.name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, p.spec);
    const r = await charter(['compile', file], { cwd: dir });
    const schemaOk = validate(load(p.spec));
    // compile: accepted (0) or refused as bad input (2) at the place the row names.
    if (p.ok) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toContain(`${file}:${p.at}  ${p.says}`);
    }
    // The schema: where it can express the rule it says what compile says; where it cannot, it accepts.
    expect(schemaOk).toBe(p.expressible ? p.ok : true);
  });
});
