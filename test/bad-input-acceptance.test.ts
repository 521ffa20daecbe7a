/**
 * Issue 13 acceptance: every bad-input example of the issue, through the CLI in process
 * (test/cli-support.ts) for `compile`, `lint` and `plan --sandbox`: exit 2, one stderr line per
 * problem `file:line:col  message  (hint)` at the right line and column with the sentence the issue
 * describes, no stack trace, and nothing written. Findings that are not bad input (idleTimeout ≥ ttl,
 * a malformed ARN in a policy) are checked as lint findings with their exit per --fail-on.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { charter } from './cli-support.js';

const HEAD = 'version: 1\nname: demo\nregion: us-east-1\n';
const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n';
const INSTANCE = 'instances:\n  a:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n';
const POLICY = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }\n  ]\n}\n';
const WITH_POLICY_FILE = `${HEAD}services:\n  web:\n    policyFiles: [p.json]\n    trust: [ec2]\n`;

/** One problem: where (`file:line:col`) and a piece of the line after it (message and hint). */
type Problem = [at: string, says: string];

interface BadInput {
  name: string;
  spec: string | Buffer;
  files?: Record<string, string>;
  problems: Problem[];
  /** Besides compile, lint and plan --sandbox of spec.yaml: `lint p.json` gives these problems. */
  lintFile?: Problem[];
}

