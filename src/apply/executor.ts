/**
 * Runs the steps of a plan: each starts as soon as the steps it depends on are done; every AWS
 * call passes the call gate (at most `pool` in flight). A failed step fails only the steps that
 * depend on it. stop() (Ctrl-C) stops scheduling: calls in flight finish, nothing new is sent,
 * and the result says what was and was not done. Re-running the plan finishes the job.
 */
import type { ApplyContext } from './context.js';
import type { Step, StepOutcome } from './steps.js';
import { errorCode, failedCall, stepErrorMessage, type FailedCall } from '../aws/errors.js';
import { StoppedError } from './retry.js';
import { redactSecrets } from '../secrets.js';

export type StepStatus = 'done' | 'failed' | 'skipped' | 'not-done';

export interface StepResult {
  id: string;
  status: StepStatus;
  ms: number;
  outcome?: StepOutcome;
  error?: string;
  /** For a failed step: the call that failed, where it went, and AWS's error code (typed). */
  call?: FailedCall;
}

export interface ProgressSink {
  begin?(steps: Step[]): void;
  start(step: Step): void;
  end(step: Step, result: StepResult): void;
  finish?(): void;
}

export async function executeSteps(ctx: ApplyContext, steps: Step[], sink: ProgressSink): Promise<Map<string, StepResult>> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const results = new Map<string, StepResult>();
  const running = new Map<string, Promise<StepResult>>();
  const visiting = new Set<string>();
  sink.begin?.(steps);

  const run = (id: string): Promise<StepResult> => {
    const existing = running.get(id);
    if (existing) return existing;
    if (visiting.has(id)) throw new Error(`dependency cycle at ${id}`);
    visiting.add(id);
    const step = byId.get(id);
    if (!step) throw new Error(`unknown step ${id}`);
    const depPromises = step.deps.filter((d) => byId.has(d)).map((d) => run(d));
    const p = (async (): Promise<StepResult> => {
      const deps = await Promise.all(depPromises);
      const bad = deps.find((d) => d.status !== 'done');
      let r: StepResult;
      if (bad) {
        r = bad.status === 'not-done' ? { id, status: 'not-done', ms: 0 } : { id, status: 'skipped', ms: 0, error: `waits for ${bad.id}, which ${bad.status === 'failed' ? 'failed' : 'was skipped'}` };
      } else if (ctx.signal.aborted) {
        r = { id, status: 'not-done', ms: 0 };
      } else {
        const t0 = performance.now();
        // Steps an earlier run of this plan finished are run again: every step is idempotent and
        // checks the live resource, so a journal never vouches for what AWS no longer holds.
        sink.start(step);
        ctx.journal.markStarted(step.id);
        try {
          const outcome = await step.run(ctx);
          ctx.journal.markDone(step.id);
          r = { id, status: 'done', ms: performance.now() - t0, outcome };
        } catch (e) {
          const ms = performance.now() - t0;
          if (e instanceof StoppedError || (ctx.signal.aborted && errorCode(e) === 'StoppedError')) r = { id, status: 'not-done', ms };
          else {
            const call = failedCall(e);
            r = { id, status: 'failed', ms, error: redactSecrets(stepErrorMessage(e)), ...(call ? { call } : {}) };
          }
        }
        sink.end(step, r);
      }
      results.set(id, r);
      return r;
    })();
    running.set(id, p);
    visiting.delete(id);
    return p;
  };

  // Start steps in a helpful order: those that start a propagation clock (profiles) first.
  const order = [...steps].sort((a, b) => priority(a) - priority(b));
  await Promise.all(order.map((s) => run(s.id)));
  sink.finish?.();
  return results;
}

function priority(s: Step): number {
  switch (s.change.kind) {
    case 'instance-profile':
      return 0;
    case 'role':
      return 1;
    case 'role-in-profile':
      return 2;
    case 'managed-policy':
      return 3;
    default:
      return 4;
  }
}
