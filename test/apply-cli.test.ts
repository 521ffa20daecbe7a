/**
 * The apply/destroy/reap commands as an operator runs them (embedded sandbox via --sandbox in a temp
 * directory): the README quickstart end to end as real processes of the built CLI, one at a time;
 * approval refusal without a TTY and bad input in process (test/cli-support.ts).
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmp } from './apply-support.js';
import { charter as cli, charterProcess, type CliRun } from './cli-support.js';

/** bin/charter.js as a child process (the quickstart as an operator types it). */
const charterBin = (args: string[], cwd: string): Promise<CliRun> => charterProcess(args, { cwd });
/** The CLI in process. */
const charter = (args: string[], cwd: string): Promise<CliRun> => cli(args, { cwd });

describe('apply CLI', () => {
  it('quickstart: apply an example spec to the sandbox end to end, then no-op, reap dry run, destroy', async () => {
    expect(existsSync(resolve('dist/cli/main.js')), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true);
    const dir = tmp('charter-cli-');
    cpSync(resolve('fixtures'), join(dir, 'fixtures'), { recursive: true });
    const first = await charterBin(['apply', 'fixtures/ml-research.yaml', '--sandbox', '--auto-approve'], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Apply complete: .* 2 launched/);
    expect(first.stdout).toMatch(/train\[0\]\s+i-[0-9a-f]+\s+expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(first.stdout).toMatch(/trainer\s+arn:aws:iam::123456789012:role\/charter-ml-research-trainer\b/);
    expect(existsSync(join(dir, '.charter/sandbox.json'))).toBe(true);

    const again = await charterBin(['apply', 'fixtures/ml-research.yaml', '--sandbox', '--format', 'json'], dir);
    expect(again.code, again.stderr).toBe(0); // nothing to do: no approval needed
    const s = JSON.parse(again.stdout) as { status: string; writeCalls: number };
    expect(s.status).toBe('no-changes');
    expect(s.writeCalls).toBe(0);

    const reap = await charterBin(['reap', '--sandbox', '--dry-run', '--spec', 'fixtures/ml-research.yaml'], dir);
    expect(reap.code, reap.stderr).toBe(0);
    expect(reap.stdout).toMatch(/2 managed instance\(s\) checked, 0 would terminate/);

    const destroy = await charterBin(['destroy', 'fixtures/ml-research.yaml', '--sandbox', '--auto-approve', '--format', 'json'], dir);
    expect(destroy.code, destroy.stderr).toBe(0);
    const d = JSON.parse(destroy.stdout) as { terminated: string[]; deleted: unknown[] };
    expect(d.terminated).toHaveLength(2);
    expect(d.deleted.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses to apply changes without a TTY or --auto-approve (exit 1), writes nothing', async () => {
    const dir = tmp('charter-cli-');
    cpSync(resolve('fixtures'), join(dir, 'fixtures'), { recursive: true });
    const r = await charter(['apply', 'fixtures/ml-research.yaml', '--sandbox'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to apply these changes without approval: stdin is not a terminal.*--auto-approve/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const after = await charter(['apply', 'fixtures/ml-research.yaml', '--sandbox', '--auto-approve'], dir);
    expect(after.stdout).toMatch(/Apply complete/); // the refused run created nothing
    expect(after.stdout).toMatch(/7 created/);
  });

  it('bad input exits 2 with file:line:col; a hand-edited plan is refused', async () => {
    const dir = tmp('charter-cli-');
    const r = await charter(['apply', 'nope.yaml', '--sandbox', '--auto-approve'], dir);
    expect(r.code).toBe(2);
    const p = await charter(['apply', resolve('package.json'), '--sandbox', '--auto-approve'], dir);
    expect(p.code).toBe(2);
    const pool = await charter(['apply', 'x.yaml', '--pool', '0'], dir);
    expect(pool.code).toBe(2);
  });
});
