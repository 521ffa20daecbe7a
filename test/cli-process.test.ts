/**
 * bin/charter.js as a real process: what only a process shows (the exit code bin sets from main's
 * result, help and --version exiting 0 without running a command, a closed stdout pipe). Everything
 * else about the CLI runs in process (test/cli-support.ts). One process at a time, no wall-clock
 * timeouts: the vitest test timeout is the only clock.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, charterProcess, spawnCharter } from './cli-support.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SPEC = join(ROOT, 'fixtures', 'ml-research.yaml');
const STACK = /^\s+at .+[:(]\d+:\d+\)?$/m;

describe('bin/charter.js', () => {
  it('dist/ is built (npm test builds first)', () => {
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js'))).toBe(true);
  });

  it('--version prints the version and exits 0', async () => {
    const r = await charterProcess(['--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
    expect(r.stderr).toBe('');
  });

  it('<command> --help prints help, exits 0 and does not run the command', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'charter-bin-'));
    const r = await charterProcess(['compile', SPEC, '--out', 'build', '--help'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Examples:$/m);
    expect(r.stderr).toBe('');
    expect(readdirSync(cwd)).toEqual([]); // nothing compiled
  });

  it('bad input exits 2 and findings exit 1, as the process exit code', async () => {
    const bad = await charterProcess(['compile', 'missing.yaml'], { cwd: mkdtempSync(join(tmpdir(), 'charter-bin-')) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^missing\.yaml:1:1  /);
    expect(bad.stderr).not.toMatch(STACK);
    const findings = await charterProcess(['lint', join(ROOT, 'fixtures', 'policies', 'cml-worker-management.json')]); // an error (tag-condition-bypass)
    expect(findings.code).toBe(1);
  });

  it('a reader that closes stdout early (charter … | head) is not an error', async () => {
    // The read end of the pipe is closed before the CLI writes anything, so every write gets EPIPE.
    const p = spawnCharter(['compile', SPEC, '--format', 'json'], { stdin: null });
    p.child.stdout!.destroy();
    const { code, stderr } = await p.done;
    expect(stderr).not.toMatch(/EPIPE|error/i);
    expect(stderr).not.toMatch(STACK);
    expect(code).toBe(0);
  });
});
