/**
 * Progress of an apply. On a TTY: a live view (finished steps scroll above, the steps in flight
 * redraw below with their elapsed time). Otherwise: one line per finished step with its duration,
 * which reads well in CI logs. Output passes through redactSecrets.
 */
import type { Step } from './steps.js';
import type { ProgressSink, StepResult } from './executor.js';
import { redactSecrets } from '../secrets.js';

interface Out {
  write(s: string): unknown;
}

const MARK: Record<StepResult['status'], string> = { done: '✓', failed: '✗', skipped: '-', 'not-done': '·' };

export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

function resultLine(step: Step, r: StepResult): string {
  const extra = r.outcome?.detail ? `  ${r.outcome.detail}` : r.outcome?.arn ? `  ${r.outcome.arn}` : '';
  const reused = r.outcome?.reused ? ' (already there)' : '';
  const err = r.error ? `: ${r.error}` : '';
  return redactSecrets(`  ${MARK[r.status]} ${step.label}${reused}${extra}  (${fmtMs(r.ms)})${err}`);
}

/** One line per finished step (no TTY). */
export class LineProgress implements ProgressSink {
  constructor(private readonly out: Out) {}
  begin(steps: Step[]): void {
    this.out.write(`Applying ${steps.length} step(s)\n`);
  }
  start(): void {}
  end(step: Step, r: StepResult): void {
    this.out.write(resultLine(step, r) + '\n');
  }
}

/** A live view for terminals. */
export class TtyProgress implements ProgressSink {
  private readonly inflight = new Map<string, { step: Step; t0: number }>();
  private drawn = 0;
  private total = 0;
  private finished = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly out: Out) {}

  begin(steps: Step[]): void {
    this.total = steps.length;
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
  }
  start(step: Step): void {
    this.inflight.set(step.id, { step, t0: performance.now() });
    this.draw();
  }
  end(step: Step, r: StepResult): void {
    this.inflight.delete(step.id);
    this.finished++;
    this.clear();
    this.out.write(resultLine(step, r) + '\n');
    this.draw();
  }
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }
  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }
  private draw(): void {
    this.clear();
    const lines = [`\x1b[1m${this.finished}/${this.total} done, ${this.inflight.size} in progress\x1b[0m`];
    const now = performance.now();
    const shown = [...this.inflight.values()].slice(0, 12);
    for (const { step, t0 } of shown) lines.push(`  \x1b[33m…\x1b[0m ${redactSecrets(step.label)}  ${fmtMs(now - t0)}`);
    if (this.inflight.size > shown.length) lines.push(`  … and ${this.inflight.size - shown.length} more`);
    this.out.write(lines.join('\n') + '\n');
    this.drawn = lines.length;
  }
}

export const silentProgress: ProgressSink = { start() {}, end() {} };
