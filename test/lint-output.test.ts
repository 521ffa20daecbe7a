/**
 * Output formats: SARIF validated against the SARIF 2.1.0 JSON schema (vendored from
 * @microsoft/jest-sarif, see test/fixtures/SARIF-SCHEMA-NOTICE.md) plus the fields GitHub code
 * scanning needs; the documented JSON shape; GitHub workflow commands; text with and without colour.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { lint } from '../src/linter/engine.js';
import { readPolicyFile } from '../src/linter/file-source.js';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { formatSarif } from '../src/linter/format/sarif.js';
import { formatJson } from '../src/linter/format/json.js';
import { formatGithub } from '../src/linter/format/github.js';
import { formatText } from '../src/linter/format/text.js';
import { ALL_RULES } from '../src/linter/rules/index.js';
import type { Finding } from '../src/linter/types.js';

const require = createRequire(import.meta.url);

async function sample(): Promise<Finding[]> {
  const loaded = loadSpecFile('test/fixtures/lint/seeds-agent.yaml');
  const r = await lint({ specs: [{ loaded, bundle: await compileSpec(loaded) }], files: [readPolicyFile('test/fixtures/lint/ttl-guardrail.json'), readPolicyFile('test/fixtures/lint/star-star.json')] });
  return r.findings;
}

function sarifValidator() {
  const { default: Ajv } = require('ajv') as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } };
  const schema = JSON.parse(readFileSync('test/fixtures/sarif-2.1.0-rtm.5.json', 'utf8')) as Record<string, unknown>;
  // The schema is draft-04; ajv 8 speaks draft-07: only the id keyword differs for this schema.
  const { id, $schema: _s, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  return ajv.compile({ ...rest, $id: id });
}

describe('sarif', () => {
  it('validates against the SARIF 2.1.0 schema and carries what GitHub code scanning reads', async () => {
    const findings = await sample();
    expect(findings.length).toBeGreaterThan(3);
    const text = formatSarif(findings, ALL_RULES, '0.1.0');
    const log = JSON.parse(text) as { version: string; runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }> } }; results: Array<Record<string, unknown>> }> };
    const validate = sarifValidator();
    const ok = validate(log);
    expect(validate.errors ?? null).toBeNull();
    expect(ok).toBe(true);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('charter');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.meta.id));
    for (const res of run.results) {
      const r = res as { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>; partialFingerprints: Record<string, string> };
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(r.locations[0]!.physicalLocation.artifactLocation.uri).not.toMatch(/^\/|\\/);
      expect(r.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(Object.values(r.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/);
    }
    // A broken log is rejected (the validation can fail).
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false);
  });

  it('never carries a secret', async () => {
    const text = formatSarif(await sample(), ALL_RULES, '0.1.0');
    for (const s of ['AKIA6GBMW7QFGZXVVBN6', '4mQiit4tJjSl++WG9fq7Dcy0Wz0hSMNEEAmBjwEY', 'sk-abc123xyz789']) expect(text).not.toContain(s);
  });
});

describe('json', () => {
  it('has the documented stable shape', async () => {
    const findings = await sample();
    const j = JSON.parse(formatJson(findings, { suppressed: 2, baselined: 1 })) as { version: number; tool: string; findings: Array<Record<string, unknown>>; summary: Record<string, number> };
    expect(j.version).toBe(1);
    expect(j.tool).toBe('charter');
    for (const f of j.findings) expect(Object.keys(f).sort()).toEqual(['category', 'column', 'file', 'fingerprint', 'hint', 'line', 'message', 'rule', 'severity']);
    expect(j.summary).toEqual({ error: findings.filter((f) => f.severity === 'error').length, warning: findings.filter((f) => f.severity === 'warning').length, info: findings.filter((f) => f.severity === 'info').length, suppressed: 2, baselined: 1 });
  });
});

describe('github', () => {
  it('prints one workflow command per finding, escaped', () => {
    const f: Finding = { rule: 'wildcard-action', category: 'least-privilege', severity: 'error', message: 'a, b: 100%\nnext', file: 'dir,x/p:1.json', line: 3, column: 7 };
    const w: Finding = { ...f, severity: 'info', message: 'm' };
    expect(formatGithub([f, w])).toBe('::error file=dir%2Cx/p%3A1.json,line=3,col=7,title=charter wildcard-action::a, b: 100%25%0Anext\n::notice file=dir%2Cx/p%3A1.json,line=3,col=7,title=charter wildcard-action::m\n');
  });
});

describe('text', () => {
  const f: Finding = { rule: 'wildcard-action', category: 'least-privilege', severity: 'error', message: 'bad', file: 'a.json', line: 2, column: 3, hint: 'fix it' };
  it('eslint-like with a code frame, no colour unless asked', () => {
    const out = formatText([f], { color: false, sources: () => 'one\n  two\nthree\n' });
    expect(out).toContain('a.json\n  2:3      error   bad  wildcard-action\n');
    expect(out).toContain('    > 2 |   two\n');
    expect(out).toContain('      |   ^');
    expect(out).toContain('hint: fix it');
    expect(out).not.toContain('\u001b[');
  });
  it('colour when asked', () => {
    expect(formatText([f], { color: true, sources: () => undefined })).toContain('\u001b[31m');
  });
});
