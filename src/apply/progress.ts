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
  /** The terminal's width, when it is one (process.stdout.columns). */
  columns?: number;
}

export interface TtyOptions {
  /** ANSI colour and bold (off with NO_COLOR / --no-color; the live view stays). */
  color?: boolean;
  /** Stop redrawing into the frame above when this aborts: the interrupt message written below it stays. */
  signal?: AbortSignal;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Cut a line to `width` visible characters (code points; ANSI sequences count nothing), ending in "…", so it never wraps. */
export function fitLine(line: string, width: number): string {
  if (width <= 0 || [...stripAnsi(line)].length <= width) return line;
  let out = '';
  let visible = 0;
  for (let i = 0; i < line.length && visible < width - 1; ) {
    ANSI.lastIndex = i;
    const m = ANSI.exec(line);
    if (m && m.index === i) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    out += ch;
    visible++;
    i += ch.length;
  }
  return out + '…' + (out.includes('\x1b[') ? '\x1b[0m' : '');
}

export const stripAnsi = (s: string) => s.replace(ANSI, '');

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
  private readonly color: boolean;
  constructor(private readonly out: Out, o: TtyOptions = {}) {
    this.color = o.color ?? true;
    // An interrupt message is written below the live frame: forget the frame (it stays in
    // scrollback above) rather than move the cursor up over the message.
    o.signal?.addEventListener('abort', () => (this.drawn = 0), { once: true });
  }
  private paint(code: number, s: string): string {
    return this.color ? `\x1b[${code}m${s}\x1b[0m` : s;
  }

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
    // Finished lines scroll away above the frame and are never redrawn: they may wrap.
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
    const lines = [this.paint(1, `${this.finished}/${this.total} done, ${this.inflight.size} in progress`)];
    const now = performance.now();
    const shown = [...this.inflight.values()].slice(0, 12);
    for (const { step, t0 } of shown) lines.push(`  ${this.paint(33, '…')} ${redactSecrets(step.label)}  ${fmtMs(now - t0)}`);
    if (this.inflight.size > shown.length) lines.push(`  … and ${this.inflight.size - shown.length} more`);
    // Measured at every frame (the terminal may be resized); one column spare so the cursor never
    // wraps: a wrapped line would be two rows and the cursor-up count would leave stale frames.
    const width = (this.out.columns ?? 0) - 1;
    this.out.write(lines.map((l) => fitLine(l, width)).join('\n') + '\n');
    this.drawn = lines.length;
  }
}

export const silentProgress: ProgressSink = { start() {}, end() {} };
