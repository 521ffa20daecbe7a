/**
 * The CLI contract (design.md §3, README): exit codes, one positioned line per bad-input problem and
 * never a stack trace, no partial writes, --help with examples, --version, secrets never printed,
 * and the README quickstart (apply twice: the second run changes nothing). Every case runs the CLI
 * in process (test/cli-support.ts: main(argv) with captured output, one run at a time) in its own
 * temporary directory, so `.charter/` sandbox state lands there. The sandbox server is a real
 * process (it runs until SIGTERM); bin/charter.js itself is covered in test/cli-process.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, charter as cli, cleanEnv, spawnCharter, type CliRun } from './cli-support.js';

const FIXTURES = join(ROOT, 'fixtures');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

type Run = CliRun;

const charter = (args: string[], cwd: string): Promise<Run> => cli(args, { cwd });

const made: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'charter-contract-'));
  made.push(d);
  return d;
}
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const STACK = /^\s+at .+[:(]\d+:\d+\)?$/m;

/** Exit 2, no stack trace, and every stderr line is `file:line:col  message` when a file is named. */
function expectBadInput(r: Run, file?: string): string[] {
  expect(r.code, `exit code; stderr:\n${r.stderr}`).toBe(2);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toMatch(/run with --debug/);
  const lines = r.stderr.trimEnd().split('\n').filter((l) => l.length);
  expect(lines.length).toBeGreaterThan(0);
  if (file) for (const l of lines) expect(l).toMatch(new RegExp(`^${esc(file)}:\\d+:\\d+  \\S`));
  return lines;
}

