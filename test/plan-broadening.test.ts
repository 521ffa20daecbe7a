import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyDocuments, classifyAttachments, classifyBoundary, prepareIamData } from '../src/plan/broadening.js';
import { sharedIamData } from '../src/policy/iam-data.js';
import type { PolicyDocument, PolicyStatement } from '../src/policy/types.js';

const SERVICES = ['s3', 'sqs', 'logs', 'dynamodb', 'kms'];
let pool: string[] = [];
/** Wildcard patterns with their exact expansion in display case. */
let wild: Array<{ pattern: string; expansion: string[] }> = [];

beforeAll(async () => {
  const data = sharedIamData();
  await data.loadServices(SERVICES);
  for (const s of SERVICES) {
    const names = data.actionNames(s)!;
    pool.push(...[...names.values()].map((n) => `${s}:${n}`));
  }
  pool = pool.sort();
  for (const p of ['s3:Get*', 's3:List*', 'sqs:*', 'logs:Describe*', 'kms:Encrypt*', 'dynamodb:Batch*']) {
    const svc = p.split(':')[0]!;
    const names = data.actionNames(svc)!;
    wild.push({ pattern: p, expansion: data.expand(p).map((a) => `${svc}:${names.get(a.split(':')[1]!)!}`) });
  }
  await prepareIamData([{ Statement: [{ Effect: 'Allow', Action: pool, Resource: '*' }] }]);
});

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

const resourceArb = fc.constantFrom('*', 'arn:aws:s3:::bucket-a', 'arn:aws:s3:::bucket-a/*', 'arn:aws:sqs:us-east-1:123456789012:q1', 'arn:aws:kms:us-east-1:123456789012:key/*');
const conditionArb = fc.option(
  fc.constantFrom<Record<string, Record<string, string | string[]>>>(
    { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
    { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] } },
    { Bool: { 'aws:SecureTransport': 'true' } },
  ),
  { nil: undefined },
);
const statementArb = (effect: fc.Arbitrary<'Allow' | 'Deny'>) =>
  fc
    .record({
      Effect: effect,
      Action: fc.uniqueArray(fc.oneof(fc.constantFrom(...pool.slice(0, 400)), fc.constantFrom(...wild.map((w) => w.pattern))), { minLength: 1, maxLength: 6 }),
      Resource: fc.uniqueArray(resourceArb, { minLength: 1, maxLength: 2 }),
      Condition: conditionArb,
    })
    .map((s) => {
      const out: PolicyStatement = { Effect: s.Effect, Action: s.Action, Resource: s.Resource };
      if (s.Condition) out.Condition = s.Condition;
      return out;
    });
