/**
 * `charter lint` and `charter rules` through the CLI's entry point, in process (test/cli-support.ts):
 * exit codes 0/1/2, --fail-on, formats, suppressions (comment, lint.ignore with path, severity
 * overrides), baselines, secrets never printed; and, as a real process against dist/ (`npm test`
 * builds first), no AWS SDK loaded without --access-analyzer.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binCopy, charter, charterProcess, moduleLoadLog, type CliRun } from './cli-support.js';

const F = 'test/fixtures/lint';

/** In process; with nodeArgs, as a child process (module-loading checks need a fresh process). */
function run(args: string[], opts: { nodeArgs?: string[] } = {}): Promise<CliRun> {
  // With node flags (a module-loading hook): the ESM bundle, whose modules the hook sees (a run from
  // the code-cached script loads none of them: test/code-cache.test.ts).
  return opts.nodeArgs ? charterProcess(args, { nodeArgs: opts.nodeArgs, bin: binCopy('missing') }) : charter(args);
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'charter-lint-'));
}

const HEAD = 'version: 1\nname: t\nregion: us-west-2\naccount: "123456789012"\n';

describe('charter lint exit codes', () => {
  it('0 on a clean spec', async () => {
    const r = await run(['lint', `${F}/clean.yaml`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no findings');
  });

  it('1 on errors; --fail-on decides the threshold', async () => {
    expect((await run(['lint', `${F}/star-star.json`])).code).toBe(1);
    // ml-research has warnings only: clean by default, failing with --fail-on warning.
    expect((await run(['lint', 'fixtures/ml-research.yaml'])).code).toBe(0);
    expect((await run(['lint', 'fixtures/ml-research.yaml', '--fail-on', 'warning'])).code).toBe(1);
  });

  it('2 on bad input, one positioned line per problem, no stack trace', async () => {
    const d = tmp();
    writeFileSync(join(d, 'bad.json'), '{ "Version": "2012-10-17", "Statement": [ }');
    const r = await run(['lint', join(d, 'bad.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json:1:\d+ {2}JSON syntax/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await run(['lint', join(d, 'missing.json')])).code).toBe(2);
    expect((await run(['lint', `${F}/clean.yaml`, '--format', 'xml'])).code).toBe(2);
  });

  it('lints a directory of policy files (extension-less files holding JSON too)', async () => {
    const d = tmp();
    copyFileSync(`${F}/star-star.json`, join(d, 'AdminLike'));
    copyFileSync(`${F}/ttl-guardrail.json`, join(d, 'guard.json'));
    writeFileSync(join(d, 'README'), 'not a policy');
    const r = await run(['lint', d, '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { findings: Array<{ file: string; rule: string }> };
    expect([...new Set(j.findings.map((f) => f.file.slice(d.length + 1)))].sort()).toEqual(['AdminLike', 'guard.json']);
  });
});

describe('formats', () => {
  it('github and sarif', async () => {
    const g = await run(['lint', `${F}/ttl-guardrail.json`, '--format', 'github']);
    expect(g.stdout).toBe(`::error file=${F}/ttl-guardrail.json,line=11,col=11,title=charter condition-wildcard-literal::` + g.stdout.split('::')[2]);
    const s = await run(['lint', `${F}/ttl-guardrail.json`, '--format', 'sarif']);
    expect(JSON.parse(s.stdout).version).toBe('2.1.0');
  });

  it('never prints a secret, in any format', async () => {
    for (const fmt of ['text', 'json', 'sarif', 'github']) {
      const r = await run(['lint', `${F}/seeds-agent.yaml`, '--format', fmt]);
      expect(r.code).toBe(1);
      for (const s of ['AKIA6GBMW7QFGZXVVBN6', '4mQiit4tJjSl++WG9fq7Dcy0Wz0hSMNEEAmBjwEY', 'sk-abc123xyz789']) {
        expect(r.stdout + r.stderr).not.toContain(s);
      }
    }
  });

  it('text has no colour under NO_COLOR or when piped', async () => {
    expect((await run(['lint', `${F}/star-star.json`])).stdout).not.toContain('\u001b[');
    expect((await run(['lint', `${F}/star-star.json`, '--color'])).stdout).toContain('\u001b[');
  });
});

describe('suppressions and severity', () => {
  const statements = '    statements:\n      - actions: [ec2:TerminateInstances]\n        resources: ["*"]';

  it('a charter-ignore comment with a reason suppresses; without one it is a lint-config error', async () => {
    const d = tmp();
    writeFileSync(join(d, 'a.yaml'), `${HEAD}services:\n  web:\n${statements}  # charter-ignore wildcard-resource: the reaper terminates any instance\n    trust: [ec2]\n`);
    const a = await run(['lint', join(d, 'a.yaml'), '--format', 'json', '--fail-on', 'warning']);
    expect(JSON.parse(a.stdout).findings).toEqual([]);
    expect(JSON.parse(a.stdout).summary.suppressed).toBe(1);
    expect(a.code).toBe(0);
    writeFileSync(join(d, 'b.yaml'), `${HEAD}services:\n  web:\n${statements}  # charter-ignore wildcard-resource\n    trust: [ec2]\n`);
    const b = await run(['lint', join(d, 'b.yaml'), '--format', 'json']);
    expect(b.code).toBe(1);
    expect((JSON.parse(b.stdout).findings as Array<{ rule: string; line: number }>).map((f) => [f.rule, f.line])).toEqual([['lint-config', 9]]);
  });

  it('lint.ignore honours its path; an entry matching nothing is reported', async () => {
    const d = tmp();
    const spec = (path: string) => `${HEAD}lint:\n  ignore:\n    - { rule: wildcard-resource, path: ${path}, reason: reaper }\nservices:\n  web:\n${statements}\n    trust: [ec2]\n`;
    writeFileSync(join(d, 'a.yaml'), spec('services.web'));
    expect(JSON.parse((await run(['lint', join(d, 'a.yaml'), '--format', 'json'])).stdout).findings).toEqual([]);
    writeFileSync(join(d, 'b.yaml'), spec('services.other'));
    const rules = (JSON.parse((await run(['lint', join(d, 'b.yaml'), '--format', 'json'])).stdout).findings as Array<{ rule: string }>).map((f) => f.rule).sort();
    expect(rules).toEqual(['unused-suppression', 'wildcard-resource']);
  });

  it('lint.severity overrides a rule (and off removes it)', async () => {
    const d = tmp();
    writeFileSync(join(d, 'a.yaml'), `${HEAD}lint:\n  severity: { wildcard-resource: error }\nservices:\n  web:\n${statements}\n    trust: [ec2]\n`);
    const a = await run(['lint', join(d, 'a.yaml'), '--format', 'json']);
    expect(a.code).toBe(1);
    expect(JSON.parse(a.stdout).findings[0].severity).toBe('error');
    writeFileSync(join(d, 'b.yaml'), `${HEAD}lint:\n  severity: { wildcard-resource: off }\nservices:\n  web:\n${statements}\n    trust: [ec2]\n`);
    expect(JSON.parse((await run(['lint', join(d, 'b.yaml'), '--format', 'json'])).stdout).findings).toEqual([]);
  });
});

describe('baselines', () => {
  it('--write-baseline then --baseline fails only on new findings', async () => {
    const d = tmp();
    const base = join(d, 'baseline.json');
    copyFileSync(`${F}/star-star.json`, join(d, 'p.json'));
    const w = await run(['lint', join(d, 'p.json'), '--write-baseline', base]);
    expect(w.code).toBe(0);
    const b = JSON.parse(readFileSync(base, 'utf8')) as { version: number; findings: unknown[] };
    expect(b.version).toBe(1);
    expect(b.findings.length).toBeGreaterThan(0);
    const again = await run(['lint', join(d, 'p.json'), '--baseline', base, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).summary.baselined).toBe(b.findings.length);
    // A new problem (reformatting the file moves lines but is not new).
    writeFileSync(join(d, 'p.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'ml-*' } } }] }, null, 4));
    const fresh = await run(['lint', join(d, 'p.json'), '--baseline', base, '--format', 'json']);
    expect(fresh.code).toBe(1);
    expect((JSON.parse(fresh.stdout).findings as Array<{ rule: string }>).map((f) => f.rule)).toEqual(['condition-wildcard-literal']);
    writeFileSync(join(d, 'junk.json'), '[]');
    expect((await run(['lint', join(d, 'p.json'), '--baseline', join(d, 'junk.json')])).code).toBe(2);
  });
});

describe('charter rules', () => {
  it('lists every rule with category and severity', async () => {
    const r = await run(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as Array<{ id: string; category: string; severity: string }>;
    expect(rules.length).toBeGreaterThan(40);
    expect(new Set(rules.map((x) => x.category))).toEqual(new Set(['grammar', 'least-privilege', 'privilege-escalation', 'exfiltration', 'credentials-exposure', 'trust', 'condition', 'size', 'launch', 'secrets', 'access-analyzer']));
    expect((await run(['rules'])).stdout).toContain('tag-condition-bypass');
  });

  it('rules/ holds one up-to-date page per rule', async () => {
    const d = tmp();
    expect((await run(['rules', '--write-docs', d])).code).toBe(0);
    const rules = JSON.parse((await run(['rules', '--format', 'json'])).stdout) as Array<{ id: string }>;
    for (const { id } of [...rules, { id: 'README' }]) expect(readFileSync(join('rules', `${id}.md`), 'utf8'), `rules/${id}.md is stale: charter rules --write-docs rules`).toBe(readFileSync(join(d, `${id}.md`), 'utf8'));
  });
});

it('lint never loads the AWS SDK without --access-analyzer', async () => {
  const mods = moduleLoadLog();
  const r = await run(['lint', 'fixtures/ml-research.yaml', `${F}/star-star.json`], { nodeArgs: mods.nodeArgs });
  expect(r.code).toBe(1);
  const loaded = mods.loaded();
  // The hook sees our modules: the bundle's lazy chunk of `charter lint` (src/cli/lint-run.ts; scripts/build-bundle.mjs).
  expect(loaded.some((u) => /\/dist\/bundle\/lint-run-\w+\.js$/.test(u))).toBe(true);
  expect(loaded.filter((u) => u.includes('@aws-sdk'))).toEqual([]);
});
