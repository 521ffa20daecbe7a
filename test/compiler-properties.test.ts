/**
 * Properties of the compiler (fast-check):
 *  - reordering any list or map whose order has no meaning gives byte-identical output (the --out
 *    files, the bundle hash, and the bundle without source positions, which move with the text);
 *  - compiling twice gives the same bytes;
 *  - hashes change if and only if a canonical document changes (and so do content-addressed names;
 *    stable names never do).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSpec } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { bundleFiles } from '../src/compiler/output.js';
import { canonicalJson, prettyJson } from '../src/policy/canonical.js';
import type { Bundle } from '../src/compiler/types.js';
import { BUILTIN_TEMPLATES } from '../src/templates/builtins.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const ACTIONS = ['s3:GetObject', 's3:PutObject', 'sqs:SendMessage', 'logs:PutLogEvents', 'ec2:DescribeInstances', 'kms:Decrypt', 'dynamodb:GetItem'];
const RESOURCES = ['*', 'arn:aws:s3:::a/*', 'arn:aws:s3:::b', 'arn:aws:sqs:us-east-1:123456789012:q', 'arn:{partition}:logs:{region}:{accountId}:log-group:x:*'];
const MANAGED = ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'];
const TRUSTS = ['ec2', 'lambda', 'ecs-tasks', 'partner'];
const BUILTINS = BUILTIN_TEMPLATES.filter((b) => !b.fullAccess).map((b) => b.name);

const subset = <T>(xs: readonly T[], min = 0) => fc.subarray([...xs], { minLength: min });

const statementArb = fc.record({
  effect: fc.constantFrom('Allow', 'Deny'),
  actions: subset(ACTIONS, 1),
  resources: subset(RESOURCES, 1),
  cond: fc.option(subset(['us-east-1', 'us-west-2', 'eu-west-1'], 1), { nil: undefined }),
});

const serviceArb = fc.record({
  policies: subset(BUILTINS),
  scoped: fc.boolean(),
  statements: fc.array(statementArb, { maxLength: 3 }),
  managed: subset(MANAGED),
  trust: subset(TRUSTS, 1),
  tags: fc.dictionary(fc.constantFrom('team', 'env', 'cost', 'owner'), fc.constantFrom('a', 'b', 'c')),
  useTemplate: fc.boolean(),
});

const specArb = fc.record({
  services: fc.dictionary(fc.constantFrom('web', 'worker', 'batch', 'api', 'db'), serviceArb, { minKeys: 1, maxKeys: 4 }),
  instances: fc.array(fc.constantFrom('web', 'worker', 'batch', 'api', 'db'), { maxLength: 3 }),
  tags: fc.dictionary(fc.constantFrom('project', 'owner', 'env'), fc.constantFrom('x', 'y')),
});

type SpecModel = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

function toSpec(m: SpecModel): { [k: string]: Json } {
  const services: { [k: string]: Json } = {};
  for (const [name, s] of Object.entries(m.services)) {
    const svc: { [k: string]: Json } = { trust: s.trust };
    if (s.policies.length) svc['policies'] = s.policies;
    if (s.scoped && s.policies.some((p) => p.startsWith('s3:'))) svc['scope'] = { s3: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'] };
    if (s.statements.length) {
      svc['statements'] = s.statements.map((st) => {
        const o: { [k: string]: Json } = { effect: st.effect, actions: st.actions, resources: st.resources };
        if (st.cond) o['conditions'] = { StringEquals: { 'aws:RequestedRegion': st.cond }, Bool: { 'aws:SecureTransport': 'true' } };
        return o;
      });
    }
    if (s.managed.length) svc['managed'] = s.managed;
    if (Object.keys(s.tags).length) svc['tags'] = s.tags;
    if (s.useTemplate) svc['use'] = [{ template: 'read', bucket: `${name}-data`, keys: ['k1', 'k2'] }, { template: 'queue', queue: name }];
    services[name] = svc;
  }
  const instances: { [k: string]: Json } = {};
  m.instances.forEach((svc, i) => {
    const target = services[svc] as { [k: string]: Json } | undefined;
    if (!target) return;
    instances[`g${i}`] = { service: svc, type: 't3.micro', image: 'ami-12345678', count: i + 1 };
    // Instances need a role EC2 can assume.
    const trust = target['trust'] as string[];
    if (!trust.includes('ec2')) target['trust'] = [...trust, 'ec2'];
  });
  return {
    version: 1,
    name: 'prop',
    region: 'us-east-1',
    account: '123456789012',
    tags: m.tags,
    templates: {
      read: {
        params: ['bucket', { name: 'keys', type: 'list' }],
        statements: [{ actions: ['s3:GetObject', 's3:ListBucket'], resources: ['arn:{partition}:s3:::{bucket}', 'arn:{partition}:s3:::{bucket}/{keys}'] }],
      },
      queue: { params: ['queue'], statements: [{ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:{region}:{accountId}:{queue}'] }] },
    },
    trust: { partner: { aws: ['arn:aws:iam::210987654321:root'], externalId: 'ext-42', mfa: true } },
    services,
    ...(Object.keys(instances).length ? { instances } : {}),
  };
}

/** Keys whose values are order-free lists (IAM sets). */
const SET_KEYS = new Set(['policies', 'actions', 'resources', 'managed', 'trust', 'aws', 'keys', 's3', 'aws:RequestedRegion', 'use', 'statements', 'params']);