const docArb = () => fc.array(statementArb(fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny')), { minLength: 0, maxLength: 5 });

describe('broadening (fast-check properties)', () => {
  it('adding an Allow statement is never narrowing', () => {
    fc.assert(
      fc.property(docArb(), statementArb(fc.constant<'Allow'>('Allow')), (stmts, extra) => {
        const r = classifyDocuments(doc(...stmts), doc(...stmts, extra));
        expect(['broadening', 'neutral']).toContain(r.broadening);
      }),
      { numRuns: 150 },
    );
  });

  it('removing an Allow statement is never broadening', () => {
    fc.assert(
      fc.property(docArb(), statementArb(fc.constant<'Allow'>('Allow')), (stmts, extra) => {
        const r = classifyDocuments(doc(...stmts, extra), doc(...stmts));
        expect(['narrowing', 'neutral']).toContain(r.broadening);
      }),
      { numRuns: 150 },
    );
  });

  it('an identical rewrite (reordered, re-wildcarded to the same expansion, split) is neutral', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...wild.map((_, i) => i)),
        fc.uniqueArray(resourceArb, { minLength: 1, maxLength: 2 }),
        conditionArb,
        docArb(),
        fc.integer({ min: 0, max: 1_000_000 }),
        (wi, res, cond, others, seed) => {
          const w = wild[wi]!;
          const withCond = (s: PolicyStatement): PolicyStatement => (cond ? { ...s, Condition: cond } : s);
          // Same grants: one wildcard statement vs. its expansion, shuffled and split in two.
          const shuffled = [...w.expansion].sort((a, b) => ((a.length * 31 + seed) % 97) - ((b.length * 31 + seed) % 97) || (a < b ? -1 : 1));
          const half = Math.max(1, Math.floor(shuffled.length / 2));
          const before = doc(withCond({ Effect: 'Allow', Action: w.pattern, Resource: res }), ...others);
          const parts = [withCond({ Effect: 'Allow', Action: shuffled.slice(0, half), Resource: [...res].reverse() })];
          if (shuffled.length > half) parts.push(withCond({ Effect: 'Allow', Action: shuffled.slice(half).map((a) => (seed % 2 ? a.toUpperCase() : a)), Resource: res }));
          const after = doc(...[...others].reverse(), ...parts);
          expect(classifyDocuments(before, after).broadening).toBe('neutral');
          expect(classifyDocuments(after, before).broadening).toBe('neutral');
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('broadening (examples)', () => {
  const base = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } });

  it('a loosened condition is broadening, a tightened one narrowing', () => {
    const loose = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    expect(classifyDocuments(base, loose).broadening).toBe('broadening');
    expect(classifyDocuments(loose, base).broadening).toBe('narrowing');
    const more = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } });
    expect(classifyDocuments(base, more).broadening).toBe('broadening');
  });

  it('a removed Deny is broadening, an added Deny narrowing', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' };
    const withDeny = doc(...base.Statement, deny);
    expect(classifyDocuments(withDeny, base).broadening).toBe('broadening');
    expect(classifyDocuments(base, withDeny).broadening).toBe('narrowing');
    // Each detail line says what it does to access: the sign alone does not (an added Deny is a '+' that narrows).
    expect(classifyDocuments(base, withDeny).details.map((d) => [d.sign, d.direction])).toEqual([['+', 'narrows']]);
    expect(classifyDocuments(withDeny, base).details.map((d) => [d.sign, d.direction])).toEqual([['-', 'widens']]);
  });

  it('detail lines of attachments and boundaries carry their direction', () => {
    const arn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    expect(classifyAttachments([], [arn]).details).toEqual([{ sign: '+', text: `attach ${arn}`, direction: 'widens' }]);
    expect(classifyAttachments([arn], []).details).toEqual([{ sign: '-', text: `detach ${arn}`, direction: 'narrows' }]);
    const b = 'arn:aws:iam::123456789012:policy/boundary';
    expect(classifyBoundary(undefined, b).details).toEqual([{ sign: '+', text: `permissions boundary ${b}`, direction: 'narrows' }]);
    expect(classifyBoundary(b, undefined).details).toEqual([{ sign: '-', text: `permissions boundary ${b}`, direction: 'widens' }]);
    expect(classifyBoundary(b, `${b}2`).details.map((d) => d.direction)).toEqual(['both']);
  });

  it('a wider wildcard or resource is broadening; swapping one action for another is mixed', () => {
    const wider = doc({ ...base.Statement[0]!, Action: 's3:Get*' });
    const r = classifyDocuments(base, wider);
    expect(r.broadening).toBe('broadening');
    expect(r.details.map((d) => d.text).join('\n')).toMatch(/s3:Get\*: \d+ of \d+ actions/);
    expect(classifyDocuments(base, doc({ ...base.Statement[0]!, Resource: '*' })).broadening).toBe('broadening');
    expect(classifyDocuments(base, doc({ ...base.Statement[0]!, Action: 's3:PutObject' })).broadening).toBe('mixed');
  });

  it('a trust policy trusting one more principal is broadening', () => {
    const t1 = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    const t2 = doc({ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' });
    expect(classifyDocuments(t1, t2).broadening).toBe('broadening');
    expect(classifyDocuments(t2, t1).broadening).toBe('narrowing');
    expect(classifyDocuments(t1, doc({ ...t1.Statement[0]!, Principal: '*' })).broadening).toBe('broadening');
    const a1 = doc({ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' });
    const a2 = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' });
    expect(classifyDocuments(a1, a2).broadening).toBe('neutral');
  });

  it('widening an OIDC sub from one branch to the organisation is broadening, not mixed (and back narrowing)', () => {
    const oidc = (cond: Record<string, Record<string, string | string[]>>) =>
      doc({ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, ...cond } });
    const branch = oidc({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/app:ref:refs/heads/main' } });
    const org = oidc({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/*' } });
    const r = classifyDocuments(branch, org);
    expect(r.broadening).toBe('broadening');
    expect(r.details.map((d) => [d.sign, d.direction])).toEqual([['+', 'widens']]);
    expect(classifyDocuments(org, branch).broadening).toBe('narrowing');
    // The branch written with StringEquals (the usual form) widened with StringLike.
    const exact = doc({ ...branch.Statement[0]!, Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:org/app:ref:refs/heads/main' } } });
    expect(classifyDocuments(exact, org).broadening).toBe('broadening');
    expect(classifyDocuments(org, exact).broadening).toBe('narrowing');
    // To another organisation: mixed; to a second branch added: broadening.
    expect(classifyDocuments(branch, oidc({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:other/*' } })).broadening).toBe('mixed');
    expect(classifyDocuments(branch, oidc({ StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:org/app:ref:refs/heads/main', 'repo:org/app:ref:refs/heads/dev'] } })).broadening).toBe('broadening');
  });

  it('NotAction: excluding fewer actions is broadening', () => {
    const a = doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' });
    const b = doc({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' });
    expect(classifyDocuments(a, b).broadening).toBe('broadening');
    expect(classifyDocuments(b, a).broadening).toBe('narrowing');
  });

  it('attachments and boundaries', () => {
    expect(classifyAttachments([], ['arn:aws:iam::aws:policy/ReadOnlyAccess']).broadening).toBe('broadening');
    expect(classifyAttachments(['arn:aws:iam::aws:policy/ReadOnlyAccess'], []).broadening).toBe('narrowing');
    expect(classifyBoundary('arn:aws:iam::1:policy/b', undefined).broadening).toBe('broadening');
    expect(classifyBoundary(undefined, 'arn:aws:iam::1:policy/b').broadening).toBe('narrowing');
  });
});
