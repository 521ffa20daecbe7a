/**
 * Crash safety: the real CLI (a child process) applies a spec or a saved plan against a sandbox
 * served from this process, and is killed with SIGKILL at seeded random points (after the k-th
 * write call reached AWS, plus a random sub-request delay). Re-applying must reach the same end
 * state: every role and profile the spec wants (and no other managed one), each profile holding its
 * role, exactly `count` active instances per group (zero duplicates), and then a no-op.
 * Also: a real SIGINT stops scheduling, exits 130, and a re-run finishes. And idempotency across
 * time (each apply attempt has its own identity: plan, target, attempt id): re-apply after destroy,
 * the same plan against two endpoints, a resume after the live state was wiped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { plan } from '../src/plan/plan.js';
import { savePlan } from '../src/plan/plan-file.js';
import { readLiveState } from '../src/aws/live-state.js';
import { readOptionsForBundle } from '../src/plan/read-options.js';
import { mulberry32 } from '../src/sandbox/rng.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import { applyOptions, captureIo, expectConverged, runApply, runDestroy, sandbox, snapshot, specText, tmp, writeSpec } from './apply-support.js';
import { ROOT, sandboxEnv, spawnCharter } from './cli-support.js';

const CRASH_POINTS = Number(process.env.CRASH_POINTS ?? 24);
const SEED = 20261122;

/** bin/charter.js as a child process with the sandbox's dummy keys and no other AWS credentials, profile or endpoint from the environment. */
function runCli(args: string[], cwd: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> } {
  const p = spawnCharter(args, { cwd, stdin: null, nodeArgs: ['--no-warnings'], env: sandboxEnv() });
  return { child: p.child, done: p.done.then((r) => ({ code: r.code, signal: r.signal, out: r.stdout, err: r.stderr })) };
}

/** Is an apply attempt still open in DIR's journal folder (its journal is removed when the attempt completes)? */
function openAttempt(dir: string): boolean {
  const j = join(dir, '.charter');
  return existsSync(j) && readdirSync(j).some((f) => f.startsWith('apply-') && f.endsWith('.json'));
}

/** Yield to the event loop for `ms` (polling interval or the seeded delay before a kill; never a deadline). */
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sb: RunningSandbox & { reset(): void };
let clients: AwsClients;
beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('build first: npm run build (npm test does)');
  const s = await sandbox({ latencyMs: 6 });
  sb = s.sb as RunningSandbox & { reset(): void };
  clients = s.clients;
});
afterAll(async () => {
  await sb?.stop();
});

