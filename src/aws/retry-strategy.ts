/**
 * The SDK clients' retry strategy. The SDK's standard strategy classifies errors itself and counts
 * IAM's `LimitExceeded` (a quota: a sixth policy version, a second role in an instance profile) as
 * throttling, so a call that can never succeed is sent maxAttempts times with backoff (20–50 s
 * measured). This one retries only what `isRetryable` calls throttling or transient
 * (src/aws/errors.ts), with the SDK's backoff shape: full jitter, 500 ms base for throttling, 100 ms
 * for transient errors, 20 s cap, and a server's Retry-After hint honoured.
 *
 * It implements the SDK's RetryStrategyV2 interface structurally (acquire, refresh, recordSuccess;
 * tokens with getRetryCount/getRetryDelay), so no runtime import of the SDK is needed here.
 */
import { isRetryable, isThrottle } from './errors.js';

export interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/** What the SDK's retry middleware passes on a failed attempt. */
export interface RetryErrorInfo {
  error?: unknown;
  errorType?: string;
  retryAfterHint?: Date;
}

/** Delay before retry number `retry` (1-based) of an error; default full-jitter exponential. */
export type RetryDelay = (retry: number, throttled: boolean) => number;

export const THROTTLE_BASE_MS = 500;
export const TRANSIENT_BASE_MS = 100;
export const MAX_DELAY_MS = 20_000;

export const defaultRetryDelay: RetryDelay = (retry, throttled) => {
  const base = throttled ? THROTTLE_BASE_MS : TRANSIENT_BASE_MS;
  return Math.floor(Math.random() * Math.min(MAX_DELAY_MS, base * 2 ** Math.min(retry, 30)));
};

const token = (count: number, delay: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });

export class CharterRetryStrategy {
  readonly mode = 'standard';

  constructor(
    private readonly maxAttempts: number,
    private readonly delay: RetryDelay = defaultRetryDelay,
    private readonly now: () => number = Date.now,
  ) {}

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return token(0, 0);
  }

  /** The next token, or a rejection: the SDK then throws the call's own error. */
  async refreshRetryTokenForRetry(t: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retry = t.getRetryCount() + 1;
    if (retry >= this.maxAttempts || !isRetryable(info.error)) throw new Error('not retried');
    const hint = info.retryAfterHint ? Math.max(0, info.retryAfterHint.getTime() - this.now()) : 0;
    return token(retry, Math.max(this.delay(retry, isThrottle(info.error)), Math.min(hint, MAX_DELAY_MS)));
  }

  recordSuccess(_t: RetryToken): void {}
}
