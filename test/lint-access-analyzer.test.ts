/**
 * `--access-analyzer` over real HTTP to the sandbox with the real SDK client: ValidatePolicy
 * findings mapped to the spec line (compiled documents) and to the exact JSON line:col (policy
 * files), trust policies sent as RESOURCE_POLICY, identical documents checked once,
 * CheckAccessNotGranted with the default deny-list, CheckNoNewAccess against a `compile --out`
 * reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { charter, sandboxEnv } from './cli-support.js';
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

describe('a failed Access Analyzer call does not hide the offline findings', () => {
  /** An endpoint that denies every Access Analyzer call, as AWS answers a caller without access-analyzer:* (restJson, HTTP 403). */
  async function denyingEndpoint(): Promise<{ endpoint: string; close: () => Promise<void> }> {
    const srv = createServer((req, res) => {
      req.resume().on('end', () => {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' });
        res.end(JSON.stringify({ message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: access-analyzer:ValidatePolicy' }));
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return { endpoint: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, close: () => new Promise((r) => srv.close(() => r())) };
  }

  it('text, json and sarif: every offline finding is printed, the failure names the call and endpoint, exit 1', async () => {
    const file = specFile(SPEC);
    const offline = await charter(['lint', file, '--format', 'json']);
    const offlineFindings = (JSON.parse(offline.stdout) as { findings: unknown[] }).findings;
    expect(offlineFindings.length).toBeGreaterThan(0);
    const deny = await denyingEndpoint();
    try {
      const json = await charter(['lint', file, '--format', 'json', '--access-analyzer', '--endpoint', deny.endpoint], { env: sandboxEnv() });
      expect(json.code).toBe(1);
      expect((JSON.parse(json.stdout) as { findings: unknown[] }).findings).toEqual(offlineFindings);
      expect(json.stderr).toMatch(new RegExp(`^error: access denied: the caller may not call access-analyzer:ValidatePolicy at http:\\/\\/\\S+ \\(User: arn:aws:iam::123456789012:user/ci is not authorized to perform: access-analyzer:ValidatePolicy\\).*the findings above are every offline rule's; Access Analyzer's are missing\\)\\n$`));
      const text = await charter(['lint', file, '--access-analyzer', '--endpoint', deny.endpoint], { env: sandboxEnv() });
      expect(text.code).toBe(1);
      expect(text.stdout).toBe(offline.stdout === '' ? '' : (await charter(['lint', file])).stdout);
      const sarif = await charter(['lint', file, '--format', 'sarif', '--access-analyzer', '--endpoint', deny.endpoint], { env: sandboxEnv() });
      const run = (JSON.parse(sarif.stdout) as { runs: Array<{ results: unknown[]; invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ descriptor: { id: string }; message: { text: string } }> }> }> }).runs[0]!;
      expect(run.results).toHaveLength(offlineFindings.length);
      expect(run.invocations[0]!.executionSuccessful).toBe(false);
      expect(run.invocations[0]!.toolExecutionNotifications.map((n) => n.descriptor.id)).toEqual(['check-failed']);
      expect(run.invocations[0]!.toolExecutionNotifications[0]!.message.text).toContain('access-analyzer:ValidatePolicy');
      // No baseline that would silently miss Access Analyzer's findings.
      const base = join(mkdtempSync(join(tmpdir(), 'charter-aa-')), 'baseline.json');
      const wb = await charter(['lint', file, '--access-analyzer', '--endpoint', deny.endpoint, '--write-baseline', base], { env: sandboxEnv() });
      expect(wb.code).toBe(1);
      expect(existsSync(base)).toBe(false);
    } finally {
      await deny.close();
    }
  });

  it('a 5xx HTML page names the call and the endpoint', async () => {
    const srv = createServer((req, res) => req.resume().on('end', () => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<html><body>502 Bad Gateway</body></html>'); }));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    try {
      const c = awsClients({ region: 'us-west-2', endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
      const loaded = loadSpecFile(specFile(SPEC));
      const r = await lint({ specs: [{ loaded, bundle: await compileSpec(loaded) }] }, { accessAnalyzer: accessAnalyzerCalls({ clients: c }) });
      expect(r.accessAnalyzerFailure).toBe(`access-analyzer:ValidatePolicy failed at ${endpoint}: the endpoint answered HTTP 502 (text/html), not an AWS response (a proxy or gateway in front of it, or the wrong URL?)`);
      expect(r.findings.filter((f) => !f.rule.startsWith('aa-')).length).toBeGreaterThan(0);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});

describe('--reference that is not a directory is bad input (exit 2), before any AWS call', () => {
  it.each([['a missing directory', 'no-such-dir'], ['a file', 'spec.yaml']])('%s', async (_what, ref) => {
    const file = specFile(SPEC);
    const r = await charter(['lint', file, '--access-analyzer', '--endpoint', 'http://127.0.0.1:1', '--reference', join(dirname(file), ref)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`--reference ${join(dirname(file), ref)}: no such directory  (give the directory a previous \`charter compile SPEC --out DIR\` wrote, or --reference live)\n`);
    expect(r.stdout).toBe('');
  });
});
