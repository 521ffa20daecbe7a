/**
 * Apply checks what it applies: the offline lint gates apply (a spec or a saved plan with lint
 * errors is refused before any AWS call, unless each error is suppressed with a reason or
 * --allow-lint-errors is given), plan shows the lint counts, and the summary lists only roles that
 * exist after the apply. Sandbox over real HTTP, real SDK clients, the real linter.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/diagnostics.js';
import { lintSpecGate } from '../src/linter/gate.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import { applyOptions, captureIo, runApply, sandbox, specText, tmp, writeSpec, useSandbox } from './apply-support.js';
import { charter, sandboxEnv } from './cli-support.js';
import { formatSummaryText } from '../src/apply/summary.js';

const GOOD = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const TYPO = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCor';
const withTypo = (o: Parameters<typeof specText>[0] = {}) => specText(o).replace(GOOD, TYPO);

let sb: RunningSandbox;
let clients: AwsClients;
useSandbox((s) => ({ sb, clients } = s), { resetEach: true });

async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('apply refuses lint errors', () => {
  it('a spec with a lint error: refused (exit 2 lines at the finding), no AWS call', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, withTypo({ roles: 1, count: 1 }));
    const e = await inputError(runApply(spec, applyOptions(clients, dir, { lint: lintSpecGate })));
    const lines = e.message.split('\n');
    // The managed: line of svc0 in specText (line 11, the list at column 15).
    expect(lines[0]).toMatch(new RegExp(`^${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:11:\\d+  .*AmazonSSMManagedInstanceCor.*\\[aws-managed-unknown\\]`));
    expect(lines.at(-1)).toContain('apply refused: the spec has 1 lint error');
    expect(lines.at(-1)).toContain('--allow-lint-errors');
    expect(sb.stats().reads + sb.stats().writes).toBe(0);
  });

  it('--allow-lint-errors lets it through, with a warning', async () => {
    const dir = tmp();
    const spec = writeSpec(dir, withTypo({ roles: 1, count: 0 }));
    const io = captureIo();
    const r = await runApply(spec, applyOptions(clients, dir, { io, lint: lintSpecGate, allowLintErrors: true }));
    expect(r.exitCode).toBe(0);
    expect(io.text()).toContain('applying despite 1 lint error (--allow-lint-errors)');
    expect(sb.stats().actions['iam:AttachRolePolicy']).toBe(1);
  });

  it('a suppression with a reason lets it through; one without a reason does not', async () => {
    const dir = tmp();
    const suppressed = withTypo({ roles: 1, count: 0 }).replace(`    managed: [${TYPO}]\n`, `    managed: [${TYPO}]  # charter-ignore aws-managed-unknown: a policy published after the catalogue\n`);
    expect(suppressed).toContain('charter-ignore');
    const ok = await runApply(writeSpec(dir, suppressed), applyOptions(clients, dir, { lint: lintSpecGate }));
    expect(ok.exitCode).toBe(0);
    const bare = suppressed.replace(': a policy published after the catalogue', '');
    const e = await inputError(runApply(writeSpec(dir, bare, 'bare.yaml'), applyOptions(clients, dir, { lint: lintSpecGate })));
    expect(e.message).toContain('[lint-config]');
  });

  it('a saved plan of a spec with lint errors is refused too, and plan shows the count', async () => {
    const dir = tmp();
    writeSpec(dir, withTypo({ roles: 1, count: 1 }));
    const planned = await charter(['plan', 'spec.yaml', '--endpoint', sb.endpoint, '--out', 'plan.json'], { cwd: dir, env: sandboxEnv() });
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('Lint: 1 error, ');
    expect(planned.stdout).toContain('apply refuses this spec');
    const json = await charter(['plan', 'spec.yaml', '--endpoint', sb.endpoint, '--format', 'json'], { cwd: dir, env: sandboxEnv() });
    expect((JSON.parse(json.stdout) as { lint: unknown }).lint).toEqual({ errors: 1, warnings: expect.any(Number), suppressed: 0 });
    sb.resetStats();
    const applied = await charter(['apply', 'plan.json', '--endpoint', sb.endpoint, '--auto-approve'], { cwd: dir, env: sandboxEnv() });
    expect(applied.code).toBe(2);
    expect(applied.stderr).toContain('[aws-managed-unknown]');
    expect(sb.stats().writes).toBe(0);
    const clean = await charter(['plan', writeSpec(dir, specText({ roles: 1, count: 1 }), 'clean.yaml'), '--endpoint', sb.endpoint], { cwd: dir, env: sandboxEnv() });
    expect(clean.stdout).toMatch(/Lint: 0 errors, \d+ warnings?\./);
  });
});

describe('apply summary: only what exists', () => {
  it('a role whose CreateRole failed is not listed under Roles', async () => {
    const denied = await sandbox({ deny: ['iam:CreateRole'] });
    try {
      const dir = tmp();
      const spec = writeSpec(dir, specText({ roles: 2, count: 0 }));
      const r = await runApply(spec, applyOptions(denied.clients, dir));
      expect(r.exitCode).toBe(1);
      expect(r.summary?.failed.length).toBeGreaterThan(0);
      expect(r.summary?.roles).toEqual([]);
      expect(formatSummaryText(r.summary!)).not.toContain('Roles:');
    } finally {
      await denied.sb.stop();
    }
  });

  it('roles that were created are listed with their ARN', async () => {
    const dir = tmp();
    const r = await runApply(writeSpec(dir, specText({ roles: 2, count: 0 })), applyOptions(clients, dir));
    expect(r.exitCode).toBe(0);
    expect(r.summary?.roles.map((x) => x.service).sort()).toEqual(['svc0', 'svc1']);
  });
});
