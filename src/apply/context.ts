/**
 * What every apply step gets: the clients, the call gate (bounded pool), the abort signal, the
 * compiled bundle, the live state read at apply time, the journal, and counters.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Bundle } from '../compiler/types.js';
import type { LiveState } from '../policy/live-types.js';
import type { Plan } from '../plan/types.js';
import type { CallGate } from './gate.js';
import type { Journal } from './journal.js';
import { isRetryable, isThrottle, withRetry } from './retry.js';
import type { RetryDelay } from '../aws/retry-strategy.js';

export interface ApplyContext {
  iam: IAMClient;
  ec2: EC2Client;
  gate: CallGate;
  signal: AbortSignal;
  plan: Plan;
  bundle: Bundle;
  /** Live state read at the start of apply (fresh: never the plan's copy). */
  live: LiveState;
  journal: Journal;
  /** Clock for launch times (tests may fix it). */
  now: () => number;
  /** How long RunInstances is retried on "Invalid IAM Instance Profile" (default 120 000 ms). */
  profileWaitMs: number;
  /** Write calls sent, per "service:Action" (our attempts; the SDK's own retries are not visible). */
  writes: Record<string, number>;
  /** Notes for the summary (e.g. "role X already existed and was ours: reused"). */
  notes: string[];
  /** Extra retry rounds on top of the SDK's attempts. */
  retryRounds: number;
  /** The wait before an extra round (the clients' retryDelay, which tests shorten); default backoffMs. */
  retryDelay?: RetryDelay;
  /** The endpoint a call ("iam:CreateRole") goes to, named in a failed step's error. */
  endpointOf?: (action: string) => string | undefined;
}

interface Sendable<O> {
  send(command: never): Promise<O>;
}

/**
 * Send one command through the gate, with extra backoff rounds for throttling and transient
 * errors after the SDK's own attempts ran out. `write` counts it as a write.
 */
/** What sending a call needs: a subset of ApplyContext (reap uses it without a plan). */
export type CallContext = Pick<ApplyContext, 'gate' | 'signal' | 'retryRounds' | 'retryDelay' | 'writes' | 'endpointOf'>;

export async function send<O>(
  ctx: CallContext,
  client: { send: (c: never) => Promise<unknown> },
  command: unknown,
  o: { action: string; write: boolean; retryIf?: (e: unknown) => boolean },
): Promise<O> {
  try {
    return await withRetry(
      () =>
        ctx.gate.run(async () => {
          if (o.write) ctx.writes[o.action] = (ctx.writes[o.action] ?? 0) + 1;
          return (await (client as Sendable<O>).send(command as never)) as O;
        }),
      { rounds: ctx.retryRounds, signal: ctx.signal, retryIf: o.retryIf ?? isRetryable, ...(ctx.retryDelay ? { delayMs: (round: number, e: unknown) => ctx.retryDelay!(round, isThrottle(e)) } : {}) },
    );
  } catch (e) {
    // The error stays what it is (steps decide on its code); it also says which call it was, where
    // it went and whether it wrote (src/aws/errors.ts failedCall, stepErrorMessage).
    const endpoint = ctx.endpointOf?.(o.action);
    throw e instanceof Error ? Object.assign(e, { charterAction: o.action, charterWrite: o.write, ...(endpoint ? { charterEndpoint: endpoint } : {}) }) : e;
  }
}

export function totalWrites(w: Record<string, number>): number {
  return Object.values(w).reduce((a, b) => a + b, 0);
}
