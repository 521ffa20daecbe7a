/**
 * The call gate: at most `limit` AWS calls in flight at once (the bounded pool). Tasks run as soon
 * as their dependencies are done, but every AWS call passes through the gate, so sleeping in a
 * backoff or a propagation wait never holds a slot. stop() (Ctrl-C) lets in-flight calls finish and
 * makes every later acquire fail with StoppedError: nothing new is sent.
 */
import { StoppedError } from './retry.js';

export class CallGate {
  private active = 0;
  private readonly waiting: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private stopped = false;
  /** Highest concurrency seen, for tests and benches. */
  peak = 0;
  calls = 0;

  constructor(private limit: number) {
    if (!(limit >= 1)) throw new Error('pool size must be at least 1');
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  get inFlight(): number {
    return this.active;
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.waiting.splice(0)) w.reject(new StoppedError());
  }

  private acquire(): Promise<void> {
    if (this.stopped) return Promise.reject(new StoppedError());
    if (this.active < this.limit) {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject })).then(() => {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
    });
  }

  private release(): void {
    this.active--;
    if (this.stopped) return;
    const next = this.waiting.shift();
    if (next) next.resolve();
  }

  /** Run one call inside the gate. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    this.calls++;
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
