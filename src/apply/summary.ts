/**
 * The final summary of an apply: what was created, updated, deleted and launched (with instance
 * ids, expiry and role ARNs), what failed, what was not done (interrupt), and the write calls.
 */
import type { Bundle } from '../compiler/types.js';
import type { LiveState } from '../policy/live-types.js';
import type { Step } from './steps.js';
import type { StepResult } from './executor.js';
import { fmtMs } from './progress.js';

export interface SummaryEntry {
  address: string;
  kind: string;
  name: string;
  /** For inline policies and attachments: the role they are on. */
  role?: string;
  arn?: string;
  /** Already as wanted (an earlier, interrupted run did it): nothing written. */
  reused?: boolean;
}

export interface LaunchedEntry {
  group: string;
  index: number;
  instanceId: string;
  expiresAt?: string;
  clientToken: string;
  reused?: boolean;
}

export interface ApplySummary {
  /** "apply" or "destroy". */
  operation: 'apply' | 'destroy';
  planId: string;
  specName: string;
  status: 'complete' | 'failed' | 'interrupted' | 'no-changes';
  created: SummaryEntry[];
  updated: SummaryEntry[];
  deleted: SummaryEntry[];
  launched: LaunchedEntry[];
  terminated: string[];
  /** Instances whose ttl/idle-timeout/expires-at tags were updated in place. */
  retagged: string[];
  roles: Array<{ service: string; name: string; arn: string }>;
  /** operation, endpoint and code: the AWS call that failed (absent for a step's own check). */
  failed: Array<{ step: string; error: string; operation?: string; endpoint?: string; code?: string }>;
  notDone: string[];
  writeCalls: number;
  writes: Record<string, number>;
  durationMs: number;
}

export function roleArn(partition: string, account: string, path: string, name: string): string {
  return `arn:${partition}:iam::${account}:role${path || '/'}${name}`;
}

export function buildSummary(
  o: { operation?: 'apply' | 'destroy'; planId: string; bundle: Bundle; live: LiveState; steps: Step[]; results: Map<string, StepResult>; writes: Record<string, number>; durationMs: number; interrupted: boolean },
): ApplySummary {
  const s: ApplySummary = {
    operation: o.operation ?? 'apply',
    planId: o.planId,
    specName: o.bundle.specName,
    status: 'complete',
    created: [],
    updated: [],
    deleted: [],
    launched: [],
    terminated: [],
    retagged: [],
    roles: o.operation === 'destroy' ? [] : o.bundle.roles.map((r) => ({ service: r.service, name: r.name, arn: o.live.roles.find((l) => l.name === r.name)?.arn ?? roleArn(o.live.partition || o.bundle.partition, o.live.account, r.path, r.name) })),
    failed: [],
    notDone: [],
    writeCalls: Object.values(o.writes).reduce((a, b) => a + b, 0),
    writes: Object.fromEntries(Object.entries(o.writes).sort()),
    durationMs: Math.round(o.durationMs),
  };
  for (const step of o.steps) {
    const r = o.results.get(step.id);
    const c = step.change;
    if (!r || r.status === 'not-done') {
      s.notDone.push(step.id);
      continue;
    }
    if (r.status !== 'done') {
      s.failed.push({ step: step.id, error: r.error ?? r.status, ...r.call });
      continue;
    }
    const out = r.outcome ?? {};
    if (c.kind === 'instances' && step.index !== undefined) {
      s.launched.push({ group: c.name, index: step.index, instanceId: out.instanceId ?? '', ...(out.expiresAt ? { expiresAt: out.expiresAt } : {}), clientToken: out.token ?? '', ...(out.reused ? { reused: true } : {}) });
      continue;
    }
    if (c.kind === 'instances' && out.retagged) {
      s.retagged.push(...out.retagged);
      continue;
    }
    if (c.kind === 'instances') {
      s.terminated.push(...(out.terminated ?? []));
      continue;
    }
    const role = c.target.roleName;
    const entry: SummaryEntry = { address: c.address, kind: c.kind, name: c.name, ...(role && (c.kind === 'inline-policy' || c.kind === 'policy-attachment') ? { role } : {}), ...(out.arn ? { arn: out.arn } : {}), ...(out.reused ? { reused: true } : {}) };
    if (c.action === 'create' || c.action === 'replace') s.created.push(entry);
    else if (c.action === 'delete') s.deleted.push(entry);
    else s.updated.push(entry);
    if (c.kind === 'role' && out.arn) {
      const role = s.roles.find((x) => x.name === c.name);
      if (role) role.arn = out.arn;
    }
  }
  // Only what exists after the apply: a role whose create (or replace) did not finish has no ARN.
  const missing = new Set(o.steps.filter((st) => st.change.kind === 'role' && (st.change.action === 'create' || st.change.action === 'replace') && o.results.get(st.id)?.status !== 'done').map((st) => st.change.name));
  s.roles = s.roles.filter((r) => !missing.has(r.name));
  if (o.interrupted || s.notDone.length) s.status = 'interrupted';
  if (s.failed.length) s.status = 'failed';
  if (!o.steps.length) s.status = 'no-changes';
  return s;
}

export function formatSummaryText(s: ApplySummary): string {
  const L: string[] = [];
  const op = s.operation === 'destroy' ? 'Destroy' : 'Apply';
  const head: Record<ApplySummary['status'], string> = {
    complete: `${op} complete`,
    'no-changes': s.operation === 'destroy' ? 'Nothing to destroy' : 'No changes: live AWS already matches the spec',
    failed: `${op} FAILED`,
    interrupted: `${op} INTERRUPTED`,
  };
  L.push(`${head[s.status]}: ${s.created.length} created, ${s.updated.length} updated, ${s.deleted.length} deleted, ${s.launched.length} launched, ${s.terminated.length} terminated  (${s.writeCalls} write calls, ${fmtMs(s.durationMs)})`);
  const list = (title: string, es: SummaryEntry[]) => {
    if (!es.length) return;
    L.push(`${title}:`);
    for (const e of es) L.push(`  ${e.kind} ${e.name}${e.role ? ` on ${e.role}` : ''}${e.arn && e.kind !== 'policy-attachment' ? `  ${e.arn}` : ''}${e.reused ? '  (already there)' : ''}`);
  };
  list('Created', s.created);
  list('Updated', s.updated);
  list('Deleted', s.deleted);
  if (s.launched.length) {
    L.push('Launched:');
    for (const l of s.launched) L.push(`  ${l.group}[${l.index}]  ${l.instanceId}${l.expiresAt ? `  expires ${l.expiresAt}` : ''}${l.reused ? '  (already running)' : ''}`);
  }
  if (s.terminated.length) L.push(`Terminated: ${s.terminated.join(' ')}`);
  if (s.retagged.length) L.push(`Lifetime tags updated in place: ${s.retagged.join(' ')}`);
  if (s.roles.length) {
    L.push('Roles:');
    for (const r of s.roles) L.push(`  ${r.service}  ${r.arn}`);
  }
  if (s.failed.length) {
    L.push('Failed:');
    for (const f of s.failed) L.push(`  ${f.step}: ${f.error}`);
  }
  if (s.notDone.length) {
    L.push(`Not done (${s.notDone.length}): ${s.notDone.join(', ')}`);
    L.push('Run the same command again to finish: every step is idempotent.');
  }
  // Printed through the output boundary (src/cli/output.ts), which redacts it.
  return L.join('\n') + '\n';
}
