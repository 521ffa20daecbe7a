/**
 * The stale check decides from typed fingerprint targets: what an interrupted attempt started is
 * exempt by kind and name (a managed policy fingerprinted by ARN is matched to its change by name,
 * not by cutting the ARN), and nothing else is.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../src/plan/plan.js';
import { staleReasons } from '../src/plan/stale.js';
import type { LiveState } from '../src/policy/live-types.js';
import { compileText } from './plan-helpers.js';

const stmts = Array.from({ length: 60 }, (_, i) => `      - actions: [s3:GetObject, s3:PutObject, s3:DeleteObject, s3:GetObjectTagging]\n        resources: ["arn:aws:s3:::bucket-with-a-long-name-number-${i}/some/prefix/*"]`).join('\n');
const SPEC = `version: 1\nname: stale\nprefix: charter\nregion: us-west-2\naccount: "123456789012"\nservices:\n  big:\n    statements:\n${stmts}\n    trust: [lambda]\n`;
const empty: LiveState = { account: '123456789012', callerArn: 'arn:aws:iam::123456789012:user/ci', region: 'us-west-2', partition: 'aws', roles: [], policies: [], instanceProfiles: [], instances: [], readMode: 'gaad', readCalls: 0 };
const moved = 'f'.repeat(64);

describe('staleReasons over typed targets', () => {
  it('a started managed-policy change exempts its policy (fingerprinted by ARN) and nothing else', async () => {
    const b = await compileText(SPEC);
    const p = await plan(b, empty, { prune: false, adopt: false });
    const pol = p.changes.find((c) => c.kind === 'managed-policy')!;
    const role = p.changes.find((c) => c.kind === 'role')!;
    expect(pol).toBeDefined();
    const polFp = p.fingerprints.find((f) => f.target.kind === 'policy')!;
    expect(polFp.target).toMatchObject({ kind: 'policy', arn: expect.stringMatching(/^arn:aws:iam::123456789012:policy\//) });
    const roleFp = p.fingerprints.find((f) => f.target.kind === 'role')!;
    const now = (keys: string[]) => ({ specHash: p.specHash, bundle: b, fingerprints: p.fingerprints.map((f) => (keys.includes(f.key) ? { ...f, hash: moved } : f)) });

    // Nothing started: the policy that appeared is a stale reason.
    expect(staleReasons(p, now([polFp.key]), new Set()).map((r) => r.key)).toEqual([polFp.key]);
    // The policy's change started: the policy is exempt.
    expect(staleReasons(p, now([polFp.key]), new Set([pol.address]))).toEqual([]);
    // ...but a role that moved is not, unless its own change started.
    expect(staleReasons(p, now([polFp.key, roleFp.key]), new Set([pol.address])).map((r) => r.key)).toEqual([roleFp.key]);
    expect(staleReasons(p, now([polFp.key, roleFp.key]), new Set([pol.address, role.address]))).toEqual([]);
  });
});
