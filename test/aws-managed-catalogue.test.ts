/**
 * charter's catalogue of AWS managed policies is real data: the generated name list is exactly the
 * corpus (../shared/corpora/aws-managed-policies, a MAMIP snapshot), and every name of the pathed
 * catalogue (src/linter/aws-managed.ts) is an AWS managed policy of that snapshot.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWS_MANAGED_POLICY_NAMES } from '../src/linter/aws-managed-names.js';
import { ADMIN_MANAGED_POLICIES, KNOWN_AWS_MANAGED, catalogueLookup } from '../src/linter/aws-managed.js';
import { CORPUS, corpusSuiteName, haveCorpus, requireCorpus } from './corpus.js';

requireCorpus();

describe.skipIf(!haveCorpus)(corpusSuiteName('AWS managed policy catalogue against the corpus'), () => {
  const corpus = readdirSync(CORPUS).filter((n) => n !== 'README.md').map((n) => n.replace(/\.json$/, '')).sort();

  it('the generated name list is the corpus listing (regenerate with node scripts/aws-managed-names.mjs)', () => {
    expect([...AWS_MANAGED_POLICY_NAMES]).toEqual(corpus);
  });

  it('every catalogued name (with its path) and every administrative name is in the corpus', () => {
    const have = new Set(corpus);
    expect([...KNOWN_AWS_MANAGED.keys()].filter((n) => !have.has(n))).toEqual([]);
    expect([...ADMIN_MANAGED_POLICIES.keys()].filter((n) => !have.has(n))).toEqual([]);
  });
});

describe('catalogue lookup', () => {
  it.each([
    ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', { kind: 'known' }],
    ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', { kind: 'known' }],
    ['arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole', { kind: 'wrong-path', name: 'AWSLambdaBasicExecutionRole', path: '/service-role/' }],
    ['arn:aws:iam::aws:policy/AmazonBedrockFullAccess', { kind: 'known' }],
    ['arn:aws-us-gov:iam::aws:policy/AmazonBedrockFullAccess', { kind: 'known' }],
    ['arn:aws:iam::aws:policy/NoSuchPolicyAnywhere', { kind: 'unknown', name: 'NoSuchPolicyAnywhere' }],
    ['arn:aws:iam::123456789012:policy/Mine', undefined],
  ])('%s', (arn, verdict) => {
    expect(catalogueLookup(arn)).toEqual(verdict);
  });
});
