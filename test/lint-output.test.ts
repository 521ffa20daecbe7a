/**
 * Output formats: SARIF validated against the official SARIF 2.1.0 JSON schema (vendored from
 * @microsoft/sarif-multitool-linux, see test/fixtures/SARIF-SCHEMA-NOTICE.md) plus the fields GitHub code
 * scanning needs; the documented JSON shape; GitHub workflow commands; text with and without colour.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { InputError } from '../src/diagnostics.js';
import { repositoryRoot, runLint, type LintCommandOptions } from '../src/cli/lint-run.js';
import { docsBase } from '../src/cli/lint.js';
import { lint } from '../src/linter/engine.js';
import { readPolicyFile } from '../src/linter/file-source.js';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { formatSarif, isSecurityRule, MAX_RESULTS, repoRelative, type SarifOptions } from '../src/linter/format/sarif.js';
import { formatJson, jsonWriter, toJsonFinding } from '../src/linter/format/json.js';
import { nestedJson } from '../src/linter/format/nested-json.js';
import fc from 'fast-check';
import { fillMessage } from '../src/linter/message-template.js';
import { formatGithub, formatGithubSummary } from '../src/linter/format/github.js';
import { formatText } from '../src/linter/format/text.js';
import { ALL_RULES } from '../src/linter/rules/index.js';
import type { Finding } from '../src/linter/types.js';

const require = createRequire(import.meta.url);

async function sample(): Promise<Finding[]> {
  const loaded = loadSpecFile('test/fixtures/lint/seeds-agent.yaml');
  const r = await lint({ specs: [{ loaded, bundle: await compileSpec(loaded) }], files: [readPolicyFile('test/fixtures/lint/ttl-guardrail.json'), readPolicyFile('test/fixtures/lint/star-star.json')] });
  return r.findings;
}

type Validator = ((d: unknown) => boolean) & { errors?: unknown };
let validator: Validator | undefined;
/** ajv's draft 2020-12 validator over the vendored official schema, with the formats it uses checked. */
function sarifValidator(): Validator {
  if (validator) return validator;
  const { default: Ajv2020 } = require('ajv/dist/2020') as { default: new (o: object) => { addFormat(n: string, f: (s: string) => boolean): void; compile(s: object): Validator } };
  const schema = JSON.parse(readFileSync('test/fixtures/sarif-schema-2.1.0.json', 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  const url = (s: string, base?: string) => {
    try {
      new URL(s, base);
      return true;
    } catch {
      return false;
    }
  };
  ajv.addFormat('uri', (s) => url(s));
  ajv.addFormat('uri-reference', (s) => url(s, 'file:///'));
  ajv.addFormat('uuid', (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s));
  ajv.addFormat('date-time', (s) => !Number.isNaN(Date.parse(s)));
  validator = ajv.compile(schema);
  return validator;
}

function expectValid(log: unknown): void {
  const validate = sarifValidator();
  const ok = validate(log);
  expect(validate.errors ?? null).toBeNull();
  expect(ok).toBe(true);
}

interface SarifLocation { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }
interface SarifResult { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: SarifLocation[]; partialFingerprints: Record<string, string> }
interface SarifRun {
  tool: { driver: { name: string; rules: Array<{ id: string; helpUri?: string; shortDescription: { text: string }; defaultConfiguration: { level: string }; properties: { tags: string[]; 'security-severity'?: string } }> } };
  invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Array<{ level: string; message: { text: string }; descriptor: { id: string }; locations?: SarifLocation[] }> }>;
  columnKind: string;
  results: SarifResult[];
}
const parseLog = (text: string) => JSON.parse(text) as { version: string; runs: SarifRun[] };

const ROOT = process.cwd();
const opts = (extra: Partial<SarifOptions> = {}): SarifOptions => ({ version: '0.1.0', root: ROOT, cwd: ROOT, ...extra });

/** `charter lint … --format sarif` in process: stdout, and the bad-input error when there is one. */
async function lintSarif(inputs: string[], o: Partial<LintCommandOptions> = {}): Promise<{ text: string; error?: InputError }> {
  let text = '';
  try {
    await runLint({ inputs, format: 'sarif', failOn: 'error', color: false, version: '0.1.0', env: {}, out: (s) => (text += s), err: () => {}, ...o });
    return { text };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { text, error: e };
  }
}

describe('sarif', () => {
  it('validates against the official SARIF 2.1.0 schema and carries what GitHub code scanning reads', async () => {
    const findings = await sample();
    expect(findings.length).toBeGreaterThan(3);
    const log = parseLog(formatSarif(findings, ALL_RULES, opts()));
    expectValid(log);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('charter');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.meta.id));
    expect(run.invocations[0]!.executionSuccessful).toBe(true);
    expect(run.results).toHaveLength(findings.length);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/^(fixtures|test)\//);
      expect(r.locations[0]!.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(r.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(Object.values(r.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/);
    }
    // A broken log is rejected (the validation can fail).
    expect(sarifValidator()({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false);
  });

  it('every fixture through the CLI path is valid SARIF', async () => {
    const inputs = [...readdirSync('fixtures').filter((f) => f.endsWith('.yaml')).map((f) => `fixtures/${f}`), 'fixtures/policies', ...readdirSync('test/fixtures/lint').filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => `test/fixtures/lint/${f}`)];
    const { text, error } = await lintSarif(inputs);
    expect(error).toBeUndefined();
    const log = parseLog(text);
    expectValid(log);
    expect(log.runs[0]!.results.length).toBeGreaterThan(20);
  });

  it('URIs are relative to the repository root and fingerprints equal, whatever path style or working directory', async () => {
    const rel = 'test/fixtures/lint/star-star.json';
    const styles = [rel, `./${rel}`, join(ROOT, rel), `test/fixtures/../fixtures/lint/star-star.json`];
    const runs = [];
    for (const s of styles) runs.push(parseLog((await lintSarif([s])).text).runs[0]!);
    // From a subdirectory (`cd test && charter lint fixtures/lint/star-star.json`): the formatter is told the cwd.
    const inTest = await sample().then(() => lint({ files: [readPolicyFile(rel, 'fixtures/lint/star-star.json')] }));
    runs.push(parseLog(formatSarif(inTest.findings, ALL_RULES, opts({ cwd: join(ROOT, 'test') }))).runs[0]!);
    // Windows separators name the same file.
    const win = 'fixtures\\lint\\star-star.json';
    runs.push(parseLog(formatSarif(inTest.findings.map((f) => ({ ...f, file: win, message: f.message.split(f.file).join(win), ...(f.data ? { data: Object.fromEntries(Object.entries(f.data).map(([k, v]) => [k, v.split(f.file).join(win)])) } : {}) })), ALL_RULES, opts({ cwd: join(ROOT, 'test') }))).runs[0]!);
    const shape = (r: SarifRun) => r.results.map((x) => [x.locations[0]!.physicalLocation.artifactLocation.uri, x.partialFingerprints['charterFinding/v1'], x.ruleId, x.locations[0]!.physicalLocation.region.startLine]);
    expect(runs[0]!.results.length).toBeGreaterThan(0);
    expect(runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe(rel);
    for (const r of runs.slice(1)) expect(shape(r)).toEqual(shape(runs[0]!));
    // GITHUB_WORKSPACE is the root in Actions (here: pretend the repository is test/).
    const ws = parseLog((await lintSarif([rel], { env: { GITHUB_WORKSPACE: join(ROOT, 'test') } })).text).runs[0]!;
    expect(ws.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('fixtures/lint/star-star.json');
    // The git top level is found from a subdirectory too.
    expect(repositoryRoot(join(ROOT, 'test', 'fixtures'), {})).toBe(ROOT);
  });

  it('a file that fails to load: the others keep their results, the failure is an execution notification at its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-sarif-'));
    writeFileSync(join(dir, 'good.json'), readFileSync('test/fixtures/lint/star-star.json'));
    writeFileSync(join(dir, 'broken.json'), '{\n  "Version": "2012-10-17",\n  "Statement": [\n');
    writeFileSync(join(dir, 'spec.yaml'), 'version: 1\nroles: [\n');
    const { text, error } = await lintSarif([dir, join(dir, 'spec.yaml')], { cwd: dir, env: { GITHUB_WORKSPACE: dir } });
    expect(error?.problems.map((p) => p.pos?.file)).toEqual([join(dir, 'broken.json'), join(dir, 'spec.yaml')]);
    const log = parseLog(text);
    expectValid(log);
    const run = log.runs[0]!;
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    const notes = run.invocations[0]!.toolExecutionNotifications!;
    expect(notes.map((n) => [n.level, n.descriptor.id, n.locations![0]!.physicalLocation.artifactLocation.uri])).toEqual([['error', 'load-failure', 'broken.json'], ['error', 'load-failure', 'spec.yaml']]);
    expect(notes[0]!.message.text).toContain('JSON syntax');
    // The [ that is never closed (line 3), not the end of the file.
    expect(notes[0]!.locations![0]!.physicalLocation.region.startLine).toBe(3);
    expect(run.results.length).toBeGreaterThan(0);
    expect(new Set(run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(new Set(['good.json']));
  });

  it('a 30,000-result directory: the 25,000 most severe are kept and a notification says how many were left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-sarif-big-'));
    // Each file: errors (wildcard-action) and warnings; enough files for > 30,000 findings.
    const stmts = (n: number, s: object) => Array.from({ length: n }, (_x, i) => ({ Sid: `S${i}`, ...s }));
    const errors = { Version: '2012-10-17', Statement: stmts(100, { Effect: 'Allow', Action: '*', Resource: '*' }) };
    const warnings = { Version: '2012-10-17', Statement: stmts(100, { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }) };
    for (let i = 0; i < 150; i++) writeFileSync(join(dir, `e${String(i).padStart(3, '0')}.json`), JSON.stringify(errors, null, 1));
    for (let i = 0; i < 200; i++) writeFileSync(join(dir, `w${String(i).padStart(3, '0')}.json`), JSON.stringify(warnings, null, 1));
    let findings: Finding[] = [];
    const { text } = await lintSarif([dir], { cwd: dir, env: { GITHUB_WORKSPACE: dir } }).then(async (r) => {
      findings = (await lint({ files: readdirSync(dir).map((f) => readPolicyFile(join(dir, f))) })).findings;
      return r;
    });
    expect(findings.length).toBeGreaterThanOrEqual(30_000);
    const log = parseLog(text);
    expectValid(log);
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(MAX_RESULTS);
    const errorsFound = findings.filter((f) => f.severity === 'error').length;
    expect(errorsFound).toBeLessThan(MAX_RESULTS);
    // Every error is kept; the rest are the most severe of what is left.
    expect(run.results.filter((r) => r.level === 'error')).toHaveLength(errorsFound);
    const note = run.invocations[0]!.toolExecutionNotifications!.find((n) => n.descriptor.id === 'results-truncated')!;
    expect(note.level).toBe('warning');
    expect(note.message.text).toContain(`${findings.length - MAX_RESULTS} of ${findings.length} results left out`);
    expect(run.invocations[0]!.executionSuccessful).toBe(true);
  });

  it('security-severity only on security rules, at the level the results are reported at; helpUri when docs are declared', () => {
    const at = { file: 'p.json', line: 1, column: 1 };
    const findings: Finding[] = [
      { rule: 'privesc-action', category: 'privilege-escalation', severity: 'warning', message: 'downgraded', ...at },
      { rule: 'policy-size', category: 'size', severity: 'error', message: 'big', ...at },
    ];
    const log = parseLog(formatSarif(findings, ALL_RULES, opts({ docsBase: 'https://github.com/o/charter/blob/v0.1.0/rules/' })));
    expectValid(log);
    const rule = (id: string) => log.runs[0]!.tool.driver.rules.find((r) => r.id === id)!;
    expect(rule('privesc-action').properties['security-severity']).toBe('5.0');
    expect(rule('privesc-pass-role').properties['security-severity']).toBe('8.0');
    expect(rule('policy-size').properties['security-severity']).toBeUndefined();
    expect(rule('policy-size').properties.tags).not.toContain('security');
    expect(rule('statement-effect').properties['security-severity']).toBeUndefined();
    expect(rule('no-ttl').properties['security-severity']).toBe('2.0');
    expect(rule('privesc-action').helpUri).toBe('https://github.com/o/charter/blob/v0.1.0/rules/privesc-action.md');
    for (const r of ALL_RULES) expect(isSecurityRule(r.meta.category)).toBe(r.meta.category !== 'grammar' && r.meta.category !== 'size');
    expect(parseLog(formatSarif(findings, ALL_RULES, opts())).runs[0]!.tool.driver.rules[0]!.helpUri).toBeUndefined();
    expect(docsBase({ version: '1.2.0', repository: { url: 'git+https://github.com/acme/charter.git' } })).toBe('https://github.com/acme/charter/blob/v1.2.0/rules/');
    expect(docsBase({ version: '1.2.0', repository: 'github:acme/charter' })).toBe('https://github.com/acme/charter/blob/v1.2.0/rules/');
    expect(docsBase({ version: '1.2.0' })).toBeUndefined();
  });

  it('columnKind utf16CodeUnits: columns count UTF-16 code units, as the positions do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-sarif-col-'));
    const text = '{"Version": "2012-10-17", "Statement": [{"Sid": "\u{1F600}x", "Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}]}\n';
    writeFileSync(join(dir, 'p.json'), text);
    const { text: out } = await lintSarif([join(dir, 'p.json')], { env: { GITHUB_WORKSPACE: dir } });
    const run = parseLog(out).runs[0]!;
    expect(run.columnKind).toBe('utf16CodeUnits');
    const r = run.results.find((x) => x.ruleId === 'wildcard-action')!;
    expect(r.locations[0]!.physicalLocation.region.startColumn).toBe(text.indexOf('"*"') + 1);
    expect(text.indexOf('"*"')).not.toBe([...text].findIndex((_c, i, a) => a.slice(i, i + 3).join('') === '"*"'));
  });

  it('never carries a secret', async () => {
    const text = formatSarif(await sample(), ALL_RULES, opts());
    for (const s of ['AKIA6GBMW7QFGZXVVBN6', '4mQiit4tJjSl++WG9fq7Dcy0Wz0hSMNEEAmBjwEY', 'sk-abc123xyz789']) expect(text).not.toContain(s);
  });
});

