/**
 * CLI QA fixes, end to end through the CLI's entry point (plus the pure helpers behind them):
 * - unwritable output paths (/proc, /sys, a read-only directory, a file in the way) fail fast as bad
 *   input (exit 2, one line) and write nothing; recursive mkdir under /proc used to spin forever;
 * - unknown flags, `--no-<unknown>` included, are named as typed with a did-you-mean; `--no-` only
 *   negates declared booleans (`--no-out` used to crash, `--no-baseline` was accepted);
 * - a named AWS profile missing from the shared files is bad input naming the files, not "no
 *   credentials ... pass --profile".
 */
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagProblems, type DeclaredOptions } from '../src/cli/flags.js';
import { checkProfile, knownProfiles } from '../src/aws/profile.js';
import { InputError } from '../src/diagnostics.js';
import { ROOT, charter as cli, charterProcess, cleanEnv, type CliRun } from './cli-support.js';

const SPEC = join(ROOT, 'fixtures', 'ml-research.yaml');

type Run = CliRun;

/** Run the CLI in process (test/cli-support.ts). */
function charter(args: string[], cwd: string, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return cli(args, { cwd, env: opts.env ?? cleanEnv() });
}

/**
 * Run bin/charter.js as a child process: for the cases that used to spin forever in a synchronous
 * mkdir (a regression would block an in-process run, and the test timeout with it) and for running
 * as another user. No wall-clock kill: a hang fails at the vitest test timeout.
 */
function charterChild(args: string[], cwd: string, opts: { uid?: number } = {}): Promise<Run> {
  return charterProcess(args, { cwd, ...opts });
}

const made: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'charter-qa-'));
  made.push(d);
  return d;
}
afterAll(() => {
  for (const d of made) {
    try {
      chmodSync(d, 0o755);
    } catch {
      // gone
    }
    rmSync(d, { recursive: true, force: true });
  }
});

const STACK = /^\s+at .+[:(]\d+:\d+\)?$/m;

/** Exit 2, exactly one stderr line, no stack trace; returns the line. */
function oneLineBadInput(r: Run): string {
  expect(r.code, `exit code; stderr:\n${r.stderr}`).toBe(2);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toMatch(/run with --debug/);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

const HAS_PROC = existsSync('/proc/self/status');

describe('unwritable output paths fail fast as bad input and write nothing', () => {
  it.skipIf(!HAS_PROC)('compile --out /proc/nope: exit 2 naming /proc, no spin (recursive mkdir used to spin forever)', async () => {
    for (const out of ['/proc/nope', '/proc/nope/deeper/out']) {
      const r = await charterChild(['compile', SPEC, '--out', out], tmp());
      const line = oneLineBadInput(r);
      expect(line).toContain(`--out ${out}: cannot write in /proc`);
      expect(existsSync(out)).toBe(false);
    }
  });

  it.skipIf(!existsSync('/sys/kernel'))('compile --out /sys/nope: exit 2 (EPERM)', async () => {
    const line = oneLineBadInput(await charterChild(['compile', SPEC, '--out', '/sys/nope'], tmp()));
    expect(line).toMatch(/^--out \/sys\/nope: cannot write in \/sys: /);
  });

  it.skipIf(!HAS_PROC)('plan --out and lint --write-baseline under /proc: exit 2 before any work, nothing written', async () => {
    const cwd = tmp();
    const plan = await charterChild(['plan', SPEC, '--sandbox', '--out', '/proc/nope/plan.json'], cwd);
    expect(oneLineBadInput(plan)).toContain('--out /proc/nope/plan.json: cannot write in /proc');
    const lint = await charterChild(['lint', SPEC, '--write-baseline', '/proc/nope.json'], cwd);
    expect(oneLineBadInput(lint)).toContain('--write-baseline /proc/nope.json: cannot write in /proc');
    expect(readdirSync(cwd)).toEqual([]); // not even .charter/ (the sandbox never started)
  });

  // Root ignores directory modes, so as root the CLI runs as nobody (65534) to see a read-only directory.
  const isRoot = process.getuid?.() === 0;
  it.skipIf(process.platform === 'win32')('compile --out into a read-only directory: exit 2 "permission denied", directory left empty', async () => {
    const base = tmp();
    chmodSync(base, 0o755);
    const ro = join(base, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    for (const out of [join(ro, 'out'), join(ro, 'a', 'b')]) {
      const r = await (isRoot ? charterChild(['compile', SPEC, '--out', out], base, { uid: 65534 }) : charter(['compile', SPEC, '--out', out], base));
      const line = oneLineBadInput(r);
      expect(line).toBe(`--out ${out}: cannot write in ${ro}: permission denied (EACCES)  (choose a writable directory)`);
      expect(readdirSync(ro)).toEqual([]);
    }
  });

  it('compile --out under a regular file: exit 2, the file untouched', async () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'file.txt'), 'x');
    const line = oneLineBadInput(await charter(['compile', SPEC, '--out', 'file.txt/out'], cwd));
    expect(line).toContain('file.txt is a file, not a directory');
    expect(readdirSync(cwd)).toEqual(['file.txt']);
  });

  it('compile --out through a dangling symlink: exit 2 naming the link', async () => {
    const { symlinkSync } = await import('node:fs');
    const cwd = tmp();
    symlinkSync(join(cwd, 'missing-target'), join(cwd, 'dangling'));
    const line = oneLineBadInput(await charter(['compile', SPEC, '--out', 'dangling/out'], cwd));
    expect(line).toContain(`${join(cwd, 'dangling')} is a symbolic link to a missing target`);
  });

  // The writers themselves, not only the CLI's up-front check: a child process, so a hang cannot block the worker.
  it.skipIf(!HAS_PROC)('writeBundleDir and savePlan under /proc throw at once instead of spinning', async () => {
    const script = `
      const { loadSpecFile } = await import(${JSON.stringify(join(ROOT, 'dist/spec/load.js'))});
      const { compileSpec } = await import(${JSON.stringify(join(ROOT, 'dist/compiler/index.js'))});
      const { writeBundleDir } = await import(${JSON.stringify(join(ROOT, 'dist/compiler/output.js'))});
      const { makeDirs } = await import(${JSON.stringify(join(ROOT, 'dist/fs-dirs.js'))});
      const bundle = await compileSpec(loadSpecFile(${JSON.stringify(SPEC)}));
      for (const f of [() => writeBundleDir(bundle, '/proc/nope/out'), () => writeBundleDir(bundle, '/proc/nope'), () => makeDirs('/proc/nope/a/b')]) {
        try { f(); console.log('no error'); } catch (e) { console.log(e.name + ' ' + (e.code ?? '') + ' ' + e.message); }
      }`;
    // No wall-clock kill: a spin fails at the vitest test timeout (and the child is killed then).
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: tmp(), stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => void child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    const r: Run = { code: code ?? -1, stdout, stderr };
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'InputError  --out /proc/nope/out: cannot write: cannot create entries there (ENOENT)  (choose a writable directory)',
      'InputError  --out /proc/nope: cannot write: cannot create entries there (ENOENT)  (choose a writable directory)',
      "Error ENOENT ENOENT: no such file or directory, mkdir '/proc/nope'",
    ]);
  });
});

