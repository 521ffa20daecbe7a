/**
 * `charter sandbox serve` as a user runs it: the server that runs until SIGTERM as a real process of
 * the built CLI (needs dist/: npm test builds first); stats, reset and the refusals in process
 * (test/cli-support.ts).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../src/sandbox/index.js';
import { ROOT, charter, spawnCharter, type ChildRun } from './cli-support.js';

/** Run bin/charter.js; when `until` matches stdout, call `then` (e.g. to poke the server) and send SIGTERM. */
async function charterUntil(args: string[], until: RegExp, then: (m: RegExpExecArray) => Promise<void>): Promise<ChildRun> {
  const p = spawnCharter(args, { stdin: null });
  try {
    await then(await p.waitFor(until));
  } finally {
    p.child.kill('SIGTERM');
  }
  return p.done;
}

describe('charter sandbox serve', () => {
  it('prints the endpoint and environment, persists with --state, stops cleanly on SIGTERM', async () => {
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'charter-serve-'));
    const state = join(dir, 'state.json');
    const r = await charterUntil(['sandbox', 'serve', '--port', '0', '--state', state], /^export AWS_ENDPOINT_URL=(\S+)$/m, async (m) => {
      const res = await fetch(`${m[1]}/`, { method: 'POST', body: 'Action=CreateInstanceProfile&Version=2010-05-08&InstanceProfileName=from-cli' });
      expect(res.status).toBe(200);
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^export AWS_ACCESS_KEY_ID=\S+$/m);
    expect(r.stdout).toMatch(/^export AWS_SECRET_ACCESS_KEY=\S+$/m);
    expect(r.stdout).toMatch(/^export AWS_REGION=us-east-1$/m);
    expect(JSON.parse(readFileSync(state, 'utf8')).profiles['from-cli'].name).toBe('from-cli');
  });

  it('stats and reset talk to a running sandbox; no sandbox is exit 1', async () => {
    const sb = await startSandbox();
    try {
      await fetch(`${sb.endpoint}/`, { method: 'POST', body: 'Action=CreateInstanceProfile&Version=2010-05-08&InstanceProfileName=p' });
      const stats = await charter(['sandbox', 'stats', '--endpoint', sb.endpoint]);
      expect(stats.code).toBe(0);
      expect(JSON.parse(stats.stdout)).toEqual({ reads: 0, writes: 1, actions: { 'iam:CreateInstanceProfile': 1 }, faults: 0, accessKeys: {} });
      expect((await charter(['sandbox', 'reset', '--endpoint', sb.endpoint, '--stats-only'])).code).toBe(0);
      expect(sb.stats().writes).toBe(0);
    } finally {
      await sb.stop();
    }
    const gone = await charter(['sandbox', 'stats', '--endpoint', 'http://127.0.0.1:9']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('no sandbox answering');
  });

  it('a corrupt state file is bad input (exit 2, one clear line, file untouched)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-serve-'));
    const state = join(dir, 'state.json');
    writeFileSync(state, '{"version": 1, "roles": {');
    const r = await charter(['sandbox', 'serve', '--port', '0', '--state', state]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`sandbox state file ${state} is unusable: not valid JSON`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(state, 'utf8')).toBe('{"version": 1, "roles": {');
  });

  it('bad knobs exit 2; a busy port exits 1', async () => {
    expect((await charter(['sandbox', 'serve', '--port', '0', '--throttle', '3'])).code).toBe(2);
    const busy = await startSandbox();
    try {
      const r = await charter(['sandbox', 'serve', '--port', String(busy.port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('already in use');
    } finally {
      await busy.stop();
    }
  });
});
