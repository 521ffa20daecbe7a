/**
 * Finding identity (issue 11 §4): the fingerprints in JSON and SARIF, and baselines, do not depend
 * on how a path was typed (relative, absolute, from a sub-folder), nor on a message's wording for
 * rules with meta.messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { charter } from './cli-support.js';
import { fingerprint } from '../src/linter/baseline.js';
import type { Finding } from '../src/linter/types.js';

let root: string;
const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances', 'iam:PutRolePolicy', 's3:*'], Resource: '*' }] };
const SPEC = 'version: 1\nname: ident\nregion: us-west-2\naccount: "123456789012"\nservices:\n  web:\n    statements:\n      - actions: ["*"]\n        resources: ["*"]\n    trust: [ec2]\n';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'charter-ident-'));
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, 'policies'));
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'policies', 'p.json'), JSON.stringify(POLICY, null, 2));
  writeFileSync(join(root, 'spec.yaml'), SPEC);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Sarif {
  runs: Array<{ results: Array<{ ruleId: string; partialFingerprints: Record<string, string> }> }>;
}

async function fingerprints(cwd: string, input: string): Promise<{ json: string[]; sarif: string[]; messages: string[] }> {
  const j = await charter(['lint', input, '--format', 'json'], { cwd });
  const s = await charter(['lint', input, '--format', 'sarif'], { cwd });
  expect(j.code, j.stderr).toBe(1);
  expect(s.code, s.stderr).toBe(1);
  const findings = (JSON.parse(j.stdout) as { findings: Array<{ rule: string; fingerprint: string; message: string }> }).findings;
  const results = (JSON.parse(s.stdout) as Sarif).runs[0]!.results;
  return {
    json: findings.map((f) => `${f.rule} ${f.fingerprint}`).sort(),
    sarif: results.map((r) => `${r.ruleId} ${r.partialFingerprints['charterFinding/v1']}`).sort(),
    messages: findings.map((f) => f.message),
  };
}

describe('fingerprints do not depend on how the path was typed', () => {
  for (const [what, file] of [['a policy file', 'policies/p.json'], ['a spec', 'spec.yaml']] as const) {
    it(`${what}: relative, absolute and from a sub-folder give identical fingerprints in JSON and SARIF`, async () => {
      const rel = await fingerprints(root, file);
      const abs = await fingerprints(root, join(root, file));
      const fromSub = await fingerprints(join(root, 'sub'), `../${file}`);
      expect(rel.json.length).toBeGreaterThan(1);
      expect(abs.json).toEqual(rel.json);
      expect(fromSub.json).toEqual(rel.json);
      expect(rel.sarif).toEqual(rel.json);
      expect(abs.sarif).toEqual(rel.json);
      expect(fromSub.sarif).toEqual(rel.json);
      // The messages do name the file as typed (so the identity is not just the message).
      if (file.endsWith('.json')) expect(abs.messages.join('\n')).toContain(join(root, file));
    });
  }

  it('a baseline written from the root accepts the same findings typed from a sub-folder', async () => {
    const base = join(root, 'base.json');
    expect((await charter(['lint', 'policies/p.json', '--write-baseline', base], { cwd: root })).code).toBe(0);
    const r = await charter(['lint', '../policies/p.json', '--baseline', base], { cwd: join(root, 'sub') });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/6 in baseline/);
  });
});

describe('rewording a message keeps the fingerprint', () => {
  const f: Finding = { rule: 'privesc-action', category: 'privilege-escalation', severity: 'error', message: 'role web can escalate privileges: iam:PutRolePolicy lets it …', file: 'spec.yaml', line: 3, column: 9, pointer: '/services/web', messageId: 'escalate', data: { names: 'iam:PutRolePolicy' } };
  it('same rule, messageId, data and location: same fingerprint, whatever the text and line', () => {
    expect(fingerprint({ ...f, message: 'web may raise its privileges with iam:PutRolePolicy', line: 40 })).toBe(fingerprint(f));
  });
  it('other data, message id or location: another fingerprint', () => {
    expect(fingerprint({ ...f, data: { names: 'iam:AttachRolePolicy' } })).not.toBe(fingerprint(f));
    expect(fingerprint({ ...f, messageId: 'escalateNotAction' })).not.toBe(fingerprint(f));
    expect(fingerprint({ ...f, pointer: '/services/api' })).not.toBe(fingerprint(f));
    expect(fingerprint(f, 'other/spec.yaml')).not.toBe(fingerprint(f));
  });
});
