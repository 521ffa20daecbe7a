/**
 * `charter lint --access-analyzer --reference live` over real HTTP to the sandbox with the real SDK
 * clients: the live state is read as `charter plan` reads it (the resources seeded by an "apply"
 * made with SDK calls, test/plan-helpers.ts, or by `charter apply --sandbox`), each compiled
 * document is compared with its live counterpart by the sandbox's CheckNoNewAccess, and findings
 * point at the spec line. Reads only; AccessDenied reads fail with plan's message.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyDirect, compileText, sandbox } from './plan-helpers.js';
import { charter } from './cli-support.js';
import { runLint, type LintCommandOptions } from '../src/cli/lint-run.js';
import { liveAccessAnalyzer } from '../src/cli/lint-live.js';
import { runPlan } from '../src/apply/plan-run.js';
import type { RunningSandbox } from '../src/sandbox/index.js';
import { SANDBOX_CREDENTIALS, type AwsClients } from '../src/aws/clients.js';
import type { Finding } from '../src/linter/types.js';

// runLint / runPlan in process read credentials from the environment, as for any --endpoint: the
// sandbox's dummy keys (a loopback endpoint earns none of its own).
beforeAll(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', SANDBOX_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', SANDBOX_CREDENTIALS.secretAccessKey);
});
afterAll(() => vi.unstubAllEnvs());

const SPEC = `version: 1
name: live-ref
prefix: charter
region: us-west-2
account: "123456789012"
services:
  named:
    name: live-ref-named
    statements:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::bucket-a/*"]
      - actions: [sqs:SendMessage]
        resources: ["arn:aws:sqs:us-west-2:123456789012:queue-a"]
    trust: [ec2]
  hashed:
    naming: content
    statements:
      - actions: [dynamodb:GetItem]
        resources: ["arn:aws:dynamodb:us-west-2:123456789012:table/t"]
    trust: [ec2]
`;

const BROADER_NAMED = SPEC.replace('[sqs:SendMessage]', '[sqs:SendMessage, sqs:DeleteMessage]');
const BROADER_HASHED = SPEC.replace('[dynamodb:GetItem]', '[dynamodb:GetItem, dynamodb:Query]');
const NARROWER_NAMED = SPEC.replace('      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::bucket-a/*"]\n', '');
const WITH_NEW_SERVICE = SPEC + `  fresh:
    naming: content
    statements:
      - actions: [sns:Publish]
        resources: ["arn:aws:sns:us-west-2:123456789012:topic"]
    trust: [ec2]
`;

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return i + 1;
}

function specFile(text: string): string {
  const d = mkdtempSync(join(tmpdir(), 'charter-live-ref-'));
  writeFileSync(join(d, 'spec.yaml'), text);
  return join(d, 'spec.yaml');
}

let sb: RunningSandbox | undefined;
let clients: AwsClients;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

async function seeded(o: Parameters<typeof sandbox>[0] = {}): Promise<void> {
  const s = await sandbox(o);
  sb = s.sb;
  clients = s.clients;
  await applyDirect(await clients.iam(), undefined, await compileText(SPEC));
}

async function lintLive(text: string, over: Partial<LintCommandOptions> = {}): Promise<Finding[]> {
  const r = await runLint({ inputs: [specFile(text)], format: 'json', failOn: 'error', accessAnalyzer: true, reference: 'live', endpoint: sb!.endpoint, color: false, version: 'test', out: () => {}, err: () => {}, liveSetup: liveAccessAnalyzer, ...over });
  return r.fresh.filter((f) => f.rule === 'aa-new-access');
}

/** The head of another spec under the same prefix, in the same account. */
const OPS_HEAD = 'version: 1\nname: ops\nprefix: charter\nregion: us-west-2\naccount: "123456789012"\n';

/** A sandbox holding SPEC's roles and another spec's (same prefix), applied with SDK calls. */
async function seededWith(other: string): Promise<void> {
  const s = await sandbox();
  sb = s.sb;
  const iam = await s.clients.iam();
  await applyDirect(iam, undefined, await compileText(SPEC));
  await applyDirect(iam, undefined, await compileText(other, 'ops.yaml'));
}