/** Deterministically shuffle every order-free list and every map, driven by `seed`. */
function shuffleDeep(v: Json, seed: number[], path = ''): Json {
  let k = 0;
  const next = () => seed[k++ % seed.length]!;
  const perm = <T>(xs: T[]): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  if (Array.isArray(v)) {
    const key = path.slice(path.lastIndexOf('/') + 1);
    const items = v.map((x, i) => shuffleDeep(x, seed.map((s) => s + i + 1), `${path}/${i}`));
    return SET_KEYS.has(key) ? perm(items) : items;
  }
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const key of perm(Object.keys(v))) out[key] = shuffleDeep(v[key]!, seed.map((s) => s * 7 + key.length), `${path}/${key}`);
    return out;
  }
  return v;
}

function stripPos(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripPos);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'pos' && k !== 'origins' && k !== 'specHash') out[k] = stripPos(x);
    return out;
  }
  return v;
}

async function compileJson(spec: Json): Promise<Bundle> {
  // JSON is YAML: the spec text is the JSON serialisation (one line per key keeps positions distinct).
  return compileSpec(parseSpec(JSON.stringify(spec, null, 1), 'prop.yaml'));
}

/** The --out tree; the manifest's specHash (sha256 of the spec's bytes) is expected to differ. */
function filesOf(b: Bundle): string {
  return [...bundleFiles(b)].map(([k, v]) => `${k}\n${k === 'manifest.json' ? v.replace(/"specHash": "[0-9a-f]+"/, '') : v}`).join('\n');
}

describe('compiler properties', () => {
  it('reordering order-free lists and maps gives byte-identical output', async () => {
    await fc.assert(
      fc.asyncProperty(specArb, fc.array(fc.nat(1000), { minLength: 3, maxLength: 8 }), async (m, seed) => {
        const spec = toSpec(m);
        const shuffled = shuffleDeep(spec, seed);
        const a = await compileJson(spec);
        const b = await compileJson(shuffled);
        expect(b.hash).toBe(a.hash);
        expect(filesOf(b)).toBe(filesOf(a));
        expect(prettyJson(stripPos(b))).toBe(prettyJson(stripPos(a)));
      }),
      { numRuns: 60 },
    );
  });

  it('compiling twice gives the same bytes', async () => {
    await fc.assert(
      fc.asyncProperty(specArb, async (m) => {
        const text = JSON.stringify(toSpec(m), null, 1);
        const a = await compileSpec(parseSpec(text, 'prop.yaml'));
        const b = await compileSpec(parseSpec(text, 'prop.yaml'));
        expect(prettyJson(b)).toBe(prettyJson(a));
      }),
      { numRuns: 30 },
    );
  });

  it('hashes change if and only if a canonical document changes', async () => {
    await fc.assert(
      fc.asyncProperty(specArb, specArb, fc.constantFrom(undefined, 'stable', 'content'), async (m1, m2, naming) => {
        // Two specs that share some services and differ in others.
        const named = (spec: { [k: string]: Json }) => (naming === undefined ? spec : { ...spec, naming });
        const s1 = named(toSpec(m1));
        const s2 = named(toSpec({ ...m2, services: { ...m1.services, ...m2.services }, tags: m1.tags, instances: m1.instances }));
        const a = await compileJson(s1);
        const b = await compileJson(s2);
        for (const ra of a.roles) {
          const rb = b.roles.find((r) => r.address === ra.address);
          if (!rb) continue;
          for (const [da, db] of [[ra.trust, rb.trust], ...ra.inline.map((p, i) => [p, rb.inline[i]] as const)] as const) {
            if (!db) continue;
            expect(da.hash === db.hash).toBe(canonicalJson(da.document) === canonicalJson(db.document));
          }
          const content = (r: typeof ra) =>
            canonicalJson({
              trust: r.trust.document,
              inline: r.inline.map((p) => [p.name, p.document]),
              managed: r.managed.map((x) => (x.kind === 'aws' ? x.arn : b.managedPolicies.concat(a.managedPolicies).find((mp) => mp.address === x.policyAddress)?.document ?? null)),
              path: r.path,
              boundary: r.permissionsBoundary ?? null,
              session: r.maxSessionDuration ?? null,
            });
          expect(ra.hash === rb.hash).toBe(content(ra) === content(rb));
          // A content-addressed name changes exactly with the content; a stable one never does.
          if (naming === 'content') expect(ra.name === rb.name).toBe(ra.hash === rb.hash);
          else expect(rb.name).toBe(ra.name);
        }
        expect(a.hash === b.hash).toBe(canonicalJson(stripPos({ ...a, hash: '' })) === canonicalJson(stripPos({ ...b, hash: '' })));
      }),
      { numRuns: 60 },
    );
  });
});
