/**
 * The apply, destroy and reap flows behind the CLI: load and compile the spec, read live state,
 * plan (or load an approved plan and refuse it when stale), ask for approval, execute, summarise.
 * The planner's pieces come in through PlanHooks so this module stays the executor's side.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Bundle } from '../compiler/types.js';
import type { FingerprintTarget, LiveState } from '../policy/live-types.js';
import { actionEndpoint, type AwsClients } from '../aws/clients.js';
import { InputError, RuntimeError } from '../diagnostics.js';
import type { Fingerprint, Plan } from '../plan/types.js';
import { reasonText } from '../plan/reasons.js';
import { CallGate } from './gate.js';
import { Journal, journalPath, type ApplyTarget } from './journal.js';
import { buildSteps } from './steps.js';
import { BundleIndex } from '../plan/bundle-index.js';
import { executeSteps, type ProgressSink } from './executor.js';
import { LineProgress, TtyProgress } from './progress.js';
import { buildSummary, formatSummaryText, type ApplySummary } from './summary.js';
import type { ApplyContext } from './context.js';
import { staleReasons } from '../plan/stale.js';
import { destroyPlan, formatDestroyText } from './destroy.js';
import { acquireLock } from './lock.js';
import { refuseUserDataSecrets, userDataSecrets } from '../compiler/user-data-secrets.js';
import type { LoadedSpec } from '../spec/types.js';

export interface Writer {
  write(s: string): unknown;
}

export interface RunIo {
  out: Writer;
  err: Writer;
  /** stdout is a terminal: live progress view. */
  outTty: boolean;
  /** ANSI colour (NO_COLOR, FORCE_COLOR, --color/--no-color); default: outTty. */
  color?: boolean;
  /** stdin is a terminal: we may ask for approval. */
  inTty: boolean;
  /** Ask a yes/no question on the terminal. */
  confirm(question: string): Promise<boolean>;
}

/** The planner's side, injected (src/apply/plan.ts, plan-file.ts, plan-format.ts, src/aws/live-state.ts). */
export interface PlanHooks {
  /** Load the spec (and every file it names, once) and compile it: the apply gates check what is launched. */
  loadAndCompile(specPath: string): Promise<{ loaded: LoadedSpec; bundle: Bundle }>;
  readLive(clients: AwsClients, bundle: Bundle): Promise<LiveState>;
  /** Re-read only the resources named by these fingerprint keys. */
  readResources(clients: AwsClients, targets: FingerprintTarget[], bundle: Bundle): Promise<LiveState>;
  /** The plan's fingerprints taken again from a fresh read, each the way the plan took it. */
  fingerprints(live: LiveState, planned: readonly Fingerprint[], prefix: string): Fingerprint[];
  makePlan(bundle: Bundle, live: LiveState, o: { prune: boolean; adopt: boolean }): Promise<Plan>;
  formatPlan(plan: Plan, color: boolean): string;
  readPlanFile(path: string): Plan;
}

export interface ApplyOptions {
  clients: AwsClients;
  hooks: PlanHooks;
  io: RunIo;
  autoApprove: boolean;
  prune: boolean;
  adopt: boolean;
  format: 'text' | 'json';
  pool: number;
  /** Where journals live (default .charter). */
  journalDir: string;
  profileWaitMs: number;
  signal: AbortSignal;
  now?: () => number;
  /**
   * The offline lint of the spec being applied (the CLI passes the linter's gate, src/linter/gate.ts;
   * apply does not import the linter). Absent: not checked.
   */
  lint?: (compiled: { loaded: LoadedSpec; bundle: Bundle }) => Promise<LintGate>;
  /** Apply even when lint reports errors (--allow-lint-errors). */
  allowLintErrors?: boolean;
  /** Launch user-data that holds a secret (--allow-secrets-in-user-data); otherwise refused, exit 2. */
  allowSecretsInUserData?: boolean;
  /** Told of every step as it starts and ends, beside the progress view (tests watch the order). */
  observe?: ProgressSink;
}

/** What apply needs from lint: the findings at error severity (after suppressions) and counts. */
export interface LintGate {
  errors: Array<{ rule: string; message: string; file: string; line: number; column: number; hint?: string }>;
  warnings: number;
  suppressed: number;
}

/**
 * Refuse a spec with lint errors (exit 2, one line per finding) unless --allow-lint-errors; a
 * suppression with a reason already removed its finding. Runs before any AWS call.
 */