describe('unknown flags, --no-<unknown> included', () => {
  it('lint --no-such-flag: exit 2 naming --no-such-flag (not "such-flag, suchFlag")', async () => {
    const line = oneLineBadInput(await charter(['lint', SPEC, '--no-such-flag'], tmp()));
    expect(line).toBe('unknown option --no-such-flag  (charter lint --help)');
  });

  it('did you mean: --no-colr → --no-color, --colr → --color, --formt → --format', async () => {
    const cwd = tmp();
    expect(oneLineBadInput(await charter(['lint', SPEC, '--no-colr'], cwd))).toBe('unknown option --no-colr: did you mean --no-color?  (charter lint --help)');
    expect(oneLineBadInput(await charter(['lint', SPEC, '--colr'], cwd))).toBe('unknown option --colr: did you mean --color?  (charter lint --help)');
    expect(oneLineBadInput(await charter(['compile', SPEC, '--formt', 'json'], cwd))).toBe('unknown option --formt: did you mean --format?  (charter compile --help)');
  });

  it('--no- of an option that takes a value is bad input (compile --no-out used to crash with exit 1, lint --no-baseline was accepted)', async () => {
    const cwd = tmp();
    expect(oneLineBadInput(await charter(['compile', SPEC, '--no-out'], cwd))).toBe('--no-out: --out takes a value and has no --no- form  (omit --out instead; charter compile --help)');
    expect(oneLineBadInput(await charter(['lint', SPEC, '--no-baseline'], cwd))).toContain('--no-baseline: --baseline takes a value');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('several unknown flags: one line each; a subcommand names itself in the hint', async () => {
    const r = await charter(['lint', SPEC, '--no-such-flag', '--bogus=3'], tmp());
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual(['unknown option --no-such-flag  (charter lint --help)', 'unknown option --bogus  (charter lint --help)']);
    expect(oneLineBadInput(await charter(['sandbox', 'stats', '--no-such'], tmp()))).toBe('unknown option --no-such  (charter sandbox stats --help)');
  });

  it('negations of declared booleans and camelCase spellings keep working', async () => {
    const cwd = tmp();
    for (const args of [['lint', SPEC, '--no-color'], ['lint', SPEC, '--no-sandbox', '--no-debug'], ['lint', SPEC, '--failOn', 'error'], ['compile', SPEC, '--no-debug']]) {
      const r = await charter(args, cwd);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const plan = await charter(['plan', SPEC, '--sandbox', '--no-prune', '--no-adopt', '--no-color'], cwd);
    expect(plan.code, plan.stderr).toBe(0);
  });

  it('flagProblems: stops at --, ignores short flags, knows aliases and hidden options without suggesting them', () => {
    const o: DeclaredOptions = {
      key: { help: true, version: true, out: true, color: true, 'read-mode': true },
      boolean: ['help', 'version', 'color'],
      alias: { help: ['h'], spec: [] },
      hiddenOptions: ['read-mode'],
    };
    expect(flagProblems(['x', '-z', '--', '--nope'], o)).toEqual([]);
    expect(flagProblems(['--h', '--spec', 'a', '--readMode', 'gaad', '--noColor'], o).map((p) => p.message)).toEqual(['unknown option --noColor: did you mean --no-color?']);
    expect(flagProblems(['--read-mod'], o).map((p) => p.message)).toEqual(['unknown option --read-mod']);
    expect(flagProblems(['--no-help', '--no-colour'], o).map((p) => p.message)).toEqual(['unknown option --no-colour: did you mean --no-color?']);
  });
});

describe('a named AWS profile that does not exist', () => {
  it('plan --profile nosuchprofile (no AWS config at all): exit 2, one line naming the profile and the files', async () => {
    const home = tmp();
    const r = await charter(['plan', SPEC, '--profile', 'nosuchprofile'], tmp(), { env: cleanEnv({ HOME: home }) });
    const line = oneLineBadInput(r);
    expect(line).toBe(
      `--profile nosuchprofile: profile "nosuchprofile" was not found in the shared config file ${join(home, '.aws', 'config')} or credentials file ${join(home, '.aws', 'credentials')} (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)  (no profiles found; create one with: aws configure --profile nosuchprofile)`,
    );
    expect(line).not.toMatch(/pass --profile|Could not load credentials/);
  });

  it('with AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE set: names those files and lists the profiles they hold', async () => {
    const home = tmp();
    const cfg = join(home, 'cfg');
    const creds = join(home, 'creds');
    writeFileSync(cfg, '[default]\nregion = us-east-1\n[profile dev]\nregion = us-west-2\n[sso-session corp]\nsso_region = us-east-1\n');
    writeFileSync(creds, '[ci]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n');
    const r = await charter(['diff', SPEC, '--profile', 'nosuchprofile'], tmp(), { env: cleanEnv({ HOME: home, AWS_CONFIG_FILE: cfg, AWS_SHARED_CREDENTIALS_FILE: creds }) });
    expect(oneLineBadInput(r)).toBe(
      `--profile nosuchprofile: profile "nosuchprofile" was not found in the shared config file ${cfg} or credentials file ${creds} (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)  (profiles found: ci, default, dev)`,
    );
  });

  it('AWS_PROFILE naming a missing profile: the line names AWS_PROFILE (plan, and lint --access-analyzer)', async () => {
    const home = tmp();
    const env = cleanEnv({ HOME: home, AWS_PROFILE: 'gone' });
    expect(oneLineBadInput(await charter(['plan', SPEC], tmp(), { env }))).toMatch(/^AWS_PROFILE=gone: profile "gone" was not found in the shared config file /);
    expect(oneLineBadInput(await charter(['lint', SPEC, '--access-analyzer', '--profile', 'gone'], tmp(), { env }))).toMatch(/^--profile gone: profile "gone" was not found/);
  });

  it('a profile that exists but has no credentials: exit 1, one line that does not tell to pass --profile again', async () => {
    const home = tmp();
    const cfg = join(home, 'cfg');
    writeFileSync(cfg, '[profile nocreds]\nregion = us-east-1\n');
    const r = await charter(['plan', SPEC, '--profile', 'nocreds'], tmp(), { env: cleanEnv({ HOME: home, AWS_CONFIG_FILE: cfg, AWS_SHARED_CREDENTIALS_FILE: join(home, 'none') }) });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(STACK);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: no AWS credentials for sts:GetCallerIdentity: .*a profile that has them \(--profile or AWS_PROFILE; after `aws sso login` for SSO profiles\)/);
    expect(lines[0]).not.toMatch(/Set AWS_PROFILE or pass --profile/);
  });

  it('knownProfiles/checkProfile read the files as the SDK does', () => {
    const home = tmp();
    mkdirSync(join(home, '.aws'));
    writeFileSync(
      join(home, '.aws', 'config'),
      ['# comment', '[profile dev] ', 'region = us-west-2 ; trailing comment', '[plain]', 'region = x', '[profile "quoted"]', 'region = x', '[profile empty]', '[services s3]', 'endpoint_url = x'].join('\r\n'),
    );
    writeFileSync(join(home, 'creds'), '[ci]\naws_access_key_id=AKIAIOSFODNN7EXAMPLE\n');
    const env = { HOME: home, AWS_SHARED_CREDENTIALS_FILE: '~/creds' };
    expect(knownProfiles(env)).toEqual(['ci', 'dev', 'quoted']);
    for (const p of ['dev', 'ci', 'quoted']) expect(() => checkProfile(p, env)).not.toThrow();
    // "[plain]" in the config file is not a profile (it needs "profile "); a section without settings is none either.
    for (const p of ['plain', 'empty', 's3']) expect(() => checkProfile(p, env)).toThrow(InputError);
    expect(() => checkProfile(undefined, env)).not.toThrow();
    expect(() => checkProfile(undefined, { ...env, AWS_PROFILE: 'dev' })).not.toThrow();
    expect(() => checkProfile(undefined, { ...env, AWS_PROFILE: 'nope' })).toThrow(/^AWS_PROFILE=nope: /);
  });
});