const BAD: BadInput[] = [
  { name: 'a tag value that is a number (spec level)', spec: `${HEAD}tags:\n  cost-center: 4410\n${SVC}`, problems: [['spec.yaml:5:16', 'must be a string, got number 4410  (quote it: "4410")']] },
  { name: 'a tag value that is a boolean (service level)', spec: `${HEAD}${SVC}    tags: { enabled: true }\n`, problems: [['spec.yaml:8:22', 'must be a string, got boolean true  (quote it: "true")']] },
  { name: 'a lint configuration that is a list', spec: `${HEAD}lint: [requireTtl]\n${SVC}`, problems: [['spec.yaml:4:7', 'lint: must be a mapping, got a list']] },
  { name: 'lint.ignore that is a mapping', spec: `${HEAD}lint:\n  ignore: { rule: no-ttl }\n${SVC}`, problems: [['spec.yaml:5:11', 'lint.ignore: must be a list, got a mapping']] },
  { name: 'a named trust that is a string', spec: `${HEAD}trust:\n  ci: arn:aws:iam::111111111111:root\n${SVC}`, problems: [['spec.yaml:5:7', 'trust.ci: must be a mapping']] },
  { name: 'a named trust that is a list', spec: `${HEAD}trust:\n  ci: [a, b]\n${SVC}`, problems: [['spec.yaml:5:7', 'trust.ci: must be a mapping, got a list']] },
  {
    name: 'a .json policy file with a trailing comma',
    spec: WITH_POLICY_FILE,
    files: { 'p.json': POLICY.replace('"arn:aws:s3:::b/*" }', '"arn:aws:s3:::b/*", }') },
    problems: [['p.json:4:82', 'JSON syntax: a comma before }: JSON allows no trailing comma']],
    lintFile: [['p.json:4:82', 'JSON syntax: a comma before }: JSON allows no trailing comma']],
  },
  {
    name: 'a .json policy file with single quotes',
    spec: WITH_POLICY_FILE,
    files: { 'p.json': POLICY.replace('"s3:GetObject"', "'s3:GetObject'") },
    problems: [['p.json:4:36', 'JSON syntax: a string in single quotes: JSON strings are in double quotes']],
    lintFile: [['p.json:4:36', 'JSON syntax: a string in single quotes']],
  },
  {
    name: 'a .json policy file with a comment',
    spec: WITH_POLICY_FILE,
    files: { 'p.json': POLICY.replace('  "Version"', '  // read only\n  "Version"') },
    problems: [['p.json:2:3', 'JSON syntax: a comment: JSON has no comments']],
    lintFile: [['p.json:2:3', 'JSON syntax: a comment: JSON has no comments']],
  },
  { name: 'an unclosed [ (at the bracket, not a line late)', spec: `${HEAD}services:\n  web:\n    policies: [logs:WriteOnly\n    trust: [ec2]\n`, problems: [['spec.yaml:6:15', 'YAML syntax: this [ is never closed: the list it opens needs a ]']] },
  { name: 'an unclosed { (at the brace)', spec: `${HEAD}tags: { owner: alice\n${SVC}`, problems: [['spec.yaml:4:7', 'YAML syntax: this { is never closed']] },
  { name: 'an unclosed quote (at the quote)', spec: `version: 1\nname: "demo\nregion: us-east-1\n${SVC}`, problems: [['spec.yaml:2:7', 'YAML syntax: this " is never closed']] },
  { name: 'a role name of 65 characters', spec: `${HEAD}services:\n  web:\n    name: ${'r'.repeat(65)}\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, problems: [['spec.yaml:6:11', 'role name is 65 characters, the limit is 64']] },
  { name: 'region us-east1', spec: `version: 1\nname: demo\nregion: us-east1\n${SVC}`, problems: [['spec.yaml:3:9', 'region `us-east1` is not a region  (did you mean us-east-1?)']] },
  { name: 'instance type t3micro', spec: `${HEAD}${SVC}${INSTANCE.replace('t3.micro', 't3micro')}`, problems: [['spec.yaml:11:11', 'instance type `t3micro`: expected family.size like t3.micro']] },
  {
    name: 'a scope ARN with too few parts names what stands where',
    spec: `${HEAD}services:\n  web:\n    policies: [s3:ReadOnly]\n    scope: { s3: ["arn:aws:s3:bkt/*", "arn:aws:s3:::bkt"] }\n    trust: [ec2]\n`,
    problems: [['spec.yaml:7:19', 'scope ARN "arn:aws:s3:bkt/*" has 4 of the 6 ARN parts (arn:partition:service:region:account:resource): `bkt/*` stands where the region goes  (did you mean arn:aws:s3:::bkt/*?']],
  },
  { name: 'a managed policy ARN with a region', spec: `${HEAD}${SVC}    managed: ["arn:aws:iam:us-east-1:aws:policy/ReadOnlyAccess"]\n`, problems: [['spec.yaml:8:15', 'managed policy ARN "arn:aws:iam:us-east-1:aws:policy/ReadOnlyAccess" has region `us-east-1`: IAM ARNs have none']] },
  { name: 'a template param ARN with a bad region', spec: `${HEAD}templates:\n  k:\n    params: [{ name: key, type: arn }]\n    statements:\n      - { actions: [kms:Decrypt], resources: ["{key}"] }\n${SVC}    use: [{ template: k, key: "arn:aws:kms:us-east1:123456789012:key/k" }]\n`, problems: [['spec.yaml:13:31', 'has region `us-east1`, which is not a region  (did you mean us-east-1?)']] },
  { name: 'a trust principal ARN with a bad partition', spec: `${HEAD}trust:\n  ci: { aws: ["arn:awss:iam::111111111111:root"] }\nservices:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ci]\n`, problems: [['spec.yaml:5:15', 'has partition `awss`, which is not an AWS partition  (did you mean aws?)']] },
  { name: 'an empty partition:', spec: `${HEAD}partition:\n${SVC}`, problems: [['spec.yaml:4:1', 'partition: an empty value is not one of aws']] },
  { name: 'an empty agent mode:', spec: `${HEAD}${SVC}agent:\n  mode:\n`, problems: [['spec.yaml:9:3', 'agent.mode: an empty value is not one of builtin, binary, none']] },
  { name: 'a second YAML document', spec: `${HEAD}${SVC}---\n${HEAD}`, problems: [['spec.yaml:8:1', 'file holds more than one YAML document: the second starts here']] },
  { name: 'a BOM before a bad region (columns not shifted)', spec: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`version: 1\nname: demo\nregion: us-east1\n${SVC}`)]), problems: [['spec.yaml:3:9', 'region `us-east1` is not a region']] },
  { name: 'a BOM before an unclosed [', spec: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEAD}tags: [a\n${SVC}`)]), problems: [['spec.yaml:4:7', 'YAML syntax: this [ is never closed']] },
  { name: 'CRLF line ends and a bad region', spec: `version: 1\r\nname: demo\r\nregion: us-east1\r\n${SVC.replace(/\n/g, '\r\n')}`, problems: [['spec.yaml:3:9', 'region `us-east1` is not a region  (did you mean us-east-1?)']] },
  { name: 'CRLF line ends and an unclosed quote', spec: `version: 1\r\nname: 'demo\r\nregion: us-east-1\r\n${SVC.replace(/\n/g, '\r\n')}`, problems: [['spec.yaml:2:7', "YAML syntax: this ' is never closed"]] },
  { name: 'a launch naming a security group the spec defines', spec: `${HEAD}${SVC}${INSTANCE}    securityGroups: [web]\nsecurityGroups:\n  web: { ingress: [{ port: 443, cidr: 10.0.0.0/8 }] }\n`, problems: [['spec.yaml:13:22', 'security group `web` is defined in the spec, but launches take security group ids  (charter lints the groups under securityGroups: but does not create them; give the id (sg-...) of the group in AWS: aws ec2 describe-security-groups --filters Name=group-name,Values=web']] },
  { name: 'a launch naming a security group the spec does not define', spec: `${HEAD}${SVC}${INSTANCE}    securityGroups: [db]\nsecurityGroups:\n  web: { ingress: [{ port: 443, cidr: 10.0.0.0/8 }] }\n`, problems: [['spec.yaml:13:22', 'security group `db` is not an id  (give the security group id (sg- and hex digits); launches take ids, not the names under securityGroups:)']] },
  { name: 'a tab in the indentation', spec: `${HEAD}services:\n  web:\n\tpolicies: [logs:WriteOnly]\n`, problems: [['spec.yaml:6:1', 'YAML syntax: a tab indents this line; YAML indents with spaces only  (replace the tab with spaces)']] },
];

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function dirWith(spec: string | Buffer, files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'charter-accept-'));
  made.push(d);
  writeFileSync(join(d, 'spec.yaml'), spec);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

/** Exit 2, no stack trace, exactly one stderr line per expected problem, each at its place with its sentence. */
async function expectProblems(args: string[], cwd: string, expected: Problem[]): Promise<void> {
  const before = readdirSync(cwd).sort();
  const r = await charter(args, { cwd });
  const label = `charter ${args.join(' ')}\n${r.stderr}`;
  expect(r.code, label).toBe(2);
  expect(r.stderr, label).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.stderr, label).not.toContain('\r');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, label).toHaveLength(expected.length);
  expected.forEach(([at, says], i) => {
    expect(lines[i]!.startsWith(`${at}  `), label).toBe(true);
    expect(lines[i], label).toContain(says);
  });
  expect(readdirSync(cwd).sort(), `${label}: nothing written`).toEqual(before);
}

