/**
 * The compile-side CLI commands through the CLI's entry point, in process (test/cli-support.ts):
 * compile (text, json, --out), graph, exit codes, no stack traces; and, as a real process against
 * dist/ (`npm test` builds first), no AWS SDK loaded.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { binCopy, charter, charterProcess, moduleLoadLog, type CliRun } from './cli-support.js';

/** In process; with nodeArgs, as a child process (module-loading checks need a fresh process). */
function run(args: string[], nodeArgs: string[] = []): Promise<CliRun> {
  // With node flags (a module-loading hook): the ESM bundle, whose modules the hook sees (a run from
  // the code-cached script loads none of them: test/code-cache.test.ts).
  return nodeArgs.length ? charterProcess(args, { nodeArgs, bin: binCopy('missing') }) : charter(args);
}

describe('charter compile / graph (CLI)', () => {
  it('prints a readable summary', async () => {
    const r = await run(['compile', 'fixtures/lakerunner.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('role lakerunner-ecs-execution-role (explicit name)');
    expect(r.stdout).toContain('trust       AWS arn:aws:iam::210987654321:root [sts:ExternalId]');
    expect(r.stdout).toContain('managed     arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy');
    expect(r.stdout).toContain('instance profile lakerunner-ecs-instance-role → role lakerunner-ecs-instance-role');
  });

  it('--format json prints the bundle compileSpec returns', async () => {
    const r = await run(['compile', 'fixtures/spawn-job-array.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { hash: string; roles: Array<{ name: string }> };
    const bundle = await compileSpec(loadSpecFile('fixtures/spawn-job-array.yaml'));
    expect(printed.hash).toBe(bundle.hash);
    expect(printed.roles.map((x) => x.name)).toEqual(bundle.roles.map((x) => x.name));
  });

  it('--out writes the tree; a second run leaves identical bytes', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'charter-cli-')), 'build');
    expect((await run(['compile', 'fixtures/spawn-gpu-training.yaml', '--out', out])).code).toBe(0);
    const manifest = readFileSync(join(out, 'manifest.json'), 'utf8');
    const files = Object.keys((JSON.parse(manifest) as { files: Record<string, string> }).files);
    expect(files).toEqual(['launches/train.json', 'launches/train.user-data.sh', 'roles/trainer.json']);
    const before = files.map((f) => readFileSync(join(out, f), 'utf8'));
    expect((await run(['compile', 'fixtures/spawn-gpu-training.yaml', '--out', out])).code).toBe(0);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(manifest);
    expect(files.map((f) => readFileSync(join(out, f), 'utf8'))).toEqual(before);
  });

  it('bad input: exit 2, every problem at file:line:col, no stack trace, nothing written', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-cli-'));
    const spec = join(d, 'bad.yaml');
    writeFileSync(spec, 'version: 1\nname: bad\nregion: us-east-1\nservices:\n  app:\n    statements:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::{bucket}/*"]\n    trust: [ec2]\n');
    const out = join(d, 'out');
    const r = await run(['compile', spec, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:8:\d+ {2}unresolved placeholder \{bucket\}/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('graph: mermaid and dot', async () => {
    const m = await run(['graph', 'fixtures/ml-research.yaml']);
    expect(m.code).toBe(0);
    expect(m.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(m.stdout).toMatch(/\(\["ec2\.amazonaws\.com"\]\)/);
    expect(m.stdout).toMatch(/\{\{"instances train x2 g5\.xlarge"\}\}/);
    const d = await run(['graph', 'fixtures/ml-research.yaml', '--format', 'dot']);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^digraph "ml-research" \{/);
    expect(d.stdout).toContain('label="aws:policy/AmazonSSMManagedInstanceCore", shape=note');
  });

  it('templates: the 13 built-ins with the resource types scoping matches', async () => {
    const r = await run(['templates']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^[a-z0-9]+:[A-Za-z]+ /.test(l))).toHaveLength(13);
    expect(r.stdout).toContain('s3:ListBucket [accesspoint|bucket]');
    expect(r.stdout).toContain('ecr:GetAuthorizationToken [*]');
  });

  it('compile never loads the AWS SDK', async () => {
    const mods = moduleLoadLog();
    const r = await run(['compile', 'fixtures/lakerunner.yaml', '--format', 'json'], mods.nodeArgs);
    expect(r.code).toBe(0);
    const loaded = mods.loaded();
    expect(loaded.some((u) => /\/dist\/bundle\/compiler-\w+\.js$/.test(u))).toBe(true); // the hook sees our modules (the bundle's compiler chunk)
    expect(loaded.filter((u) => u.includes('@aws-sdk'))).toEqual([]);
  });
});