// One test per crash point (each with the suite's whole timeout), in order: the seeded draws are
// taken in the same sequence as ever. The last test checks that most kills landed mid-apply.
describe(`crash safety: kill -9 at ${CRASH_POINTS} seeded random points, then re-apply: same end state, zero duplicates, zero orphans`, () => {
  const rng = mulberry32(SEED);
  const specBody = specText({ name: 'crash', roles: 3, count: 3, groups: 2 });
  let bundle: Awaited<ReturnType<typeof compileSpec>>;
  let totalWrites = 0;
  const points: string[] = [];
  let killedMidWay = 0;
  beforeAll(async () => {
    const dir = tmp('charter-crash-');
    const spec = writeSpec(dir, specBody);
    bundle = await compileSpec(loadSpecFile(spec));
    // The writes of one whole apply, counted on an uninterrupted run: the kill points are drawn over them.
    sb.reset();
    expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
    totalWrites = sb.stats().writes;
    expect(totalWrites).toBeGreaterThan(bundle.roles.length + bundle.launches.length);
  });
  for (let i = 0; i < CRASH_POINTS; i++)
    it(`crash point ${i + 1}/${CRASH_POINTS} (${i % 2 === 0 ? 'spec' : 'saved plan'})`, async () => {
      sb.reset();
      const dir = tmp('charter-crash-');
      const spec = writeSpec(dir, specBody);
      const mode = i % 2 === 0 ? 'spec' : 'plan';
      const killAfter = Math.floor(rng() * (totalWrites + 1)) - 1; // -1: during planning, before any write
      const subDelay = Math.floor(rng() * 12);
      let target = spec;
      if (mode === 'plan') {
        const p = await plan(bundle, await readLiveState(clients, readOptionsForBundle(bundle)), { prune: false, adopt: false });
        target = join(dir, `plan-${i}.json`);
        savePlan(p, target);
      }
      const readsBefore = sb.stats().reads;
      const { child, done } = runCli(['apply', target, '--endpoint', sb.endpoint, '--auto-approve'], dir);
      let killed = false;
      // Polls the sandbox until the kill point is reached or the CLI has finished on its own.
      const watcher = (async () => {
        while (!killed) {
          const w = sb.stats().writes;
          const trigger = killAfter < 0 ? sb.stats().reads > readsBefore : w > killAfter;
          if (trigger) {
            if (subDelay) await wait(subDelay);
            killed = child.kill('SIGKILL');
            return;
          }
          await wait(1);
        }
      })();
      const r = await done;
      killed = true;
      await watcher;
      const writesAtKill = sb.stats().writes;
      if (r.signal === 'SIGKILL' && writesAtKill > 0 && writesAtKill < totalWrites) killedMidWay++;
      points.push(`${mode}:k=${killAfter}+${subDelay}ms→${r.signal ?? `exit ${r.code}`}@${writesAtKill}w`);

      if (process.env.CRASH_DEBUG) console.error(points.at(-1), r.err.slice(-300));
      // Re-apply (same command), in process.
      const dbg = (m: string) => { if (process.env.CRASH_DEBUG) console.error(m); };
      const io = captureIo();
      // The kill may land after the run finished its last write and completed its attempt (the
      // journal is removed on completion). Re-applying that saved plan is then refused as stale by
      // design (a completed attempt never vouches for a plan: test/apply.test.ts), with no write, and
      // the spec itself must be converged already: the checks below run on the spec then.
      const completedBeforeKill = mode === 'plan' && writesAtKill === totalWrites && !openAttempt(dir);
      if (completedBeforeKill) {
        sb.resetStats();
        await expect(runApply(target, applyOptions(clients, dir, { io })), points.at(-1)).rejects.toThrow(/stale plan refused/);
        expect(sb.stats().writes).toBe(0);
        points[points.length - 1] += '(completed)';
      }
      const again = await runApply(completedBeforeKill ? spec : target, applyOptions(clients, dir, { io })).catch((e) => { dbg(io.text()); throw e; });
      dbg('reapplied ' + again.summary?.status);
      expect(again.summary?.failed ?? [], points.at(-1)).toEqual([]);
      expect(again.exitCode, points.at(-1)).toBe(0);
      const snap = await snapshot(clients);
      expect(expectConverged(snap, bundle), points.at(-1)).toEqual([]);
      // zero duplicates: one active instance per (group, index)
      const slots = snap.active.map((x) => `${x.tags['charter:group']}#${x.tags['charter:index']}`);
      expect(new Set(slots).size, points.at(-1)).toBe(slots.length);
      // zero orphans: no managed role/profile beyond the spec's
      expect(snap.roles.filter((n) => snap.roleTags[n]?.['charter:managed'] === 'true').sort()).toEqual(bundle.roles.map((x) => x.name).sort());
      // and now nothing is left to do
      sb.resetStats();
      const noop = await runApply(spec, applyOptions(clients, dir));
      dbg('noop ' + noop.summary?.status);
      expect(noop.summary?.status, points.at(-1)).toBe('no-changes');
      expect(sb.stats().writes).toBe(0);
    });
  it(`most of the ${CRASH_POINTS} kills landed mid-apply`, () => {
    console.log(`crash points (${points.length}): ${points.join('  ')}`);
    expect(points).toHaveLength(CRASH_POINTS);
    expect(killedMidWay).toBeGreaterThanOrEqual(Math.floor(CRASH_POINTS * 0.6));
  });
});

