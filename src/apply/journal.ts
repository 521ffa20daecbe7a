/**
 * The apply journal of one apply attempt: .charter/apply-<planId>-<target>.json, written atomically
 * (temp file + rename) before each launch and after each finished step.
 *
 * An attempt is one plan applied to one target (account, region, endpoint). Its id is made at its
 * first try and kept in the journal until the attempt completes; then the journal is removed, so a
 * later apply of the same plan (after a destroy, say) is a new attempt with new client tokens, and
 * the same plan against another endpoint never shares a journal. A re-run after Ctrl-C, a crash or
 * kill -9 resumes the attempt: same ClientTokens (EC2 answers with the instance it already launched
 * instead of a duplicate), and the stale-plan check is told which resources this attempt touched.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../policy/canonical.js';
import { redactSecrets } from '../secrets.js';

/**
 * The file holds no raw secret: it is written through redactSecrets, and an address, a client
 * token or a target that carries a name looking like a secret (a group `AKIA…`, an endpoint URL with
 * a password) is kept, looked up and compared in its redacted form, so a resumed run (which reads
 * the redacted file) finds what the first run recorded. Redaction is deterministic and idempotent.
 */
const key = (s: string) => redactSecrets(s);
const keyTarget = (t: ApplyTarget): ApplyTarget => ({ account: key(t.account), region: key(t.region), endpoint: key(t.endpoint) });

/** Where an apply goes: the account, the region, and the endpoint's identity ("aws" for AWS itself). */
export interface ApplyTarget {
  account: string;
  region: string;
  endpoint: string;
}

export function targetKey(t: ApplyTarget): string {
  return sha256Hex(`${t.account}\0${t.region}\0${t.endpoint}`).slice(0, 16);
}

const sameTarget = (a: ApplyTarget | undefined, b: ApplyTarget) => !!a && a.account === b.account && a.region === b.region && a.endpoint === b.endpoint;

export interface JournalLaunch {
  group: string;
  index: number;
  /** Launch time chosen for this token (ms since epoch), by the clock of the run that launches it. */
  launchMs: number;
  expiresAt?: string;
  /** Root device name read from the image (ec2:DescribeImages) and sent for this token. */
  rootDeviceName?: string;
  instanceId?: string;
}

export interface JournalData {
  planId: string;
  target: ApplyTarget;
  /** This attempt's id: made at its first try, kept until it completes. */
  attemptId: string;
  /** When the attempt's first try started (ISO 8601; for people reading the file). */
  startedAt: string;
  /** Change addresses whose step was started (possibly in flight when the process died). */
  started: string[];
  /** Change addresses whose step completed. */
  done: string[];
  /** Client token → launch parameters chosen for it. */
  launches: Record<string, JournalLaunch>;
}

export function journalPath(dir: string, planId: string, target: ApplyTarget): string {
  return join(dir, `apply-${planId.slice(0, 32)}-${targetKey(target).slice(0, 12)}.json`);
}

export class Journal {
  readonly data: JournalData;
  private readonly started = new Set<string>();
  private readonly done = new Set<string>();

  constructor(readonly file: string | undefined, planId: string, readonly target: ApplyTarget, o: { newAttemptId?: () => string; now?: () => number } = {}) {
    let d: JournalData | undefined;
    if (file) {
      try {
        const raw = JSON.parse(readFileSync(file, 'utf8')) as JournalData;
        if (raw && raw.planId === planId && sameTarget(raw.target, keyTarget(target)) && typeof raw.attemptId === 'string' && raw.attemptId) d = raw;
      } catch {
        d = undefined;
      }
    }
    this.data = d ?? {
      planId,
      target: keyTarget(target),
      attemptId: (o.newAttemptId ?? randomUUID)(),
      startedAt: new Date((o.now ?? Date.now)()).toISOString(),
      started: [],
      done: [],
      launches: {},
    };
    for (const a of this.data.started) this.started.add(a);
    for (const a of this.data.done) this.done.add(a);
  }

  get attemptId(): string {
    return this.data.attemptId;
  }

  /** What client tokens derive from, with the group and index: plan id, target, attempt. */
  get tokenSeed(): string {
    return `${this.data.planId}\0${targetKey(this.target)}\0${this.data.attemptId}`;
  }

  /** True when an earlier run of this plan left a journal behind. */
  get resumed(): boolean {
    return this.started.size > 0 || Object.keys(this.data.launches).length > 0;
  }

  wasStarted(address: string): boolean {
    return this.started.has(key(address));
  }

  wasDone(address: string): boolean {
    return this.done.has(key(address));
  }

  /** Those of `addresses` whose step (or one of its parts, `address[…]`) an earlier run started. */
  startedAmong(addresses: Iterable<string>): Set<string> {
    const parents = new Set<string>();
    for (const s of this.started) for (let i = s.indexOf('['); i > 0; i = s.indexOf('[', i + 1)) parents.add(s.slice(0, i));
    const out = new Set<string>();
    for (const a of addresses) if (this.started.has(key(a)) || parents.has(key(a))) out.add(a);
    return out;
  }

  markStarted(address: string): void {
    if (this.started.has(key(address))) return;
    this.started.add(key(address));
    this.data.started = [...this.started];
    this.save();
  }

  markDone(address: string): void {
    if (this.done.has(key(address))) return;
    this.done.add(key(address));
    this.data.done = [...this.done];
    this.save();
  }

  launch(token: string): JournalLaunch | undefined {
    return this.data.launches[key(token)];
  }

  /** Record (and persist, before the call goes out) the parameters chosen for a token. */
  recordLaunch(token: string, l: JournalLaunch): void {
    this.data.launches[key(token)] = { ...l, group: key(l.group) };
    this.save();
  }

  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, redactSecrets(JSON.stringify(this.data, null, 2)) + '\n');
    renameSync(tmp, this.file);
  }

  /** The attempt completed: its journal goes, and the next apply is a new attempt. */
  markComplete(): void {
    this.remove();
  }

  /** Remove the journal. */
  remove(): void {
    if (this.file) rmSync(this.file, { force: true });
  }
}
