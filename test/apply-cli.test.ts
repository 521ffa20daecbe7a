/**
 * The apply/destroy/reap commands as an operator runs them (child processes of the built CLI,
 * embedded sandbox via --sandbox in a temp directory): the quickstart, approval refusal without a
 * TTY, --format json, saved plans, bad input.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { charterCli, tmp } from './apply-support.js';

const charter = charterCli;

describe('apply CLI', () => {
  it('quickstart: apply an example spec to the sandbox end to end, then no-op, reap dry run, destroy', () => {
    expect(existsSync('dist/cli/main.js')).toBe(true);
    const dir = tmp('charter-cli-');
    cpSync(resolve('fixtures'), join(dir, 'fixtures'), { recursive: true });
    const first = charter(['apply', 'fixtures/ml-research.yaml', '--sandbox', '--auto-approve'], dir);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/Apply complete: .* 2 launched/);
    expect(first.out).toMatch(/train\[0\]\s+i-[0-9a-f]+\s+expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(first.out).toMatch(/trainer\s+arn:aws:iam::123456789012:role\/charter-trainer-/);
    expect(existsSync(join(dir, '.charter/sandbox.json'))).toBe(true);

    const again = charter(['apply', 'fixtures/ml-research.yaml', '--sandbox', '--format', 'json'], dir);
    expect(again.code, again.err).toBe(0); // nothing to do: no approval needed
    const s = JSON.parse(again.out) as { status: string; writeCalls: number };
    expect(s.status).toBe('no-changes');
    expect(s.writeCalls).toBe(0);

    const reap = charter(['reap', '--sandbox', '--dry-run', '--spec', 'fixtures/ml-research.yaml'], dir);
    expect(reap.code, reap.err).toBe(0);
    expect(reap.out).toMatch(/2 managed instance\(s\) checked, 0 would terminate/);

    const destroy = charter(['destroy', 'fixtures/ml-research.yaml', '--sandbox', '--auto-approve', '--format', 'json'], dir);
    expect(destroy.code, destroy.err).toBe(0);
    const d = JSON.parse(destroy.out) as { terminated: string[]; deleted: unknown[] };
    expect(d.terminated).toHaveLength(2);
    expect(d.deleted.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses to apply changes without a TTY or --auto-approve (exit 1), writes nothing', () => {
    const dir = tmp('charter-cli-');
    cpSync(resolve('fixtures'), join(dir, 'fixtures'), { recursive: true });
    const r = charter(['apply', 'fixtures/ml-research.yaml', '--sandbox'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refusing to apply these changes without approval: stdin is not a terminal.*--auto-approve/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    const after = charter(['apply', 'fixtures/ml-research.yaml', '--sandbox', '--auto-approve'], dir);
    expect(after.out).toMatch(/Apply complete/); // the refused run created nothing
    expect(after.out).toMatch(/7 created/);
  });

  it('bad input exits 2 with file:line:col; a hand-edited plan is refused', () => {
    const dir = tmp('charter-cli-');
    const r = charter(['apply', 'nope.yaml', '--sandbox', '--auto-approve'], dir);
    expect(r.code).toBe(2);
    const p = charter(['apply', resolve('package.json'), '--sandbox', '--auto-approve'], dir);
    expect(p.code).toBe(2);
    const pool = charter(['apply', 'x.yaml', '--pool', '0'], dir);
    expect(pool.code).toBe(2);
  });
});
