/**
 * Retry and backoff for apply. The SDK clients already retry throttling and transient errors
 * (charter's retry strategy, src/aws/retry-strategy.ts: quota errors such as LimitExceeded are
 * not retried); this layer adds rounds on top when the SDK gives up, so a burst of throttling
 * slows apply down instead of failing it. Sleeps are abortable (Ctrl-C).
 */

import { isRetryable } from '../aws/errors.js';

export { errorMessage, isRetryable, isThrottle, isTransient } from '../aws/errors.js';

export class StoppedError extends Error {
  constructor() {
    super('stopped by interrupt');
    this.name = 'StoppedError';
  }
}

/** Sleep that wakes early (rejecting with StoppedError) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolveP, reject) => {
    if (signal?.aborted) return reject(new StoppedError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolveP();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new StoppedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Full-jitter exponential backoff: random in [0, min(cap, base * 2^attempt)]. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, Math.floor(random() * ceiling));
}

export interface RetryOptions {
  /** Extra rounds after the SDK gave up. Default 6. */
  rounds?: number;
  baseMs?: number;
  capMs?: number;
  signal?: AbortSignal;
  /** Which errors to retry. Default: throttling and transient errors. */
  retryIf?: (e: unknown) => boolean;
  /** The wait before round `attempt` (1-based) after error `e`; default backoffMs from baseMs to capMs. */
  delayMs?: (attempt: number, e: unknown) => number;
  onRetry?: (e: unknown, attempt: number, waitMs: number) => void;
}

/** Run fn, retrying with backoff while retryIf(error) holds and rounds remain. */
export async function withRetry<T>(fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const rounds = o.rounds ?? 6;
  const retryIf = o.retryIf ?? isRetryable;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof StoppedError || attempt >= rounds || !retryIf(e)) throw e;
      const wait = o.delayMs ? o.delayMs(attempt + 1, e) : backoffMs(attempt, o.baseMs ?? 200, o.capMs ?? 10_000);
      o.onRetry?.(e, attempt + 1, wait);
      await sleep(wait, o.signal);
    }
  }
}

/**
 * Poll until fn returns a value (not undefined) or the deadline passes. Backs off from firstMs
 * to capMs. Never a fixed sleep: it returns as soon as the condition holds.
 */
export async function pollUntil<T>(
  fn: () => Promise<T | undefined>,
  o: { timeoutMs: number; firstMs?: number; capMs?: number; signal?: AbortSignal; now?: () => number },
): Promise<T | undefined> {
  const now = o.now ?? Date.now;
  const deadline = now() + o.timeoutMs;
  let wait = o.firstMs ?? 250;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    const left = deadline - now();
    if (left <= 0) return undefined;
    await sleep(Math.min(wait, left), o.signal);
    wait = Math.min(o.capMs ?? 2_000, Math.ceil(wait * 1.5));
  }
}
