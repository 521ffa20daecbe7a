/**
 * `--access-analyzer` over real HTTP to the sandbox with the real SDK client: ValidatePolicy
 * findings mapped to the spec line (compiled documents) and to the exact JSON line:col (policy
 * files), trust policies sent as RESOURCE_POLICY, identical documents checked once,
 * CheckAccessNotGranted with the default deny-list, CheckNoNewAccess against a `compile --out`
 * reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/index.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import { awsClients, SANDBOX_CREDENTIALS } from '../src/aws/clients.js';
import { lint } from '../src/linter/engine.js';
import { accessAnalyzerCalls } from '../src/cli/lint-aa.js';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { writeBundleDir } from '../src/compiler/output.js';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ region: 'us-west-2' });
});
afterAll(async () => {
  await sb.stop();
});

const clients = () => awsClients({ region: 'us-west-2', endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 2 });

function specFile(text: string): string {
  const d = mkdtempSync(join(tmpdir(), 'charter-aa-'));
  writeFileSync(join(d, 'spec.yaml'), text);
  return join(d, 'spec.yaml');
}

const SPEC = `version: 1
name: aa
region: us-west-2
account: "123456789012"
services:
  launcher:
    statements:
      - actions: [ec2:RunInstances]
        resources: ["*"]
      - actions: [iam:PassRole]
        resources: ["*"]
    trust: [ec2]
  twin:
    statements:
      - actions: [ec2:RunInstances]
        resources: ["*"]
      - actions: [iam:PassRole]
        resources: ["*"]
    trust: [ec2]
`;

describe('lint --access-analyzer (sandbox)', () => {
  it('maps ValidatePolicy findings to the spec line, checks identical documents once, and applies the deny-list', async () => {
    const loaded = loadSpecFile(specFile(SPEC));
    const bundle = await compileSpec(loaded);
    sb.resetStats();
    const r = await lint({ specs: [{ loaded, bundle }] }, { accessAnalyzer: accessAnalyzerCalls({ clients: clients() }) });
    const v = r.findings.filter((f) => f.rule === 'aa-validate');
    // PASS_ROLE_WITH_STAR_IN_RESOURCE for both roles, at the `resources: ["*"]` of each role (the two
    // statements share Resource "*", so the canonical document merges them; the first origin is shown).
    expect(v.map((f) => [f.line, f.severity])).toEqual([
      [9, 'error'],
      [16, 'error'],
    ]);
    expect(v[0]!.message).toContain('PASS_ROLE_WITH_STAR_IN_RESOURCE');
    // The identity of an Access Analyzer finding is its issue code, not AWS's wording of it.
    expect(v.map((f) => [f.messageId, f.data])).toEqual([
      ['finding', { code: 'PASS_ROLE_WITH_STAR_IN_RESOURCE' }],
      ['finding', { code: 'PASS_ROLE_WITH_STAR_IN_RESOURCE' }],
    ]);
    const g = r.findings.filter((f) => f.rule === 'aa-access-granted');
    expect(g.length).toBe(2);
    expect(g[0]!.severity).toBe('error');
    expect(g[0]!.messageId).toBe('granted');
    // Two roles with identical inline and trust documents: 1 identity + 1 trust validation, and the
    // access checks of one document (the deny-list is expanded into batches of at most 100 actions).
    const calls = { ...sb.stats().actions };
    expect(calls['access-analyzer:ValidatePolicy']).toBe(2);
    const one = loadSpecFile(specFile(SPEC.slice(0, SPEC.indexOf('  twin:'))));
    sb.resetStats();
    await lint({ specs: [{ loaded: one, bundle: await compileSpec(one) }] }, { accessAnalyzer: accessAnalyzerCalls({ clients: clients() }) });
    expect(calls['access-analyzer:CheckAccessNotGranted']).toBe(sb.stats().actions['access-analyzer:CheckAccessNotGranted']);
    expect(r.stats.accessAnalyzerCalls).toBe(2 + calls['access-analyzer:CheckAccessNotGranted']!);
  });

  it('points policy-file findings at the exact JSON line:col, and sends trust policies as RESOURCE_POLICY', async () => {
    const res = await fetch(`${sb.endpoint}/_sandbox/access-analyzer/findings`, {
      method: 'POST',
      body: JSON.stringify({ findings: [{ match: 'sts:AssumeRole', policyType: 'RESOURCE_POLICY', findingType: 'WARNING', issueCode: 'TRUST_CHECK', findingDetails: 'trust seen', path: ['Statement', 0, 'Principal'] }] }),
    });
    expect(res.status).toBe(200);
    const policy = '{\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "s3:GetObject",\n      "Resource": "arn:aws:s3:::b/*"\n    }\n  ]\n}\n';
    const trust = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Principal": { "Service": "ec2.amazonaws.com" },\n      "Action": "sts:AssumeRole"\n    }\n  ]\n}\n';
    const r = await lint({ files: [{ file: 'p.json', text: policy }, { file: 't.json', text: trust }] }, { accessAnalyzer: accessAnalyzerCalls({ clients: clients() }) });
    const aa = r.findings.filter((f) => f.rule === 'aa-validate').map((f) => [f.file, f.line, f.column, f.severity, f.message.split(':')[0]]);
    expect(aa).toEqual([
      ['p.json', 1, 1, 'info', 'MISSING_VERSION'],
      ['t.json', 6, 20, 'warning', 'TRUST_CHECK'],
    ]);
  });

  it('CheckNoNewAccess against a reference compile', async () => {
    const narrow = SPEC.replaceAll('resources: ["*"]\n      - actions: [iam:PassRole]', 'resources: ["arn:aws:ec2:us-west-2:123456789012:instance/*"]\n      - actions: [iam:PassRole]');
    const refLoaded = loadSpecFile(specFile(narrow));
    const ref = mkdtempSync(join(tmpdir(), 'charter-ref-'));
    writeBundleDir(await compileSpec(refLoaded), join(ref, 'out'));
    const loaded = loadSpecFile(specFile(SPEC));
    const r = await lint({ specs: [{ loaded, bundle: await compileSpec(loaded) }] }, { accessAnalyzer: accessAnalyzerCalls({ clients: clients(), referenceDir: join(ref, 'out') }) });
    const n = r.findings.filter((f) => f.rule === 'aa-new-access');
    expect(n.length).toBe(2);
    expect(n[0]!.message).toContain('grants access the reference does not');
    // Same spec as the reference: nothing new.
    const same = await lint({ specs: [{ loaded: refLoaded, bundle: await compileSpec(refLoaded) }] }, { accessAnalyzer: accessAnalyzerCalls({ clients: clients(), referenceDir: join(ref, 'out') }) });
    expect(same.findings.filter((f) => f.rule === 'aa-new-access')).toEqual([]);
  });
});