async function checkLint(o: ApplyOptions, specPath: string, compiled: { loaded: LoadedSpec; bundle: Bundle }): Promise<void> {
  if (!o.lint) return;
  const g = await o.lint(compiled);
  if (!g.errors.length) return;
  const n = `${g.errors.length} lint error${g.errors.length === 1 ? '' : 's'}`;
  if (o.allowLintErrors) {
    o.io.err.write(`warning: applying despite ${n} (--allow-lint-errors); charter lint ${specPath} lists them\n`);
    return;
  }
  throw new InputError([
    ...g.errors.map((f) => ({ pos: { file: f.file, line: f.line, col: f.column }, message: `${f.message} [${f.rule}]`, ...(f.hint ? { hint: f.hint } : {}) })),
    { message: `apply refused: the spec has ${n}`, hint: 'fix them, suppress each with a reason (charter-ignore RULE: why), or pass --allow-lint-errors' },
  ]);
}

/** Refuse user-data holding a secret (exit 2, one line per secret) unless --allow-secrets-in-user-data. Before any AWS call. */
function checkUserDataSecrets(o: ApplyOptions, loaded: LoadedSpec, bundle: Bundle): void {
  if (o.allowSecretsInUserData) return;
  refuseUserDataSecrets(userDataSecrets(loaded, bundle.launches), 'apply');
}

export interface ApplyOutcome {
  exitCode: number;
  summary?: ApplySummary;
  plan?: Plan;
}