describe('bad input: exit 2, one line per problem, at the mistake, with a sentence', () => {
  for (const row of BAD) {
    describe(row.name, () => {
      const commands: string[][] = [['compile', 'spec.yaml'], ['lint', 'spec.yaml'], ['plan', 'spec.yaml', '--sandbox']];
      for (const args of commands) {
        it(args.join(' '), async () => {
          await expectProblems(args, dirWith(row.spec, row.files), row.problems);
        });
      }
      if (row.lintFile) {
        it('lint p.json', async () => {
          await expectProblems(['lint', 'p.json'], dirWith(row.spec, row.files), row.lintFile!);
        });
      }
    });
  }
});

describe('other files named .json are strict JSON too, reported at the mistake', () => {
  it('a spec named .json with a trailing comma: compile and plan --sandbox', async () => {
    const cwd = dirWith('');
    writeFileSync(join(cwd, 'spec.json'), '{\n  "version": 1,\n  "name": "demo",\n  "region": "us-east-1",\n}\n');
    for (const args of [['compile', 'spec.json'], ['plan', 'spec.json', '--sandbox']]) await expectProblems(args, cwd, [['spec.json:4:24', 'JSON syntax: a comma before }: JSON allows no trailing comma']]);
  });

  it('a spec named .json that is strict JSON compiles', async () => {
    const cwd = dirWith('');
    writeFileSync(join(cwd, 'spec.json'), JSON.stringify({ version: 1, name: 'demo', region: 'us-east-1', services: { web: { policies: ['logs:WriteOnly'], trust: ['ec2'] } } }, null, 2));
    expect((await charter(['compile', 'spec.json'], { cwd })).code).toBe(0);
  });

  it('a --baseline file with a comment', async () => {
    const cwd = dirWith(`${HEAD}${SVC}`, { 'b.json': '{\n  "version": 1, # v1\n  "findings": []\n}\n' });
    await expectProblems(['lint', 'spec.yaml', '--baseline', 'b.json'], cwd, [['b.json:2:17', 'baseline: JSON syntax: a comment: JSON has no comments']]);
  });
});