/** Every file under dir (relative paths), for "nothing was written" checks. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

const SPEC_WITH_BAD_REFS = `version: 1
name: refs
region: us-west-2
services:
  a:
    policies: [s3:ReadOnlyy]
    trust: [ec2]
instances:
  i: { service: b, type: t3.micro, image: ami-0123456789abcdef0, ttl: 1h }
`;

describe('bad input: exit 2, one positioned line per problem, no stack trace', () => {
  it('a missing spec file', async () => {
    const d = tmp();
    const lines = expectBadInput(await charter(['compile', 'missing.yaml'], d), 'missing.yaml');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no such file/);
  });

  it('a directory instead of a spec file', async () => {
    const d = tmp();
    mkdirSync(join(d, 'specs'));
    expectBadInput(await charter(['compile', 'specs'], d), 'specs');
  });

  it('invalid YAML', async () => {
    const d = tmp();
    writeFileSync(join(d, 'bad.yaml'), 'version: 1\nname: [unclosed\n');
    const lines = expectBadInput(await charter(['compile', 'bad.yaml'], d), 'bad.yaml');
    expect(lines[0]).toMatch(/YAML/);
  });

  it('a schema error points at the offending key', async () => {
    const d = tmp();
    writeFileSync(join(d, 's.yaml'), 'version: 1\nname: x\nregion: us-west-2\nservices:\n  a:\n    policies: [s3:ReadOnly]\n    trust: [ec2]\n    bogus: 1\n');
    const lines = expectBadInput(await charter(['compile', 's.yaml'], d), 's.yaml');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^s\.yaml:8:5  .*unknown key "bogus"/);
  });

  it('unknown references: one line each, with did-you-mean', async () => {
    const d = tmp();
    writeFileSync(join(d, 'r.yaml'), SPEC_WITH_BAD_REFS);
    const lines = expectBadInput(await charter(['compile', 'r.yaml'], d), 'r.yaml');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^r\.yaml:6:16  unknown built-in template "s3:ReadOnlyy"  \(did you mean "s3:ReadOnly"\?\)$/);
    expect(lines[1]).toMatch(/^r\.yaml:9:17  unknown service "b"/);
  });

  it('bad flags and flag values are one line each, naming the command help', async () => {
    const d = tmp();
    const spec = join(FIXTURES, 'ml-research.yaml');
    const cases: Array<[string[], RegExp]> = [
      [['compile', spec, '--format', 'xml'], /format.*xml.*\(charter compile --help\)$/],
      [['compile', spec, '--bogus'], /bogus/],
      [['graph', spec, '--format', 'png'], /png/],
      [['lint', spec, '--fail-on', 'sometimes'], /fail-on.*sometimes/],
      [['plan', spec, '--format', 'yaml'], /yaml.*\(charter plan --help\)$/],
      [['plan', spec, '--sandbox', '--endpoint', 'http://127.0.0.1:1'], /sandbox.*endpoint/],
      [['plan'], /needs a spec/],
      [['graph'], /^charter graph: a required argument is missing/],
      [['apply', spec, '--sandbox', '--pool', '0'], /--pool/],
      [['reap', '--sandbox', '--prefix', ''], /--prefix/],
      [['sandbox', 'serve', '--port', 'abc'], /--port/],
      [['sandbox', 'serve', '--port', '99999'], /--port/],
      [['sandbox', 'serve', '--port', '0', '--seed', 'x'], /--seed/],
      [['sandbox', 'serve', '--port', '0', '--throttle', '2'], /throttle/],
      [['no-such-command'], /no-such-command/],
      [[], /command/],
    ];
    const runs = await Promise.all(cases.map(([args]) => charter(args, d)));
    runs.forEach((r, i) => {
      const [args, re] = cases[i]!;
      const lines = expectBadInput(r);
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0], args.join(' ')).toMatch(re);
    });
  });

  it('lint: a missing policy file and truncated JSON are positioned', async () => {
    const d = tmp();
    expectBadInput(await charter(['lint', 'nope.json'], d), 'nope.json');
    writeFileSync(join(d, 't.json'), '{"Version": "2012-10-17", "Statement": [\n');
    const lines = expectBadInput(await charter(['lint', 't.json'], d), 't.json');
    expect(lines[0]).toMatch(/^t\.json:1:40  JSON syntax: this \[ is never closed/);
  });

  it('compile --out on a bad spec leaves DIR untouched (new or existing)', async () => {
    const d = tmp();
    writeFileSync(join(d, 'r.yaml'), SPEC_WITH_BAD_REFS);
    expectBadInput(await charter(['compile', 'r.yaml', '--out', 'fresh'], d), 'r.yaml');
    expect(existsSync(join(d, 'fresh'))).toBe(false);
    // A previous good output stays exactly as it was.
    const good = await charter(['compile', join(FIXTURES, 'ml-research.yaml'), '--out', 'build'], d);
    expect(good.code).toBe(0);
    const before = listing(join(d, 'build')).map((f) => [f, readFileSync(join(d, 'build', f), 'utf8')]);
    expect(before.length).toBeGreaterThan(2);
    expectBadInput(await charter(['compile', 'r.yaml', '--out', 'build'], d), 'r.yaml');
    const after = listing(join(d, 'build')).map((f) => [f, readFileSync(join(d, 'build', f), 'utf8')]);
    expect(after).toEqual(before);
    expect(readdirSync(d).filter((e) => e.startsWith('.build'))).toEqual([]); // no temp dirs left behind
    // A non-empty directory that is not charter's output is refused, not replaced.
    mkdirSync(join(d, 'mine'));
    writeFileSync(join(d, 'mine', 'notes.txt'), 'keep me');
    expectBadInput(await charter(['compile', join(FIXTURES, 'ml-research.yaml'), '--out', 'mine'], d));
    expect(listing(join(d, 'mine'))).toEqual(['notes.txt']);
  });

  it('an --out path that cannot be written is bad input, checked before any work', async () => {
    const d = tmp();
    const spec = join(FIXTURES, 'ml-research.yaml');
    writeFileSync(join(d, 'afile'), 'x');
    mkdirSync(join(d, 'adir'));
    const cases: Array<[string[], RegExp]> = [
      [['compile', spec, '--out', 'afile'], /not a directory/],
      [['compile', spec, '--out', 'afile/sub'], /is a file/],
      [['plan', spec, '--sandbox', '--out', 'adir'], /is a directory/],
      [['plan', spec, '--sandbox', '--out', 'afile/plan.json'], /is a file/],
      [['sandbox', 'serve', '--port', '0', '--state', 'afile/state.json'], /is a file/],
      [['sandbox', 'serve', '--port', '0', '--state', 'adir'], /is a directory/],
      [['lint', spec, '--write-baseline', 'adir'], /is a directory/],
    ];
    const runs = await Promise.all(cases.map(([args]) => charter(args, d)));
    runs.forEach((r, i) => expect(expectBadInput(r)[0], cases[i]![0].join(' ')).toMatch(cases[i]![1]));
    expect(listing(d)).toEqual(['afile']); // no sandbox state either: nothing ran
  });

  it('plan --out on a bad spec writes nothing', async () => {
    const d = tmp();
    writeFileSync(join(d, 'r.yaml'), SPEC_WITH_BAD_REFS);
    expectBadInput(await charter(['plan', 'r.yaml', '--sandbox', '--out', 'plan.json'], d), 'r.yaml');
    expect(existsSync(join(d, 'plan.json'))).toBe(false);
    expectBadInput(await charter(['plan', 'missing.yaml', '--sandbox', '--out', 'plan.json'], d), 'missing.yaml');
    expect(readdirSync(d).filter((e) => e.startsWith('plan.json'))).toEqual([]);
  });

  it('apply: broken plan files are bad input, positioned in the plan file', async () => {
    const d = tmp();
    cpSync(join(FIXTURES, 'ml-research.yaml'), join(d, 'spec.yaml'));
    expect((await charter(['plan', 'spec.yaml', '--sandbox', '--out', 'plan.json'], d)).code).toBe(0);
    const text = readFileSync(join(d, 'plan.json'), 'utf8');
    writeFileSync(join(d, 'truncated.json'), text.slice(0, Math.floor(text.length / 2)));
    writeFileSync(join(d, 'garbage.json'), 'not json at all\n');
    writeFileSync(join(d, 'other.json'), '{"foo": 1}\n');
    writeFileSync(join(d, 'array.json'), '[]\n');
    writeFileSync(join(d, 'edited.json'), text.replace('"prune": false', '"prune": true'));
    expect(readFileSync(join(d, 'edited.json'), 'utf8')).not.toBe(text);
    const files = ['truncated.json', 'garbage.json', 'other.json', 'array.json', 'edited.json', 'missing.json'];
    const runs = await Promise.all(files.map((f) => charter(['apply', f, '--sandbox', '--auto-approve'], d)));
    runs.forEach((r, i) => {
      const lines = expectBadInput(r, files[i]);
      expect(lines.join('\n'), files[i]).not.toMatch(/policy document|a spec is a YAML mapping/);
    });
    expect(runs[4]!.stderr).toMatch(/edited/);
    expect(expectBadInput(await charter(['destroy', 'plan.json', '--sandbox', '--auto-approve'], d), 'plan.json')).toHaveLength(1);
    // Nothing was applied by any of them.
    const plan = await charter(['plan', 'spec.yaml', '--sandbox', '--detailed-exitcode'], d);
    expect(plan.code).toBe(2);
  });

  it('a corrupt sandbox state file is bad input, not a crash', async () => {
    const d = tmp();
    mkdirSync(join(d, '.charter'));
    writeFileSync(join(d, '.charter', 'sandbox.json'), '{not json');
    const lines = expectBadInput(await charter(['plan', join(FIXTURES, 'ml-research.yaml'), '--sandbox'], d));
    expect(lines[0]).toMatch(/sandbox state file/);
    expect(readFileSync(join(d, '.charter', 'sandbox.json'), 'utf8')).toBe('{not json'); // left for the user to inspect
  });

  it('--debug shows the stack trace the default hides', async () => {
    const d = tmp();
    const r = await charter(['compile', 'missing.yaml', '--debug'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(STACK);
  });
});

describe('exit codes', () => {
  it('lint: 1 at or above --fail-on, 0 below it', async () => {
    const d = tmp();
    const policy = join(FIXTURES, 'policies', 'my-policy.json'); // one warning (dynamodb:*)
    const warn = await charter(['lint', policy, '--fail-on', 'warning', '--format', 'json'], d);
    expect(warn.code).toBe(1);
    const findings = (JSON.parse(warn.stdout) as { findings: Array<{ severity: string; line: number; column: number }> }).findings;
    expect(findings.some((f) => f.severity === 'warning' && f.line > 0 && f.column > 0)).toBe(true);
    expect(findings.some((f) => f.severity === 'error')).toBe(false);
    expect((await charter(['lint', policy, '--fail-on', 'error'], d)).code).toBe(0);
    expect((await charter(['lint', join(FIXTURES, 'policies', 'cml-worker-management.json')], d)).code).toBe(1); // an error (tag-condition-bypass)
  });

  it('plan --detailed-exitcode: 1 when AWS cannot be reached', async () => {
    const down = await charter(['plan', join(FIXTURES, 'ml-research.yaml'), '--endpoint', 'http://127.0.0.1:1', '--detailed-exitcode'], tmp());
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: /m);
    expect(down.stderr).not.toMatch(STACK);
  });

  it('a stale plan and a plan whose spec was swapped for another are refused (exit 1), nothing applied', async () => {
    const d = tmp();
    cpSync(join(FIXTURES, 'ml-research.yaml'), join(d, 'spec.yaml'));
    expect((await charter(['plan', 'spec.yaml', '--sandbox', '--out', 'plan.json'], d)).code).toBe(0);
    writeFileSync(join(d, 'spec.yaml'), readFileSync(join(FIXTURES, 'spawn-gpu-training.yaml'), 'utf8').replace('scripts/train-model.sh', join(FIXTURES, 'scripts', 'train-model.sh')));
    const other = await charter(['apply', 'plan.json', '--sandbox', '--auto-approve'], d);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/stale plan refused/);
    cpSync(join(FIXTURES, 'ml-research.yaml'), join(d, 'spec.yaml'));
    writeFileSync(join(d, 'spec.yaml'), readFileSync(join(d, 'spec.yaml'), 'utf8') + '# reviewed later\n');
    const stale = await charter(['apply', 'plan.json', '--sandbox', '--auto-approve'], d);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/spec file spec\.yaml changed since the plan/);
    expect(stale.stderr).not.toMatch(STACK);
    expect((await charter(['plan', 'spec.yaml', '--sandbox', '--detailed-exitcode'], d)).code).toBe(2);
  });
});

describe('help and version', () => {
  it('--version prints the package version', async () => {
    const r = await charter(['--version'], tmp());
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it('every command has --help with examples', async () => {
    const d = tmp();
    const commands = [['compile'], ['graph'], ['templates'], ['lint'], ['rules'], ['plan'], ['diff'], ['apply'], ['destroy'], ['reap'], ['sandbox'], ['sandbox', 'serve'], ['sandbox', 'stats'], ['sandbox', 'reset']];
    const runs = await Promise.all(commands.map((c) => charter([...c, '--help'], d)));
    runs.forEach((r, i) => {
      const name = commands[i]!.join(' ');
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toMatch(/^Examples:$/m);
      expect(r.stdout, name).toMatch(new RegExp(`^  charter ${esc(name)}\\b`, 'm'));
    });
    const top = await charter(['--help'], d);
    expect(top.code).toBe(0);
    for (const c of ['compile', 'lint', 'plan', 'apply', 'destroy', 'reap', 'sandbox']) expect(top.stdout).toMatch(new RegExp(`charter ${c}`));
    expect(top.stdout).toMatch(/Exit codes/);
  });
});

describe('every command on the fixtures', () => {
  it('compile, graph, templates, rules and lint run on every fixture without a crash', async () => {
    const d = tmp();
    const specs = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).map((f) => join(FIXTURES, f));
    expect(specs.length).toBeGreaterThan(5);
    const [lint, graph, mermaid, templates, rules, ...compiles] = await Promise.all([
      charter(['lint', ...specs, join(FIXTURES, 'policies'), '--format', 'json'], d),
      charter(['graph', specs[0]!, '--format', 'dot'], d),
      charter(['graph', specs[1]!], d),
      charter(['templates', '--format', 'json'], d),
      charter(['rules', '--format', 'json'], d),
      ...specs.map((s) => charter(['compile', s, '--format', 'json'], d)),
    ]);
    compiles.forEach((r, i) => {
      expect(r.code, `${specs[i]}: ${r.stderr}`).toBe(0);
      const bundle = JSON.parse(r.stdout) as { roles: unknown[]; hash: string };
      expect(bundle.roles.length, specs[i]).toBeGreaterThan(0);
      expect(bundle.hash).toMatch(/^[0-9a-f]{64}$/);
    });
    expect([0, 1]).toContain(lint!.code); // findings or none; never bad input on our own fixtures
    expect(lint!.stderr).not.toMatch(STACK);
    const report = JSON.parse(lint!.stdout) as { tool: string; findings: Array<{ file: string; line: number; column: number }> };
    expect(report.tool).toBe('charter');
    expect(report.findings.length).toBeGreaterThan(0); // fixtures/policies holds known-bad policies
    expect(report.findings.every((f) => f.file && f.line >= 1 && f.column >= 1)).toBe(true);
    expect(graph!.stdout).toMatch(/^digraph /);
    expect(mermaid!.stdout).toMatch(/^flowchart /);
    expect((JSON.parse(templates!.stdout) as unknown[]).length).toBeGreaterThanOrEqual(13);
    expect((JSON.parse(rules!.stdout) as Array<{ id: string }>).every((r) => existsSync(join(ROOT, 'rules', `${r.id}.md`)))).toBe(true);
  });

  it('the README quickstart twice (no-op the second time), with plan exit codes, approval, diff, reap, destroy', async () => {
    const d = tmp();
    cpSync(FIXTURES, join(d, 'fixtures'), { recursive: true });
    const spec = 'fixtures/ml-research.yaml';
    const changes = () => charter(['plan', spec, '--sandbox', '--detailed-exitcode'], d);
    expect((await changes()).code).toBe(2);
    const broad = await charter(['plan', spec, '--sandbox', '--fail-on-broadening'], d);
    expect(broad.code).toBe(1);
    expect(broad.stderr).toMatch(/broaden access/);
    // No TTY, no --auto-approve: refused, nothing changed.
    const refused = await charter(['apply', spec, '--sandbox'], d);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--auto-approve/);
    expect((await changes()).code).toBe(2);

    const quick = ['apply', spec, '--sandbox', '--auto-approve'];
    const first = await charter(quick, d);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Apply complete: 7 created, .* 2 launched/);
    expect(existsSync(join(d, '.charter', 'sandbox.json'))).toBe(true);
    const second = await charter([...quick, '--format', 'json'], d);
    expect(second.code, second.stderr).toBe(0);
    const s = JSON.parse(second.stdout) as { status: string; writeCalls: number; created: unknown[]; launched: unknown[] };
    expect(s.status).toBe('no-changes');
    expect(s.writeCalls).toBe(0);
    expect(s.created).toEqual([]);
    expect(s.launched).toEqual([]);
    expect((await charter(['diff', spec, '--sandbox', '--detailed-exitcode'], d)).code).toBe(0);
    expect((await charter(['plan', spec, '--sandbox', '--fail-on-broadening'], d)).code).toBe(0);
    const reap = await charter(['reap', '--sandbox', '--dry-run', '--region', 'us-west-2', '--format', 'json'], d);
    expect(reap.code, reap.stderr).toBe(0);
    expect((JSON.parse(reap.stdout) as { examined: number }).examined).toBe(2); // 12h TTL: none expired

    const unapproved = await charter(['destroy', spec, '--sandbox'], d);
    expect(unapproved.code).toBe(1);
    expect(unapproved.stderr).not.toMatch(/charter apply plan\.json/); // apply-only advice
    expect((await charter(['diff', spec, '--sandbox', '--detailed-exitcode'], d)).code).toBe(0);
    const destroy = await charter(['destroy', spec, '--sandbox', '--auto-approve', '--format', 'json'], d);
    expect(destroy.code, destroy.stderr).toBe(0);
    const ds = JSON.parse(destroy.stdout) as { terminated: string[]; deleted: unknown[]; roles: unknown[] };
    expect(ds.terminated).toHaveLength(2);
    expect(ds.deleted.length).toBeGreaterThanOrEqual(2);
    expect(ds.roles).toEqual([]); // a destroy summary does not list the roles it just deleted
    expect((await changes()).code).toBe(2);
  });

  it('sandbox serve / stats / reset, with plan against it through the environment serve prints', async () => {
    const d = tmp();
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true);
    const server = spawnCharter(['sandbox', 'serve', '--port', '0'], { cwd: d, stdin: null });
    try {
      // Waits for the endpoint line however long start-up takes (the test timeout is the only clock).
      const endpoint = (await server.waitFor(/^export AWS_ENDPOINT_URL=(\S+)$/m))[1]!;
      const out = server.stdout();
      expect(out).toMatch(/^export AWS_ACCESS_KEY_ID=/m);
      const stats0 = await charter(['sandbox', 'stats', '--endpoint', endpoint], d);
      expect(stats0.code).toBe(0);
      expect((JSON.parse(stats0.stdout) as { reads: number }).reads).toBe(0);
      // The documented flow: export what serve printed (its dummy keys too: a loopback endpoint earns none).
      const exported = Object.fromEntries([...out.matchAll(/^export (AWS_\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
      expect(Object.keys(exported).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY']);
      const plan = await cli(['plan', join(FIXTURES, 'ml-research.yaml'), '--detailed-exitcode'], { cwd: d, env: cleanEnv(exported) });
      expect(plan.code, plan.stderr).toBe(2);
      const stats1 = JSON.parse((await charter(['sandbox', 'stats', '--endpoint', endpoint], d)).stdout) as { reads: number; writes: number };
      expect(stats1.reads).toBeGreaterThan(0);
      expect(stats1.writes).toBe(0); // plan only reads
      expect((await charter(['sandbox', 'reset', '--endpoint', endpoint, '--stats-only'], d)).code).toBe(0);
      expect((JSON.parse((await charter(['sandbox', 'stats', '--endpoint', endpoint], d)).stdout) as { reads: number }).reads).toBe(0);
      const busy = await charter(['sandbox', 'serve', '--port', new URL(endpoint).port], d);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/already in use/);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect((await server.done).code).toBe(0);
    const gone = await charter(['sandbox', 'stats', '--endpoint', 'http://127.0.0.1:1'], d);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/no sandbox answering/);
    expect(gone.stderr).not.toMatch(STACK);
  });
});

describe('secrets are never printed', () => {
  const KEY_ID = 'AKIAZ7Q3K5M2W9X4B6NP';
  const SECRET = 'q8Vt3Lr/9sKx2Wm+7YbN4cHd6Jf1Pz0GeRuTaQwE';
  const PEM_BODY = 'MIIEowIBAAKCAQEAu7x9PlainTextPrivateKeyMaterialZZ0987654321abcdef';
  const PASSWORD = 'Xk9mP2vL7qR4tWz8';

  it('compile, lint, plan (every format and the saved plan) and apply redact keys in user-data and tags', async () => {
    const d = tmp();
    mkdirSync(join(d, 'scripts'));
    writeFileSync(
      join(d, 'scripts', 'boot.sh'),
      `#!/bin/bash\nexport AWS_ACCESS_KEY_ID=${KEY_ID}\nexport AWS_SECRET_ACCESS_KEY=${SECRET}\nexport DB_PASSWORD=${PASSWORD}\ncat > /root/id_rsa <<'KEY'\n-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\nKEY\necho started\n`,
    );
    writeFileSync(
      join(d, 'spec.yaml'),
      `version: 1\nname: leaky\nregion: us-east-1\naccount: "123456789012"\ntags: { owner: bob, deploykey: ${KEY_ID}, creds: "aws_secret_access_key=${SECRET}", pasted: "${SECRET}" }\nservices:\n  app:\n    policies: [s3:ReadOnly]\n    trust: [ec2]\n    tags: { ci: ${KEY_ID} }\ninstances:\n  web:\n    service: app\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    userData: scripts/boot.sh\n    ttl: 1h\n    tags: { token: ${KEY_ID} }\n`,
    );
    const runs: Array<[string, Run]> = [];
    const run = async (args: string[]) => {
      const r = await charter(args, d);
      runs.push([args.join(' '), r]);
      return r;
    };
    expect((await run(['compile', 'spec.yaml'])).code).toBe(0);
    const json = await run(['compile', 'spec.yaml', '--format', 'json']);
    expect(json.stdout).toMatch(/REDACTED/); // the secrets were there and were redacted
    // compile --out refuses user-data with secrets (nothing written, each secret at its line), unless told.
    const refusedOut = await run(['compile', 'spec.yaml', '--out', 'out']);
    expect(refusedOut.code).toBe(2);
    expect(refusedOut.stderr).toContain(`${join('scripts', 'boot.sh')}:2:`);
    expect(refusedOut.stderr).toContain('compile --out refused: the user-data of 1 launch group holds');
    expect(existsSync(join(d, 'out'))).toBe(false);
    expect((await run(['compile', 'spec.yaml', '--out', 'out', '--allow-secrets-in-user-data'])).code).toBe(0);
    for (const f of ['text', 'json', 'sarif', 'github']) {
      const r = await run(['lint', 'spec.yaml', '--format', f]);
      expect(r.code, f).toBe(1); // secrets in user-data and tags are errors
    }
    for (const f of ['text', 'markdown', 'json']) expect((await run(['plan', 'spec.yaml', '--sandbox', '--format', f])).code).toBe(0);
    expect((await run(['plan', 'spec.yaml', '--sandbox', '--out', 'plan.json'])).code).toBe(0);
    // Secrets in user-data and tags are lint errors: apply refuses them (exit 2) unless told otherwise.
    const refused = await run(['apply', 'plan.json', '--sandbox', '--auto-approve']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('apply refused: the spec has');
    expect((await run(['apply', 'spec.yaml', '--sandbox', '--auto-approve'])).code).toBe(2);
    // Allowing lint errors does not allow secrets in user-data: that takes its own flag.
    const secretsRefused = await run(['apply', 'plan.json', '--sandbox', '--auto-approve', '--allow-lint-errors']);
    expect(secretsRefused.code).toBe(2);
    expect(secretsRefused.stderr).toContain('apply refused: the user-data of 1 launch group holds');
    expect((await run(['apply', 'plan.json', '--sandbox', '--auto-approve', '--allow-lint-errors', '--allow-secrets-in-user-data'])).code).toBe(0);
    expect((await run(['apply', 'spec.yaml', '--sandbox', '--auto-approve', '--format', 'json', '--allow-lint-errors', '--allow-secrets-in-user-data'])).code).toBe(0);
    expect((await run(['destroy', 'spec.yaml', '--sandbox', '--auto-approve'])).code).toBe(0);

    const leaks: string[] = [];
    const check = (where: string, text: string) => {
      for (const s of [KEY_ID, SECRET, PEM_BODY, 'BEGIN RSA PRIVATE KEY', PASSWORD]) if (text.includes(s)) leaks.push(`${where}: ${s.slice(0, 12)}…`);
    };
    for (const [args, r] of runs) {
      check(`stdout of ${args}`, r.stdout);
      check(`stderr of ${args}`, r.stderr);
    }
    // Every file written, except the user's own files, the user-data payload and the fake AWS's state
    // (which holds the tags as AWS would).
    const exempt = new Set(['spec.yaml', join('scripts', 'boot.sh'), join('out', 'launches', 'web.user-data.sh'), join('.charter', 'sandbox.json')]);
    const files = listing(d).filter((f) => !exempt.has(f));
    expect(files).toEqual(expect.arrayContaining(['plan.json', join('out', 'manifest.json'), join('out', 'roles', 'app.json'), join('out', 'launches', 'web.json')]));
    for (const f of files) check(f, readFileSync(join(d, f), 'utf8'));
    expect(leaks).toEqual([]);
    // The payload itself is intact: the instance gets the real script.
    expect(readFileSync(join(d, 'out', 'launches', 'web.user-data.sh'), 'utf8')).toContain(PEM_BODY);
  });
});