function isPlanFile(target: string, text: string | undefined): boolean {
  if (text === undefined) return target.endsWith('.json');
  if (/^\s*\{/.test(text) && text.includes('"planId"')) return true;
  // A .json target without a spec's `services` key is a (broken) plan: report it as one.
  return target.endsWith('.json') && !/["']?services["']?\s*:/.test(text);
}

/** `charter apply PLAN.json|SPEC` */
export async function runApply(target: string, o: ApplyOptions): Promise<ApplyOutcome> {
  const { readFileSync } = await import('node:fs');
  let head: string | undefined;
  try {
    head = readFileSync(target, 'utf8').slice(0, 4096);
  } catch {
    head = undefined;
  }
  if (isPlanFile(target, head)) return applyPlanFile(target, o);
  return applySpec(target, o);
}

async function applySpec(specPath: string, o: ApplyOptions): Promise<ApplyOutcome> {
  const { loaded, bundle } = await o.hooks.loadAndCompile(specPath);
  await checkLint(o, specPath, { loaded, bundle });
  checkUserDataSecrets(o, loaded, bundle);
  const live = await o.hooks.readLive(o.clients, bundle);
  const plan = await o.hooks.makePlan(bundle, live, { prune: o.prune, adopt: o.adopt });
  const planText = o.hooks.formatPlan(plan, o.format !== 'json' && (o.io.color ?? o.io.outTty));
  (o.format === 'json' ? o.io.err : o.io.out).write(planText.endsWith('\n') ? planText : planText + '\n');
  refuseConflicts(plan);
  if (!hasWork(plan)) return finish(o, plan, bundle, live, true);
  if (!(await approved(o, 'apply these changes'))) {
    o.io.err.write('Apply cancelled: nothing was changed.\n');
    return { exitCode: 1, plan };
  }
  return finish(o, plan, bundle, live, false);
}

async function applyPlanFile(path: string, o: ApplyOptions): Promise<ApplyOutcome> {
  const plan = o.hooks.readPlanFile(path);
  if (o.prune !== plan.options.prune || o.adopt !== plan.options.adopt) {
    o.io.err.write(`note: a saved plan applies with the options it was made with (prune ${plan.options.prune}, adopt ${plan.options.adopt}); --prune/--adopt are for planning\n`);
  }
  const specPath = resolveSpecPath(plan.specPath, path);
  let compiled: { loaded: LoadedSpec; bundle: Bundle };
  try {
    compiled = await o.hooks.loadAndCompile(specPath);
  } catch (e) {
    if (e instanceof RuntimeError) throw e;
    throw new RuntimeError(`stale plan: the spec ${plan.specPath} no longer loads (${(e as Error).message.split('\n')[0]}); re-plan`);
  }
  const { loaded, bundle } = compiled;
  await checkLint(o, specPath, compiled);
  checkUserDataSecrets(o, loaded, bundle);
  const fresh = await o.hooks.readResources(o.clients, plan.fingerprints.map((f) => f.target), bundle);
  // Staleness first, always against live state: a completed attempt left no journal, and only an
  // unfinished attempt on this same target excuses what it touched itself.
  const journal = new Journal(journalPath(o.journalDir, plan.planId, applyTarget(o, fresh, plan)), plan.planId, applyTarget(o, fresh, plan));
  const started = journal.startedAmong(plan.changes.map((c) => c.address));
  const reasons = staleReasons(plan, { specHash: bundle.specHash, bundle, fingerprints: o.hooks.fingerprints(fresh, plan.fingerprints, plan.prefix) }, started);
  if (reasons.length) {
    throw new RuntimeError(`stale plan refused: ${reasons.length} thing(s) moved since it was made:\n${reasons.map((r) => `  - ${r.message}`).join('\n')}\nRe-run charter plan and review the new plan.`);
  }
  refuseConflicts(plan);
  if (journal.resumed) (o.format === 'json' ? o.io.err : o.io.out).write(`Resuming plan ${plan.planId.slice(0, 12)} (attempt ${journal.attemptId.slice(0, 8)}, started ${journal.data.startedAt}): ${journal.data.done.length} step(s) already done by an earlier run.\n`);
  // The fresh read holds only fingerprinted resources; the executor re-reads anything else it touches.
  return finish(o, plan, bundle, fresh, !hasWork(plan));
}

/** The plan's spec path as given at plan time: relative to the working directory, else to the plan file. */
function resolveSpecPath(specPath: string, planPath: string): string {
  const fromCwd = resolve(specPath);
  if (isAbsolute(specPath) || existsSync(fromCwd)) return fromCwd;
  const fromPlan = resolve(dirname(planPath), specPath);
  return existsSync(fromPlan) ? fromPlan : fromCwd;
}

function hasWork(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== 'no-op' && !(c.orphan && c.action !== 'delete'));
}

function refuseConflicts(plan: Plan): void {
  const conflicts = plan.changes.filter((c) => c.conflict && !c.adopt);
  if (conflicts.length) {
    throw new RuntimeError(
      `refusing to apply: ${conflicts.length} resource(s) with the names this spec needs exist and are not managed by charter for this spec:\n${conflicts.map((c) => `  - ${c.kind} ${c.name}: ${reasonText(c.reason)}`).join('\n')}\nThey are never modified without --adopt (which tags them as this spec's). Rename the service or re-plan with --adopt.`,
    );
  }
}

async function approved(o: ApplyOptions, what: string): Promise<boolean> {
  if (o.autoApprove) return true;
  if (!o.io.inTty) {
    const saved = what.startsWith('destroy') ? '' : ', or save it with `charter plan --out plan.json` and run `charter apply plan.json`';
    throw new RuntimeError(`refusing to ${what} without approval: stdin is not a terminal. Review the plan above and pass --auto-approve${saved}.`);
  }
  return o.io.confirm(`Do you want to ${what}? Only "yes" is accepted: `);
}

async function finish(o: ApplyOptions, plan: Plan, bundle: Bundle, live: LiveState, noChanges: boolean): Promise<ApplyOutcome> {
  const summary = await executePlan(o, plan, bundle, live, { journal: true, noChanges });
  printSummary(o, summary);
  return { exitCode: exitCodeOf(summary), summary, plan };
}

export function exitCodeOf(s: ApplySummary): number {
  if (s.status === 'interrupted') return 130;
  if (s.status === 'failed') return 1;
  return 0;
}

function printSummary(o: ApplyOptions, s: ApplySummary): void {
  if (o.format === 'json') o.io.out.write(JSON.stringify(s, null, 2) + '\n');
  else o.io.out.write(formatSummaryText(s));
}

/** Execute a plan's changes: the executor with journal, pool, progress and interrupt handling. */
export async function executePlan(
  o: ApplyOptions,
  plan: Plan,
  bundle: Bundle,
  live: LiveState,
  x: { journal: boolean; noChanges?: boolean; operation?: 'apply' | 'destroy' },
): Promise<ApplySummary> {
  const t0 = performance.now();
  const lock = x.noChanges ? undefined : acquireLock(o.journalDir, `${x.operation ?? 'apply'} ${bundle.specName}`);
  try {
    return await executeLocked(o, plan, bundle, live, x, t0);
  } finally {
    lock?.release();
  }
}

async function executeLocked(
  o: ApplyOptions,
  plan: Plan,
  bundle: Bundle,
  live: LiveState,
  x: { journal: boolean; noChanges?: boolean; operation?: 'apply' | 'destroy' },
  t0: number,
): Promise<ApplySummary> {
  const target = applyTarget(o, live, plan);
  const journal = new Journal(x.journal ? journalPath(o.journalDir, plan.planId, target) : undefined, plan.planId, target, o.now ? { now: o.now } : {});
  const gate = new CallGate(o.pool);
  const onAbort = () => gate.stop();
  o.signal.addEventListener('abort', onAbort, { once: true });
  const ctx: ApplyContext = {
    iam: await o.clients.iam(),
    ec2: await o.clients.ec2(),
    gate,
    signal: o.signal,
    plan,
    bundle,
    live,
    journal,
    now: o.now ?? Date.now,
    profileWaitMs: o.profileWaitMs,
    writes: {},
    notes: [],
    retryRounds: 6,
    ...(o.clients.options.retryDelay ? { retryDelay: o.clients.options.retryDelay } : {}),
    endpointOf: (action) => actionEndpoint(o.clients.options, action),
  };
  const steps = x.noChanges ? [] : buildSteps(plan.changes, new BundleIndex(bundle));
  const progressOut = o.format === 'json' ? o.io.err : o.io.out;
  const sink: ProgressSink = o.format !== 'json' && o.io.outTty ? new TtyProgress(progressOut, { color: o.io.color ?? true, signal: o.signal }) : new LineProgress(progressOut);
  const results = steps.length ? await executeSteps(ctx, steps, o.observe ? both(sink, o.observe) : sink) : new Map();
  o.signal.removeEventListener('abort', onAbort);
  const summary = buildSummary({ operation: x.operation ?? 'apply', planId: plan.planId, bundle, live, steps, results, writes: ctx.writes, durationMs: performance.now() - t0, interrupted: o.signal.aborted });
  if (summary.status === 'complete' || summary.status === 'no-changes') {
    if (x.journal && steps.length) journal.markComplete();
  }
  return summary;
}

/** One sink telling two. */
function both(a: ProgressSink, b: ProgressSink): ProgressSink {
  return {
    begin: (steps) => (a.begin?.(steps), b.begin?.(steps)),
    start: (step) => (a.start(step), b.start(step)),
    end: (step, r) => (a.end(step, r), b.end(step, r)),
    finish: () => (a.finish?.(), b.finish?.()),
  };
}

/**
 * The target of an apply: the account (as read live, else the plan's), the region and the
 * endpoint's identity (AwsOptions.endpointIdentity, else the endpoint URL, else a profile's
 * per-service endpoints, else "aws").
 */
export function applyTarget(o: Pick<ApplyOptions, 'clients'>, live: Pick<LiveState, 'account'>, plan: Pick<Plan, 'account' | 'region'>): ApplyTarget {
  const c = o.clients.options;
  const perService = c.endpoints && Object.keys(c.endpoints).length ? JSON.stringify(Object.entries(c.endpoints).sort()) : undefined;
  return { account: live.account || plan.account, region: c.region || plan.region, endpoint: c.endpointIdentity ?? c.endpoint ?? perService ?? 'aws' };
}

/** `charter destroy SPEC` */
export async function runDestroy(specPath: string, o: ApplyOptions): Promise<ApplyOutcome> {
  const { bundle } = await o.hooks.loadAndCompile(specPath);
  const live = await o.hooks.readLive(o.clients, bundle);
  const plan = destroyPlan(bundle, live);
  (o.format === 'json' ? o.io.err : o.io.out).write(formatDestroyText(plan));
  if (!plan.changes.length) {
    const summary = await executePlan(o, plan, bundle, live, { journal: false, noChanges: true, operation: 'destroy' });
    printSummary(o, summary);
    return { exitCode: 0, summary, plan };
  }
  if (!(await approved(o, `destroy ${plan.changes.length} resource(s) of ${bundle.specName}`))) {
    o.io.err.write('Destroy cancelled: nothing was changed.\n');
    return { exitCode: 1, plan };
  }
  const summary = await executePlan(o, plan, bundle, live, { journal: false, operation: 'destroy' });
  printSummary(o, summary);
  return { exitCode: exitCodeOf(summary), summary, plan };
}
