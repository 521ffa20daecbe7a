/**
 * Retry and backoff for apply. The SDK already retries throttling and transient errors
 * (maxAttempts, adaptive mode); this layer adds rounds on top when the SDK gives up, so a burst of
 * throttling slows apply down instead of failing it. Sleeps are abortable (Ctrl-C).
 */

import { errorCode } from '../aws/errors.js';

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function httpStatus(e: unknown): number | undefined {
  if (e && typeof e === 'object') {
    const m = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
    return m?.httpStatusCode;
  }
  return undefined;
}

const THROTTLE_CODES = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'Throttled', 'SlowDown', 'RequestThrottled', 'BandwidthLimitExceeded', 'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

export function isThrottle(e: unknown): boolean {
  return THROTTLE_CODES.has(errorCode(e)) || httpStatus(e) === 429;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);

/**
 * A call whose outcome is unknown or transient: 5xx, network failure (the request may or may not
 * have reached AWS). Retrying is safe only for idempotent operations or with a conflict check.
 */
export function isTransient(e: unknown): boolean {
  const code = errorCode(e);
  if (NETWORK_CODES.has(code)) return true;
  if (code === 'InternalError' || code === 'InternalFailure' || code === 'ServiceUnavailable' || code === 'ServiceUnavailableException' || code === 'Unavailable') return true;
  const s = httpStatus(e);
  if (s !== undefined && s >= 500) return true;
  const msg = errorMessage(e);
  return /socket hang up|ECONNRESET|connection reset|EPIPE|other side closed/i.test(msg);
}

export function isRetryable(e: unknown): boolean {
  return isThrottle(e) || isTransient(e);
}

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
      const wait = backoffMs(attempt, o.baseMs ?? 200, o.capMs ?? 10_000);
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