describe('repository-relative paths', () => {
  it('are path.relative from the root of the path resolved from the working directory, backslashes as slashes (property)', () => {
    const seg = fc.constantFrom('a', 'b', 'x.json', '.', '..', '', 'a\\b', 'c\\');
    const path = fc.array(seg, { maxLength: 5 }).map((p) => p.join('/'));
    const abs = fc.array(fc.constantFrom('a', 'b', 'x.json', '..'), { maxLength: 4 }).map((p) => '/' + p.join('/'));
    const file = fc.oneof(path, abs);
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 6 }), abs, abs, (files, root, cwd) => {
        // Several files, folders met again and not: the folder's path is worked out once.
        for (const f of files) expect(repoRelative(f, root, cwd)).toBe(relative(root, resolve(cwd, f.replace(/\\/g, '/'))));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('json', () => {
  it('is written in the pieces a finding-by-finding writer makes (property)', () => {
    // The plain definition: each finding's text by itself, appended to the piece, written once the piece reaches 64 KiB and at the end of each add.
    const reference = (adds: Finding[][], extra: { suppressed: number; baselined: number }, fp: (f: Finding) => string) => {
      const out: string[] = [];
      const counts = { error: 0, warning: 0, info: 0 };
      const SLOT = '\u0001charter-findings\u0001';
      const doc = (findings: unknown[]) => JSON.stringify({ version: 1, tool: 'charter', findings, summary: { ...counts, ...extra } }, null, 2) + '\n';
      let n = 0;
      let piece = '';
      for (const add of adds) {
        for (const f of add) {
          counts[f.severity]++;
          const text = JSON.stringify(toJsonFinding(f, fp), null, 2).replace(/\n/g, '\n    ');
          if (n++ === 0) piece = doc([SLOT]).split(JSON.stringify(SLOT))[0]! + text;
          else piece += ',\n    ' + text;
          if (piece.length >= 1 << 16) (out.push(piece), (piece = ''));
        }
        if (piece !== '') (out.push(piece), (piece = ''));
      }
      if (n === 0) out.push(doc([]));
      else out.push(doc([SLOT]).split(JSON.stringify(SLOT))[1]!);
      return out;
    };
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 2000, maxLength: 4000 }), fc.constantFrom(',\n    {', '{\n', '"}', '\\'));
    const finding = fc.record({ rule: fc.constantFrom('a', 'b'), severity: fc.constantFrom('error', 'warning', 'info'), message: text, hint: fc.option(text, { nil: undefined }), data: fc.option(fc.dictionary(fc.constantFrom('x', 'y'), text), { nil: undefined }) }).map(
      (r): Finding => ({ rule: r.rule, category: 'least-privilege', severity: r.severity as Finding['severity'], message: r.message, file: 'p.json', line: 1, column: 1, ...(r.hint !== undefined ? { hint: r.hint } : {}), ...(r.data ? { messageId: 'm', data: r.data } : {}) }),
    );
    const fp = (f: Finding) => String(f.message.length);
    fc.assert(
      fc.property(fc.array(fc.array(finding, { maxLength: 300, size: 'max' }), { maxLength: 3 }), fc.nat(5), fc.nat(5), (adds, suppressed, baselined) => {
        const out: string[] = [];
        const w = jsonWriter(fp, (s) => out.push(s));
        for (const add of adds) w.add(add);
        w.end({ suppressed, baselined });
        expect(out).toEqual(reference(adds, { suppressed, baselined }, fp));
      }),
      { numRuns: 25, endOnFailure: true },
    );
  });

  it('has the documented stable shape', async () => {
    const findings = await sample();
    const j = JSON.parse(formatJson(findings, { suppressed: 2, baselined: 1 })) as { version: number; tool: string; findings: Array<Record<string, unknown>>; summary: Record<string, number> };
    expect(j.version).toBe(1);
    expect(j.tool).toBe('charter');
    for (const f of j.findings) expect(Object.keys(f).sort()).toEqual(['category', 'column', 'data', 'file', 'fingerprint', 'hint', 'line', 'message', 'messageId', 'rule', 'severity']);
    expect(j.summary).toEqual({ error: findings.filter((f) => f.severity === 'error').length, warning: findings.filter((f) => f.severity === 'warning').length, info: findings.filter((f) => f.severity === 'info').length, suppressed: 2, baselined: 1 });
  });
});

