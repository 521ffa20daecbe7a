/**
 * The apply journal: .charter/apply-<planId>.json, written atomically (temp file + rename) before
 * each launch and after each finished step. It lets a re-run of the same plan (after Ctrl-C, a
 * crash or kill -9) send byte-identical RunInstances parameters (same ClientToken, same expires-at),
 * so EC2 answers with the instance it already launched instead of a duplicate, and it tells the
 * stale-plan check which resources this plan itself already touched.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface JournalLaunch {
  group: string;
  index: number;
  /** Wall-clock launch time chosen for this token (ms since epoch). */
  launchMs: number;
  expiresAt?: string;
  /** Root device name read from the image (ec2:DescribeImages) and sent for this token. */
  rootDeviceName?: string;
  instanceId?: string;
}

export interface JournalData {
  planId: string;
  /** Change addresses whose step was started (possibly in flight when the process died). */
  started: string[];
  /** Change addresses whose step completed. */
  done: string[];
  /** Client token → launch parameters chosen for it. */
  launches: Record<string, JournalLaunch>;
  /** Set when every step of the plan finished. */
  complete?: boolean;
}

export function journalPath(dir: string, planId: string): string {
  return join(dir, `apply-${planId.slice(0, 32)}.json`);
}

export class Journal {
  readonly data: JournalData;
  private readonly started = new Set<string>();
  private readonly done = new Set<string>();

  constructor(readonly file: string | undefined, planId: string) {
    let d: JournalData | undefined;
    if (file) {
      try {
        const raw = JSON.parse(readFileSync(file, 'utf8')) as JournalData;
        if (raw && raw.planId === planId) d = raw;
      } catch {
        d = undefined;
      }
    }
    this.data = d ?? { planId, started: [], done: [], launches: {} };
    for (const a of this.data.started) this.started.add(a);
    for (const a of this.data.done) this.done.add(a);
  }

  /** True when an earlier run of this plan left a journal behind. */
  get resumed(): boolean {
    return this.started.size > 0 || Object.keys(this.data.launches).length > 0;
  }

  wasStarted(address: string): boolean {
    return this.started.has(address);
  }

  wasDone(address: string): boolean {
    return this.done.has(address);
  }

  markStarted(address: string): void {
    if (this.started.has(address)) return;
    this.started.add(address);
    this.data.started = [...this.started];
    this.save();
  }

  markDone(address: string): void {
    if (this.done.has(address)) return;
    this.done.add(address);
    this.data.done = [...this.done];
    this.save();
  }

  launch(token: string): JournalLaunch | undefined {
    return this.data.launches[token];
  }

  /** Record (and persist, before the call goes out) the parameters chosen for a token. */
  recordLaunch(token: string, l: JournalLaunch): void {
    this.data.launches[token] = l;
    this.save();
  }

  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n');
    renameSync(tmp, this.file);
  }

  get complete(): boolean {
    return this.data.complete === true;
  }

  markComplete(): void {
    this.data.complete = true;
    this.save();
  }

  /** Remove the journal. */
  remove(): void {
    if (this.file) rmSync(this.file, { force: true });
  }
}
