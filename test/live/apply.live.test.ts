/**
 * Opt-in, against a REAL AWS account (never in CI): `CHARTER_LIVE=1 npm run test:live`.
 * Uses the default credential chain (AWS_PROFILE, SSO, env...) and CHARTER_LIVE_REGION (default
 * us-east-1). Applies a tiny spec (one role + instance profile, no instances unless
 * CHARTER_LIVE_INSTANCES=1 with CHARTER_LIVE_AMI set), checks a second apply is a no-op, then
 * destroys everything it created. Costs nothing without instances (IAM is free).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsClients } from '../../src/aws/clients.js';
import { realHooks } from '../../src/apply/hooks.js';
import { runApply, runDestroy, type ApplyOptions } from '../../src/apply/run.js';

const LIVE = process.env.CHARTER_LIVE === '1';
const REGION = process.env.CHARTER_LIVE_REGION ?? process.env.AWS_REGION ?? 'us-east-1';
const WITH_INSTANCES = process.env.CHARTER_LIVE_INSTANCES === '1' && !!process.env.CHARTER_LIVE_AMI;
const RUN = `live${Date.now().toString(36)}`;

function spec(): string {
  const L = [
    'version: 1',
    `name: charter-live-${RUN}`,
    'prefix: charter',
    `region: ${REGION}`,
    'services:',
    '  probe:',
    '    policies: [logs:WriteOnly]',
    '    trust: [ec2]',
    '    instanceProfile: true',
  ];
  if (WITH_INSTANCES) L.push('instances:', '  tiny:', '    service: probe', '    type: t3.nano', `    image: ${process.env.CHARTER_LIVE_AMI}`, '    count: 1', '    ttl: 15m');
  return L.join('\n') + '\n';
}

describe.skipIf(!LIVE)('live AWS: apply and destroy a tiny spec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'charter-live-'));
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, spec());
  const out: string[] = [];
  const opts: ApplyOptions = {
    clients: awsClients({ region: REGION, ...(process.env.AWS_PROFILE ? { profile: process.env.AWS_PROFILE } : {}) }),
    hooks: realHooks(),
    io: { out: { write: (s: string) => out.push(s) }, err: { write: (s: string) => out.push(s) }, outTty: false, inTty: false, confirm: async () => false },
    autoApprove: true,
    prune: false,
    adopt: false,
    format: 'text',
    pool: 4,
    journalDir: join(dir, '.charter'),
    profileWaitMs: 120_000,
    signal: new AbortController().signal,
  };
  afterAll(async () => {
    // Always clean up, even when an assertion failed.
    await runDestroy(file, opts).catch((e) => console.error('live cleanup failed:', e));
  }, 300_000);

  it('applies, re-applies as a no-op, destroys', async () => {
    const first = await runApply(file, opts);
    expect(first.exitCode, out.join('')).toBe(0);
    expect(first.summary?.roles[0]?.arn).toMatch(/^arn:aws[\w-]*:iam::\d{12}:role\//);
    const again = await runApply(file, opts);
    expect(again.summary?.status, out.join('')).toBe('no-changes');
    expect(again.summary?.writeCalls).toBe(0);
    const gone = await runDestroy(file, opts);
    expect(gone.exitCode, out.join('')).toBe(0);
    const after = await runDestroy(file, opts);
    expect(after.summary?.status).toBe('no-changes');
  }, 600_000);
});
