/**
 * Every AWS managed policy (../shared/corpora/aws-managed-policies, beside the checkout): linted
 * without a crash, no grammar error (AWS's own policies are valid), AdministratorAccess is a
 * least-privilege error, ReadOnly-style policies are free of grammar errors and warnings of their
 * own making.
 *
 * A missing corpus fails, unless CHARTER_NO_CORPUS=1 (test/corpus.ts).
 */
import { describe, expect, it } from 'vitest';
import { CORPUS, corpusSuiteName, haveCorpus, requireCorpus } from './corpus.js';
import { readFileSync } from 'node:fs';
import { lint, type LintResult } from '../src/linter/engine.js';
import { policyFilesInDir, readPolicyFile } from '../src/linter/file-source.js';
import { findSecrets, redactSecrets } from '../src/secrets.js';

requireCorpus();

describe.skipIf(!haveCorpus)(corpusSuiteName('AWS managed policy corpus'), () => {
  let result: LintResult;
  let count = 0;
  const get = async () => {
    if (!result) {
      const files = policyFilesInDir(CORPUS).map((p) => readPolicyFile(p, p.slice(CORPUS.length + 1)));
      count = files.length;
      result = await lint({ files });
    }
    return result;
  };

  it('lints every document without a crash', async () => {
    const r = await get();
    expect(count).toBeGreaterThan(1000);
    expect(r.stats.documents).toBe(count);
  });

  it('no grammar error on AWS\'s own policies', async () => {
    const r = await get();
    const errors = r.findings.filter((f) => f.category === 'grammar' && f.severity === 'error');
    expect(errors.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`)).toEqual([]);
  });

  it('AdministratorAccess is a least-privilege error', async () => {
    const r = await get();
    const admin = r.findings.filter((f) => f.file === 'AdministratorAccess' && f.category === 'least-privilege' && f.severity === 'error');
    expect(admin.map((f) => f.rule)).toContain('wildcard-action');
  });

  it('ReadOnly-style policies: no grammar error', async () => {
    const r = await get();
    const ro = r.findings.filter((f) => /ReadOnly/.test(f.file) && f.category === 'grammar' && f.severity === 'error');
    expect(ro).toEqual([]);
    // And the corpus does have ReadOnly policies.
    expect(policyFilesInDir(CORPUS).filter((p) => /ReadOnly/.test(p)).length).toBeGreaterThan(50);
  });

  it('the redactors leave every policy alone (AWS managed policies hold no secrets)', () => {
    const redacted: string[] = [];
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]) : [];
    const files = policyFilesInDir(CORPUS);
    expect(files.length).toBeGreaterThan(1000);
    for (const p of files) {
      const name = p.slice(CORPUS.length + 1);
      const text = readFileSync(p, 'utf8');
      for (const h of findSecrets(text)) redacted.push(`${name}: ${h.id} ${JSON.stringify(text.slice(h.index, h.index + h.length))}`);
      if (redactSecrets(text) !== text) redacted.push(`${name}: redactSecrets changed it`);
      // Each string as a tag value, as plan and compile output would show it.
      for (const s of strings(JSON.parse(text))) {
        if (redactSecrets(s) !== s || redactSecrets(JSON.stringify({ tags: { t: s } })) !== JSON.stringify({ tags: { t: s } })) redacted.push(`${name}: as a tag value ${JSON.stringify(s)}`);
      }
    }
    expect(redacted).toEqual([]);
  });

  it('AdministratorAccess, PowerUserAccess and IAMFullAccess keep their escalation errors', async () => {
    const r = await get();
    const errors = (name: string) => r.findings.filter((f) => f.file === name && f.severity === 'error').map((f) => f.rule);
    expect(errors('AdministratorAccess')).toEqual(expect.arrayContaining(['wildcard-action', 'privesc-action', 'privesc-pass-role']));
    expect(errors('PowerUserAccess')).toContain('privesc-action');
    expect(errors('IAMFullAccess')).toContain('privesc-action');
  });

  it('closed paths are not escalations: non-shell SSM documents, AWS managed policy versions; prefixes are warnings', async () => {
    const r = await get();
    const privesc = (name: string) => r.findings.filter((f) => f.file === name && f.rule.startsWith('privesc'));
    // ssm:SendCommand on document/AWSEC2-CreateVssSnapshot and instance/*.
    expect(privesc('AWSBackupFullAccess').map((f) => f.message)).toEqual([]);
    // ssm:SendCommand on document/AmazonGuardDuty-ConfigureRuntimeMonitoringSsmPlugin.
    expect(privesc('AmazonGuardDutyServiceRolePolicy').map((f) => f.message)).toEqual([]);
    // cloudformation:UpdateStack on stack/DeadlineResourceTracker*: a warning that says so.
    const tracker = privesc('AWSThinkboxDeadlineResourceTrackerAdminPolicy').filter((f) => f.message.includes('cloudformation:UpdateStack'));
    expect(tracker.map((f) => [f.severity, f.message.includes('limited to stack/DeadlineResourceTracker*')])).toEqual([['warning', true]]);
  });

  it('the 9 set-operator-single-valued hits stay', async () => {
    const r = await get();
    expect(r.findings.filter((f) => f.rule === 'set-operator-single-valued').length).toBe(9);
  });

  it('every finding points into its file', async () => {
    const r = await get();
    for (const f of r.findings) {
      expect(f.line).toBeGreaterThan(0);
      expect(f.column).toBeGreaterThan(0);
    }
  });
});