describe('message templates', () => {
  it('fill as a replace of every {{name}} would (property)', () => {
    const name = fc.constantFrom('a', 'b', 'action', 'x_1', 'missing', 'toString');
    const piece = fc.oneof(fc.string(), name.map((n) => `{{${n}}}`), name.map((n) => `{{ ${n}  }}`), fc.constantFrom('{{', '}}', '{{}}', '{ {a}}', '{{a}', '{{{a}}}'));
    const template = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
    const data = fc.dictionary(fc.constantFrom('a', 'b', 'action', 'x_1'), fc.string());
    const byReplace = (t: string, d: Record<string, string>) => t.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, k: string) => d[k] ?? `<${k}?>`);
    fc.assert(
      fc.property(template, data, (t, d) => {
        expect(fillMessage(t, d, (k) => `<${k}?>`)).toBe(byReplace(t, d));
        expect(fillMessage(t, d, (k) => `<${k}?>`)).toBe(byReplace(t, d));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('nested JSON text', () => {
  it('is JSON.stringify(value, null, 2) with every line after the first indented by 2 per level (property)', () => {
    const value = fc.oneof(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 3 })), fc.array(fc.jsonValue({ maxDepth: 3 })));
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 6 }), (v, levels) => {
        expect(nestedJson(v, levels)).toBe(JSON.stringify(v, null, 2).replace(/\n/g, '\n' + ' '.repeat(2 * levels)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('github', () => {
  it('prints one workflow command per finding, escaped', () => {
    const f: Finding = { rule: 'wildcard-action', category: 'least-privilege', severity: 'error', message: 'a, b: 100%\nnext', file: 'dir,x/p:1.json', line: 3, column: 7 };
    const w: Finding = { ...f, severity: 'info', message: 'm' };
    expect(formatGithub([f, w])).toBe('::error file=dir%2Cx/p%3A1.json,line=3,col=7,title=charter wildcard-action::a, b: 100%25%0Anext\n::notice file=dir%2Cx/p%3A1.json,line=3,col=7,title=charter wildcard-action::m\n');
  });

  const mk = (severity: Finding['severity'], i: number): Finding => ({ rule: 'wildcard-action', category: 'least-privilege', severity, message: `${severity} ${i}`, file: `f${String(i).padStart(2, '0')}.json`, line: i + 1, column: 1 });
  const many = [...Array.from({ length: 15 }, (_x, i) => mk('warning', i)), ...Array.from({ length: 12 }, (_x, i) => mk('error', 20 + i)), mk('info', 40)];

  it('at most 10 error and 10 warning annotations, most severe first, then one line saying how many more', () => {
    const out = formatGithub(many, { summary: true }).trimEnd().split('\n');
    expect(out.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(out.filter((l) => l.startsWith('::warning '))).toHaveLength(10);
    expect(out.filter((l) => l.startsWith('::notice '))).toHaveLength(1);
    // Errors first (in file order), then warnings, then the notice.
    expect(out.slice(0, 10).every((l) => l.startsWith('::error '))).toBe(true);
    expect(out[0]).toContain('f20.json');
    expect(out[10]).toMatch(/^::warning file=f00\.json/);
    expect(out[20]).toMatch(/^::notice /);
    expect(out.slice(21)).toEqual(['charter: 7 more not annotated (2 errors, 5 warnings): GitHub shows 10 annotations of each level per step; every finding is in the job summary']);
    expect(formatGithub(many)).toContain('run charter lint --format text for every finding');
    expect(formatGithub(many.slice(0, 3))).not.toContain('more not annotated');
  });

  it('a load failure is an ::error annotation at its file and line; the job summary holds every finding as markdown', () => {
    const failures = [{ pos: { file: 'bad.json', line: 4, col: 2 }, message: 'JSON syntax: unexpected end of input', hint: 'fix the JSON' }];
    const out = formatGithub(many, { failures });
    expect(out.split('\n')[0]).toBe('::error file=bad.json,line=4,col=2,title=charter%3A cannot load::JSON syntax: unexpected end of input (fix the JSON)');
    expect(out.split('\n').filter((l) => l.startsWith('::error '))).toHaveLength(10);
    const md = formatGithubSummary([...many, { ...mk('error', 50), message: 'pipe | and `tick`\nnewline' }], { failures, suppressed: 2 });
    expect(md).toContain('29 findings: 13 errors, 15 warnings, 1 info (2 suppressed).');
    expect(md).toContain('- bad.json:4:2: JSON syntax: unexpected end of input (fix the JSON)');
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| severity') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(29);
    expect(rows[0]).toMatch(/^\| error /);
    expect(rows.at(-1)).toMatch(/^\| info /);
    expect(md).toContain('pipe \\| and \\`tick\\` newline');
  });

  it('through the CLI: annotations on stdout, every finding appended to $GITHUB_STEP_SUMMARY, a load failure annotated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-gh-'));
    writeFileSync(join(dir, 'broken.json'), '{\n  "Statement": [\n');
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    let out = '';
    const run = runLint({ inputs: ['test/fixtures/lint/star-star.json', 'test/fixtures/lint/ttl-guardrail.json', join(dir, 'broken.json')], format: 'github', failOn: 'error', color: false, version: '0.1.0', env: { GITHUB_STEP_SUMMARY: summary }, out: (s) => (out += s), err: () => {} });
    await expect(run).rejects.toBeInstanceOf(InputError);
    expect(out.split('\n')[0]).toMatch(new RegExp(`^::error file=${join(dir, 'broken.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},line=2,col=16,title=charter%3A cannot load::JSON syntax: this \\[ is never closed`));
    expect(out).toContain('::error file=test/fixtures/lint/star-star.json');
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## charter lint\n')).toBe(true);
    expect(md).toContain('could not be loaded');
    expect(md).toContain('| error | wildcard-action | test/fixtures/lint/star-star.json:');
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