interface FindingRow {
  name: string;
  files: Record<string, string>;
  lint: string;
  rule: string;
  at: { file: string; line: number; column: number };
  says: string;
  severity: 'error' | 'warning';
}

const FINDINGS: FindingRow[] = [
  {
    name: 'idleTimeout longer than ttl',
    files: { 'spec.yaml': `${HEAD}${SVC}${INSTANCE}    ttl: 1h\n    idleTimeout: 2h\n` },
    lint: 'spec.yaml',
    rule: 'idle-timeout-ttl',
    at: { file: 'spec.yaml', line: 14, column: 5 },
    says: 'launch a: idleTimeout 2h is not shorter than ttl 1h, so the idle timeout can never fire',
    severity: 'warning',
  },
  {
    name: 'a policy file Resource with too few ARN parts',
    files: { 'p.json': POLICY.replace('arn:aws:s3:::b/*', 'arn:aws:s3:b/*') },
    lint: 'p.json',
    rule: 'arn-syntax',
    at: { file: 'p.json', line: 4, column: 64 },
    says: 'Resource "arn:aws:s3:b/*" has 4 of the 6 ARN parts (arn:partition:service:region:account:resource): `b/*` stands where the region goes',
    severity: 'error',
  },
  {
    name: 'a spec statement Resource with a bad account',
    files: { 'spec.yaml': `${HEAD}services:\n  web:\n    statements:\n      - actions: [sqs:SendMessage]\n        resources: ["arn:aws:sqs:us-east-1:12345:q"]\n    trust: [ec2]\n` },
    lint: 'spec.yaml',
    rule: 'arn-syntax',
    at: { file: 'spec.yaml', line: 8, column: 21 },
    says: 'has account `12345` of 5 digits, an account id has 12',
    severity: 'error',
  },
];

describe('findings that are not bad input: reported at their place, exit per --fail-on', () => {
  for (const row of FINDINGS) {
    it(row.name, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'charter-accept-'));
      made.push(cwd);
      for (const [name, text] of Object.entries(row.files)) writeFileSync(join(cwd, name), text);
      const r = await charter(['lint', row.lint, '--format', 'json'], { cwd });
      const out = JSON.parse(r.stdout) as { findings: Array<{ rule: string; file: string; line: number; column: number; message: string; severity: string }> };
      const mine = out.findings.filter((f) => f.rule === row.rule);
      expect(mine.map((f) => ({ file: f.file, line: f.line, column: f.column, severity: f.severity }))).toEqual([{ ...row.at, severity: row.severity }]);
      expect(mine[0]!.message).toContain(row.says);
      const worst = out.findings.some((f) => f.severity === 'error') ? 'error' : 'warning';
      expect(r.code).toBe(worst === 'error' ? 1 : 0);
      expect((await charter(['lint', row.lint, '--fail-on', row.severity], { cwd })).code).toBe(1);
      if (row.severity === 'warning') expect((await charter(['lint', row.lint, '--fail-on', 'error'], { cwd })).code).toBe(0);
      if (row.lint === 'spec.yaml') expect((await charter(['compile', 'spec.yaml'], { cwd })).code).toBe(0);
    });
  }
});