/** privesc-cross-role findings of `text` linted with --reference live against the sandbox. */
async function crossRole(text: string): Promise<Finding[]> {
  const r = await runLint({ inputs: [specFile(text)], format: 'json', failOn: 'error', accessAnalyzer: true, reference: 'live', endpoint: sb!.endpoint, color: false, version: 'test', out: () => {}, err: () => {}, liveSetup: liveAccessAnalyzer });
  return r.fresh.filter((f) => f.rule === 'privesc-cross-role');
}

describe('lint --access-analyzer --reference live (sandbox)', () => {
  it('an unchanged spec: no new access, and the lint only reads', async () => {
    await seeded();
    sb!.resetStats();
    expect(await lintLive(SPEC)).toEqual([]);
    const st = sb!.stats();
    expect(st.writes).toBe(0);
    // The live state was read the way plan reads it.
    expect(st.actions['sts:GetCallerIdentity']).toBe(1);
    expect((st.actions['iam:GetAccountAuthorizationDetails'] ?? 0) + (st.actions['iam:GetRole'] ?? 0)).toBeGreaterThan(0);
    // Unchanged documents are not sent to CheckNoNewAccess at all.
    expect(st.actions['access-analyzer:CheckNoNewAccess']).toBeUndefined();
  });

  it('a broadened inline policy of an explicitly named role: exactly one finding, at the spec line', async () => {
    await seeded();
    const f = await lintLive(BROADER_NAMED);
    expect(f.map((x) => [x.line, x.severity])).toEqual([[lineOf(BROADER_NAMED, 'sqs:DeleteMessage'), 'warning']]);
    expect(f[0]!.message).toMatch(/^inline policy charter-inline-policy of .* grants access the live inline policy charter-inline-policy of role live-ref-named does not: /);
    // Narrowing is not new access.
    expect(await lintLive(NARROWER_NAMED)).toEqual([]);
  });

  it('a hash-named role whose content changed (new name) is compared with the previous generation', async () => {
    await seeded();
    const before = (await compileText(SPEC)).roles.find((r) => r.service === 'hashed')!.name;
    const after = (await compileText(BROADER_HASHED)).roles.find((r) => r.service === 'hashed')!.name;
    expect(after).not.toBe(before);
    const f = await lintLive(BROADER_HASHED);
    expect(f.map((x) => [x.line, x.severity])).toEqual([[lineOf(BROADER_HASHED, 'dynamodb:Query'), 'warning']]);
    expect(f[0]!.message).toContain(`grants access the live inline policy charter-inline-policy of role ${before} (the previous generation of ${after}) does not`);
  });

  it('a document with no live counterpart: one info finding each, not an error', async () => {
    await seeded();
    const f = await lintLive(WITH_NEW_SERVICE);
    expect(f.map((x) => [x.line, x.severity])).toEqual([
      [lineOf(WITH_NEW_SERVICE, 'fresh:') + 1, 'info'],
      [lineOf(WITH_NEW_SERVICE, 'fresh:') + 1, 'info'],
    ]);
    expect(f.map((x) => x.message).sort()).toEqual([
      expect.stringMatching(/^inline policy .*: no live counterpart: role charter-fresh-\w+ is not in AWS and no earlier generation of it is: everything it grants is new$/),
      expect.stringMatching(/^trust policy .*: no live counterpart: .*: everything it grants is new$/),
    ]);
  });

  it('overflow: statements moving between the inline and customer-managed policies are not new access', async () => {
    // 40 statements of about 300 characters: over the 10,240 inline limit, the rest in a managed policy.
    const big = (extra: boolean) => {
      const L = ['version: 1', 'name: ovf', 'region: us-west-2', 'account: "123456789012"', 'services:', '  big:', '    name: ovf-big', '    statements:'];
      if (extra) L.push('      - actions: [acm:DescribeCertificate]', `        resources: [${Array.from({ length: 8 }, (_, j) => `"arn:aws:acm:us-west-2:123456789012:certificate/cert-${j}"`).join(', ')}]`);
      for (let i = 0; i < 40; i++) L.push('      - actions: [s3:GetObject]', `        resources: [${Array.from({ length: 8 }, (_, j) => `"arn:aws:s3:::bucket-${i}-${j}/*"`).join(', ')}]`);
      L.push('    trust: [ec2]');
      return L.join('\n') + '\n';
    };
    const base = await compileText(big(false));
    const more = await compileText(big(true));
    // The extra statement sorts first and pushes two statements out of the inline policy: the
    // managed policy gets a new (content-addressed) name.
    expect(base.managedPolicies.length).toBe(1);
    expect(more.managedPolicies.length).toBe(1);
    expect(more.managedPolicies[0]!.name).not.toBe(base.managedPolicies[0]!.name);
    expect(more.managedPolicies[0]!.document.Statement.length).toBeGreaterThan(base.managedPolicies[0]!.document.Statement.length);

    const s = await sandbox();
    sb = s.sb;
    await applyDirect(await s.clients.iam(), undefined, base);
    // Growing: only the added statement is new; the statements that moved into the new managed policy are not.
    const f = await lintLive(big(true));
    expect(f.map((x) => [x.line, x.severity])).toEqual([[lineOf(big(true), 'acm:DescribeCertificate'), 'warning']]);

    // Shrinking back: statements move from the managed policy into the inline one, nothing is new.
    await sb.stop();
    const s2 = await sandbox();
    sb = s2.sb;
    await applyDirect(await s2.clients.iam(), undefined, more);
    expect(await lintLive(big(false))).toEqual([]);
  });

  it('denied reads fail with the message plan gives (the read-only policy), not a stack trace', async () => {
    await seeded({ deny: ['iam:GetAccountAuthorizationDetails', 'iam:ListRoles'] });
    const file = specFile(SPEC);
    const planErr = await runPlan({ spec: file, prune: false, adopt: false, endpoint: sb!.endpoint }).then(() => undefined, (e: Error) => e);
    const lintErr = await runLint({ inputs: [file], format: 'json', failOn: 'error', accessAnalyzer: true, reference: 'live', endpoint: sb!.endpoint, color: false, version: 'test', out: () => {}, err: () => {}, liveSetup: liveAccessAnalyzer }).then(() => undefined, (e: Error) => e);
    expect(planErr?.message).toMatch(/^access denied: .* may not call iam:ListRoles .*charter plan --print-required-policy$/);
    expect(lintErr?.name).toBe(planErr?.name);
    expect(lintErr?.message).toBe(planErr?.message);
  });

  it('privesc-cross-role reaches the live roles read beside the spec (another spec under the same prefix)', async () => {
    const OTHER = `${OPS_HEAD}trust:
  from-account:
    aws: ["arn:aws:iam::123456789012:root"]
services:
  admin:
    name: charter-ops-admin
    statements:
      - actions: ["*"]
        resources: ["*"]
    trust: [from-account]
`;
    await seededWith(OTHER);
    const ASSUMES = SPEC.replace('      - actions: [dynamodb:GetItem]', '      - actions: [sts:AssumeRole]\n        resources: ["arn:aws:iam::123456789012:role/charter-ops-admin"]\n      - actions: [dynamodb:GetItem]');
    // Must fire: the spec's role may assume the live administrator role, whose trust admits the account.
    const f = await crossRole(ASSUMES);
    expect(f.map((x) => [x.line, x.column, x.severity])).toEqual([[lineOf(ASSUMES, '[sts:AssumeRole]'), 19, 'error']]);
    expect(f[0]!.message).toBe('role hashed can assume live role charter-ops-admin (its trust policy trusts account 123456789012 and role hashed is granted sts:AssumeRole on it), which amounts to an administrator: it is granted every action on every resource');
    // Must not fire: without the grant (the trust names the account, not the role); and without --reference live the live role is not known.
    expect(await crossRole(SPEC)).toEqual([]);
    const offline = await runLint({ inputs: [specFile(ASSUMES)], format: 'json', failOn: 'error', color: false, version: 'test', out: () => {}, err: () => {} });
    expect(offline.fresh.filter((x) => x.rule === 'privesc-cross-role')).toEqual([]);
  });

  it('privesc-cross-role: a spec role whose trust lets a live role in that holds less is reported at that trust entry', async () => {
    const WORKER = `${OPS_HEAD}services:
  worker:
    name: charter-ops-worker
    statements:
      - actions: [sts:AssumeRole]
        resources: ["*"]
    trust: [ec2]
`;
    await seededWith(WORKER);
    const BOSS = SPEC.replace('services:\n', 'trust:\n  from-account:\n    aws: ["arn:aws:iam::123456789012:root"]\nservices:\n') + `  boss:
    name: live-ref-boss
    statements:
      - actions: ["iam:*"]
        resources: ["*"]
    trust: [from-account]
`;
    // Must fire: the live worker may assume any role, and the new role trusts the account: at the new role's trust entry.
    const f = await crossRole(BOSS);
    expect(f.map((x) => [x.line, x.column, x.severity, x.subject])).toEqual([[lineOf(BOSS, 'trust: [from-account]'), 13, 'error', 'live role charter-ops-worker']]);
    expect(f[0]!.message).toMatch(/^live role charter-ops-worker can assume role boss \(its trust policy trusts account 123456789012 and live role charter-ops-worker is granted sts:AssumeRole on it\), which amounts to an administrator: /);
    // Must not fire: the same role trusting EC2 only.
    expect(await crossRole(BOSS.replace('trust: [from-account]', 'trust: [ec2]'))).toEqual([]);
  });

  it('--reference live needs a spec', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-live-ref-'));
    writeFileSync(join(d, 'p.json'), '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}');
    await expect(runLint({ inputs: [join(d, 'p.json')], format: 'json', failOn: 'error', accessAnalyzer: true, reference: 'live', sandbox: true, color: false, version: 'test', out: () => {}, err: () => {}, liveSetup: liveAccessAnalyzer })).rejects.toThrow(/--reference live needs a spec/);
  });
});