describe('crash safety', () => {

  it('SIGINT stops scheduling, lets calls in flight finish, prints what was not done, exits 130; re-running finishes', async () => {
    const slow = await sandbox({ latencyMs: 40 });
    try {
      const dir = tmp('charter-sigint-');
      const spec = writeSpec(dir, specText({ name: 'sigint', roles: 4, count: 3, groups: 2 }));
      const { child, done } = runCli(['apply', spec, '--endpoint', slow.sb.endpoint, '--auto-approve', '--pool', '2'], dir);
      // Interrupt once two writes reached AWS (however long that takes); if the CLI already exited the
      // assertions below say so.
      while (slow.sb.stats().writes < 2 && child.exitCode === null && child.signalCode === null) await wait(2);
      child.kill('SIGINT');
      const r = await done;
      expect(r.code).toBe(130);
      expect(r.err).toMatch(/Interrupt/);
      expect(r.out).toMatch(/Apply INTERRUPTED/);
      expect(r.out).toMatch(/Not done \(\d+\)/);
      const bundle = await compileSpec(loadSpecFile(spec));
      expect(expectConverged(await snapshot(slow.clients), bundle).length).toBeGreaterThan(0);
      const again = runCli(['apply', spec, '--endpoint', slow.sb.endpoint, '--auto-approve'], dir);
      const r2 = await again.done;
      expect(r2.code, r2.err).toBe(0);
      expect(expectConverged(await snapshot(slow.clients), bundle)).toEqual([]);
    } finally {
      await slow.sb.stop();
    }
  });

  const HOUR = 3_600_000;

  /** Start `charter apply TARGET` against `endpoint` and SIGKILL it once the sandbox saw more than `writes` writes. */
  async function applyKilledAfter(target: string, dir: string, box: RunningSandbox, writes: number) {
    const before = box.stats().writes;
    const { child, done } = runCli(['apply', target, '--endpoint', box.endpoint, '--auto-approve'], dir);
    let stop = false;
    const watcher = (async () => {
      while (!stop) {
        if (box.stats().writes - before > writes) {
          child.kill('SIGKILL');
          return;
        }
        await wait(1);
      }
    })();
    const r = await done;
    stop = true;
    await watcher;
    return r;
  }

  async function savedPlan(specPath: string, c: AwsClients, dir: string): Promise<string> {
    const b = await compileSpec(loadSpecFile(specPath));
    const p = await plan(b, await readLiveState(c, readOptionsForBundle(b)), { prune: false, adopt: false });
    const f = join(dir, 'plan.json');
    savePlan(p, f);
    return f;
  }

  it('re-apply after destroy (spec and saved plan): a new attempt launches again, with new tokens', async () => {
    sb.reset();
    const dir = tmp('charter-again-');
    const spec = writeSpec(dir, specText({ name: 'again', roles: 2, count: 2 }));
    const bundle = await compileSpec(loadSpecFile(spec));
    const planFile = await savedPlan(spec, clients, dir);
    const tokens = new Set<string>();
    for (const target of [planFile, spec, planFile]) {
      const r = await runApply(target, applyOptions(clients, dir));
      expect(r.summary?.failed, target).toEqual([]);
      expect(r.exitCode, target).toBe(0);
      const snap = await snapshot(clients);
      expect(expectConverged(snap, bundle), target).toEqual([]);
      for (const i of snap.active) {
        expect(tokens.has(i.token), `token ${i.token} reused`).toBe(false);
        tokens.add(i.token);
      }
      expect((await runDestroy(spec, applyOptions(clients, dir))).exitCode).toBe(0);
      expect((await snapshot(clients)).active).toEqual([]);
    }
    expect(tokens.size).toBe(6);
  });

  it('re-apply after destroy once the terminated instances have vanished (AWS keeps them about an hour; the issue measured a minute): launches again', async () => {
    const v = await sandbox({ terminatedRetentionMs: 0 });
    try {
      const dir = tmp('charter-vanished-');
      const spec = writeSpec(dir, specText({ name: 'vanished', roles: 1, count: 2 }));
      const bundle = await compileSpec(loadSpecFile(spec));
      const planFile = await savedPlan(spec, v.clients, dir);
      expect((await runApply(planFile, applyOptions(v.clients, dir))).exitCode).toBe(0);
      expect((await runDestroy(spec, applyOptions(v.clients, dir))).exitCode).toBe(0);
      expect((await snapshot(v.clients)).instances).toEqual([]); // gone from DescribeInstances, not just terminated
      for (const target of [spec, planFile]) {
        // (the saved plan was made against the empty account, which it is again: not stale)
        const r = await runApply(target, applyOptions(v.clients, dir));
        expect(r.summary?.failed, target).toEqual([]);
        expect(r.exitCode, target).toBe(0);
        expect(expectConverged(await snapshot(v.clients), bundle), target).toEqual([]);
        expect((await runDestroy(spec, applyOptions(v.clients, dir))).exitCode).toBe(0);
      }
    } finally {
      await v.sb.stop();
    }
  });

  it('the same plan against two endpoints: separate attempts, fresh launch times, no shared tokens', async () => {
    const a = await sandbox({ latencyMs: 6 });
    const b = await sandbox();
    try {
      const dir = tmp('charter-two-');
      const spec = writeSpec(dir, specText({ name: 'two', roles: 2, count: 3 }));
      const bundle = await compileSpec(loadSpecFile(spec));
      const planFile = await savedPlan(spec, a.clients, dir);
      // The first attempt (against A) dies after its first launch: its journal stays, unfinished.
      await applyKilledAfter(planFile, dir, a.sb, 8);
      // An hour later the plan goes to B: B's attempt is its own, its launch times B's clock.
      const later = Date.now() + HOUR;
      const onB = await runApply(planFile, applyOptions(b.clients, dir, { now: () => later }));
      expect(onB.summary?.failed).toEqual([]);
      const snapB = await snapshot(b.clients);
      expect(expectConverged(snapB, bundle)).toEqual([]);
      for (const i of snapB.active) expect(Date.parse(i.tags['charter:expires-at']!)).toBeGreaterThan(later + 2 * HOUR - 120_000);
      // A's attempt resumes where it died: no duplicates, and no token of B's.
      const io = captureIo();
      const onA = await runApply(planFile, applyOptions(a.clients, dir, { io }));
      expect(onA.summary?.failed).toEqual([]);
      expect(io.text()).toMatch(/Resuming plan/);
      const snapA = await snapshot(a.clients);
      expect(expectConverged(snapA, bundle)).toEqual([]);
      const slots = snapA.active.map((x) => `${x.tags['charter:group']}#${x.tags['charter:index']}`);
      expect(new Set(slots).size).toBe(slots.length);
      const tokensB = new Set(snapB.active.map((i) => i.token));
      expect(snapA.active.filter((i) => tokensB.has(i.token))).toEqual([]);
    } finally {
      await a.sb.stop();
      await b.sb.stop();
    }
  });

  it('a resume after the live state was wiped: re-read first, launches again with this run\'s clock', async () => {
    const w = await sandbox({ latencyMs: 6 });
    try {
      const dir = tmp('charter-wiped-');
      const spec = writeSpec(dir, specText({ name: 'wiped', roles: 2, count: 3 }));
      const bundle = await compileSpec(loadSpecFile(spec));
      const planFile = await savedPlan(spec, w.clients, dir);
      await applyKilledAfter(planFile, dir, w.sb, 8);
      (w.sb as RunningSandbox & { reset(): void }).reset();
      const later = Date.now() + HOUR;
      const io = captureIo();
      const r = await runApply(planFile, applyOptions(w.clients, dir, { io, now: () => later }));
      expect(r.summary?.failed).toEqual([]);
      expect(r.exitCode).toBe(0);
      expect(io.text()).not.toMatch(/already applied/);
      const snap = await snapshot(w.clients);
      expect(expectConverged(snap, bundle)).toEqual([]);
      expect(snap.active).toHaveLength(3);
      for (const i of snap.active) expect(Date.parse(i.tags['charter:expires-at']!)).toBeGreaterThan(later + 2 * HOUR - 120_000);
      // The attempt completed: applying the plan again re-reads live state and finds it stale.
      await expect(runApply(planFile, applyOptions(w.clients, dir))).rejects.toThrow(/stale plan refused/);
    } finally {
      await w.sb.stop();
    }
  });
});