describe('charter lint --reference live --sandbox (CLI)', () => {
  const run = (args: string[], cwd: string) => charter(args, { cwd });

  it('after `charter apply --sandbox`: the applied spec has no new access, a broadened one has one finding; the sandbox state is not written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-live-ref-cli-'));
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    const applied = await run(['apply', 'spec.yaml', '--sandbox', '--auto-approve'], dir);
    expect(applied.code, applied.stderr).toBe(0);
    const state = readFileSync(join(dir, '.charter/sandbox.json'), 'utf8');

    const same = await run(['lint', 'spec.yaml', '--access-analyzer', '--reference', 'live', '--sandbox', '--format', 'json'], dir);
    expect(same.code, same.stderr).not.toBe(2);
    const sameFindings = (JSON.parse(same.stdout) as { findings: Finding[] }).findings.filter((f) => f.rule === 'aa-new-access');
    expect(sameFindings).toEqual([]);

    writeFileSync(join(dir, 'broader.yaml'), BROADER_NAMED);
    const broader = await run(['lint', 'broader.yaml', '--access-analyzer', '--reference', 'live', '--sandbox', '--format', 'json'], dir);
    expect(broader.code, broader.stderr).not.toBe(2);
    const f = (JSON.parse(broader.stdout) as { findings: Finding[] }).findings.filter((x) => x.rule === 'aa-new-access');
    expect(f.map((x) => [x.file, x.line])).toEqual([['broader.yaml', lineOf(BROADER_NAMED, 'sqs:DeleteMessage')]]);
    expect(readFileSync(join(dir, '.charter/sandbox.json'), 'utf8')).toBe(state);

    const help = await run(['lint', '--help'], dir);
    expect(help.stdout).toContain('--reference live');
    expect(help.stdout).toMatch(/`live`, the deployed roles/);
  });
});
