/**
 * Plan renderers: text (terminal; colour only when asked, i.e. on a TTY), markdown (a PR comment:
 * summary table, IAM statement-change table like `cdk diff`'s with broadening marked, collapsible
 * per-resource diffs, kept under GitHub's 65,536-character comment limit) and json
 * (schemas/plan.schema.json). The plan holds no secret (plan.ts redacts each change) and what is
 * printed is redacted at the output boundary (src/cli/output.ts); the markdown is redacted before it
 * is measured against the comment limit (a marker is longer or shorter than what it replaces).
 */
import { asList } from '../policy/canonical.js';
import type { PolicyStatement } from '../policy/types.js';
import { redactSecrets } from '../secrets.js';
import { planToJson } from './plan-file.js';
import type { BroadeningDetail, Change, InstanceRow, InstancesChange, LaunchView, Plan, StatementRow } from './types.js';
import { reasonText } from './reasons.js';

export type PlanFormat = 'text' | 'markdown' | 'json';

/** Rows of the IAM statement table at most (the rest are counted). */
export const MAX_STATEMENT_ROWS = 150;

/** GitHub's limit on a PR comment. */
export const MARKDOWN_LIMIT = 65_536;

const SYMBOL: Record<Change['action'], string> = { create: '+', update: '~', replace: '-/+', delete: '-', 'no-op': ' ' };

interface Palette {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
  cyan(s: string): string;
}

const esc = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const COLOR: Palette = { green: esc('32'), yellow: esc('33'), red: esc('31'), bold: esc('1'), dim: esc('2'), cyan: esc('36') };
const PLAIN: Palette = { green: (s) => s, yellow: (s) => s, red: (s) => s, bold: (s) => s, dim: (s) => s, cyan: (s) => s };

function actionColor(p: Palette, c: Change): (s: string) => string {
  if (c.conflict && !c.adopt) return p.red;
  switch (c.action) {
    case 'create':
      return p.green;
    case 'update':
      return p.yellow;
    case 'replace':
    case 'delete':
      return p.red;
    default:
      return p.dim;
  }
}

function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const parts = [`${s.create} to create`, `${s.update} to update`, `${s.replace} to replace`, `${s.delete} to delete`, `${s.noop} unchanged`];
  if (s.orphans) parts.push(`${s.orphans} orphan${s.orphans === 1 ? '' : 's'}`);
  if (s.conflicts) parts.push(`${s.conflicts} conflict${s.conflicts === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function flags(c: Change): string[] {
  const f: string[] = [];
  if (c.conflict && !c.adopt) f.push('CONFLICT');
  if (c.adopt) f.push('adopt');
  if (c.drift) f.push('drift');
  if (c.orphan) f.push('orphan');
  if (c.kind === 'instances' && c.launch?.relaunch) f.push('relaunch');
  if (c.broadening && c.broadening !== 'neutral') f.push(c.broadening);
  return f;
}

/** Changes worth showing: every non-no-op, plus conflicts, orphans and launch groups whose running instances the plan touches. */
export function visibleChanges(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.action !== 'no-op' || c.conflict || c.orphan || (c.kind === 'instances' && c.instances?.some((r) => r.fate !== 'keep')));
}

/** One line on what a launch group launches: every field of the plan's LaunchView. */
export function launchConfigLine(v: LaunchView): string {
  const spot = v.spot === false ? 'on-demand' : `spot${v.spot.maxPrice !== undefined ? ` max ${v.spot.maxPrice}` : ''}`;
  const net = [v.subnet ? `subnet ${v.subnet}` : 'default subnet', ...(v.securityGroups.length ? [`sg ${v.securityGroups.join(',')}`] : []), ...(v.publicIp ? ['public IP'] : [])].join(' ');
  const imds = `IMDSv2 hop ${v.imds.hopLimit}${v.imds.instanceMetadataTags ? ', tags in metadata' : ''}`;
  const r = v.rootVolume;
  const root = `root ${r.deviceNameFromImage ? "image's root device" : r.deviceName} ${r.encrypted ? `encrypted${r.kmsKey ? ` (${r.kmsKey})` : ''}` : 'UNENCRYPTED'}${r.sizeGiB !== undefined ? ` ${r.sizeGiB} GiB` : ''}${r.type ? ` ${r.type}` : ''}`;
  const life = [v.ttl !== undefined ? `ttl ${v.ttl} (expires-at = ${v.expiresAtRule})` : 'no ttl', ...(v.idleTimeout !== undefined ? [`idle ${v.idleTimeout}`] : [])].join(', ');
  const ud = `user-data ${v.userData.bytes.toLocaleString('en-US')} bytes sha256 ${v.userData.sha256.slice(0, 12)}`;
  return `${v.count} × ${v.instanceType} ${v.image}, ${spot}, ${net}, ${imds}, ${root}, ${life}, ${ud}, profile ${v.instanceProfile}, onChange ${v.onChange}`;
}

function fateText(r: InstanceRow): string {
  return r.fate === 'terminate' ? `terminate (${r.why === 'replaced' ? 'older launch configuration' : 'beyond count'})` : r.fate === 'retag' ? 'tags updated in place' : 'keep';
}

/** An instance's expires-at: "old → new" when the plan changes it. */
function expiresText(r: InstanceRow): string {
  const e = r.expiresAt;
  if (!e) return '';
  return r.fate === 'retag' && e.before !== e.after ? `${e.before ?? '(none)'} → ${e.after ?? '(none)'}` : (e.before ?? e.after ?? '');
}

/** One line per running instance: what the plan does to it. */
export function instanceRowText(r: InstanceRow): string {
  const exp = expiresText(r);
  const tags = r.tags ? `  ${[...Object.entries(r.tags.set).map(([k, v]) => `${k}=${v}`), ...r.tags.remove.map((k) => `-${k}`)].join(' ')}` : '';
  return `${r.instanceId}  ${r.state}  ${r.config}  ${fateText(r)}${exp ? `  expires-at ${exp}` : ''}${r.fate === 'retag' ? tags : ''}`;
}

export interface TextOptions {
  color?: boolean;
  /** Show diffs (default true). */
  diffs?: boolean;
}

export function renderText(plan: Plan, o: TextOptions = {}): string {
  const p = o.color ? COLOR : PLAIN;
  const lines: string[] = [];
  lines.push(p.bold(`charter plan: ${plan.specName}`) + p.dim(`  (spec ${plan.specPath}, account ${plan.account || '?'}, ${plan.region}${plan.read ? `, read ${plan.read.mode} in ${plan.read.calls} calls` : ''})`));
  for (const n of plan.notes ?? []) lines.push(p.dim(`note: ${n}`));
  const shown = visibleChanges(plan);
  if (shown.length === 0) lines.push('', 'No changes: live AWS matches the spec.');
  for (const c of shown) {
    const col = actionColor(p, c);
    const f = flags(c);
    const name = c.previousName && c.previousName !== c.name ? `${c.previousName} → ${c.name}` : c.name;
    lines.push('');
    lines.push(`${col(`${SYMBOL[c.action].padEnd(3)} ${c.action.padEnd(7)}`)} ${p.bold(c.address)}  ${name}${f.length ? '  ' + f.map((x) => (x === 'broadening' || x === 'mixed' || x === 'CONFLICT' ? p.red(`[${x}]`) : p.cyan(`[${x}]`))).join(' ') : ''}`);
    lines.push(`      ${reasonText(c.reason)}`);
    for (const d of detailLines(c)) lines.push(`      ${d.direction === 'widens' ? p.red(d.line) : d.direction === 'narrows' ? p.green(d.line) : d.line}`);
    if (c.kind === 'instances') {
      if (c.config && c.launch?.indexes.length) lines.push(`      launches ${launchConfigLine(c.config)}`);
      if (c.launch && c.action !== 'no-op') lines.push(`      indexes ${c.launch.indexes.join(', ') || '-'} (${c.launch.running} running, ${c.launch.desired} wanted)`);
      for (const r of c.instances ?? []) lines.push(`      ${instanceRowText(r)}`);
      if (c.terminate?.length) lines.push(`      terminate ${c.terminate.join(', ')}`);
    }
    if (c.diff && o.diffs !== false) {
      for (const l of c.diff.split('\n')) {
        if (!l) continue;
        const styled = l.startsWith('+') && !l.startsWith('+++') ? p.green(l) : l.startsWith('-') && !l.startsWith('---') ? p.red(l) : l.startsWith('@@') ? p.cyan(l) : p.dim(l);
        lines.push(`      ${styled}`);
      }
    }
  }
  lines.push('');
  lines.push(p.bold(`Plan: ${summaryLine(plan)}.`));
  if (plan.summary.broadening) lines.push(p.red(`${plan.summary.broadening} change${plan.summary.broadening === 1 ? '' : 's'} broaden${plan.summary.broadening === 1 ? 's' : ''} access.`));
  if (plan.summary.conflicts) lines.push(p.red(`The plan stops: ${plan.summary.conflicts} resource${plan.summary.conflicts === 1 ? '' : 's'} with the spec's names exist and are not charter's (--adopt takes them over).`));
  const lint = lintLine(plan);
  if (lint) lines.push(plan.lint!.errors ? p.red(lint) : p.dim(lint));
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------------
// Markdown

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function code(s: string): string {
  return s ? '`' + s.replace(/`/g, "'") + '`' : '';
}

function principalText(s: PolicyStatement): string {
  const p = s.Principal ?? s.NotPrincipal;
  if (p === undefined) return '';
  const not = s.NotPrincipal !== undefined ? 'NOT ' : '';
  if (p === '*') return not + '*';
  return not + Object.entries(p).flatMap(([k, v]) => asList(v).map((x) => `${k}:${x}`)).join(', ');
}

/** A statement row with the address of its change (for the table). */
interface AddressedRow extends StatementRow {
  address: string;
}

function statementRow(r: AddressedRow): string {
  const s = r.statement;
  const res = s.NotResource !== undefined ? `NOT ${asList(s.NotResource).join(', ')}` : asList(s.Resource).join(', ');
  const act = s.NotAction !== undefined ? `NOT ${asList(s.NotAction).join(', ')}` : asList(s.Action).join(', ');
  const cond = s.Condition ? JSON.stringify(s.Condition) : '';
  const mark = r.widens ? '⚠️ ' : '';
  return `| ${mark}${r.sign === '+' ? '➕' : '➖'} | ${mdCell(r.address)} | ${mdCell(res)} | ${s.Effect} | ${mdCell(act)} | ${mdCell(principalText(s))} | ${mdCell(cond)} |`;
}

const BROADENING_MARK: Record<string, string> = { broadening: '⚠️ broadening', narrowing: 'narrowing', neutral: 'neutral', mixed: '⚠️ mixed' };

export function renderMarkdown(plan: Plan, limit = MARKDOWN_LIMIT): string {
  const head: string[] = [];
  const s = plan.summary;
  head.push(`### charter plan: \`${plan.specName}\``);
  head.push('');
  head.push(`Spec \`${plan.specPath}\` · account \`${plan.account || '?'}\` · ${plan.region} · plan \`${plan.planId.slice(0, 12)}\``);
  head.push('');
  head.push('| create | update | replace | delete | unchanged | orphans | conflicts | broadening |');
  head.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  head.push(`| ${s.create} | ${s.update} | ${s.replace} | ${s.delete} | ${s.noop} | ${s.orphans} | ${s.conflicts} | ${s.broadening ? `⚠️ ${s.broadening}` : 0} |`);
  head.push('');
  if (s.broadening) head.push(`> [!WARNING]\n> This plan **broadens access** in ${s.broadening} change${s.broadening === 1 ? '' : 's'}.\n`);
  if (s.conflicts) head.push(`> [!CAUTION]\n> The plan stops: ${s.conflicts} resource${s.conflicts === 1 ? '' : 's'} named by the spec exist and are not charter's (\`--adopt\` takes them over).\n`);
  if (plan.lint?.errors) head.push(`> [!CAUTION]\n> ${mdCell(lintLine(plan)!)}\n`);
  else if (plan.lint) head.push(`${mdCell(lintLine(plan)!)}\n`);
  for (const n of plan.notes ?? []) head.push(`> ${mdCell(n)}\n`);
  const shown = visibleChanges(plan);
  if (shown.length === 0) head.push('No changes: live AWS matches the spec.');
  else {
    head.push('#### Changes');
    head.push('');
    head.push('| | Address | Name | Action | Reason | Access |');
    head.push('|---|---|---|---|---|---|');
    for (const c of shown) {
      const name = c.previousName && c.previousName !== c.name ? `${c.previousName} → ${c.name}` : c.name;
      const f = flags(c).filter((x) => !['broadening', 'narrowing', 'mixed'].includes(x));
      head.push(`| ${SYMBOL[c.action] === ' ' ? '' : code(SYMBOL[c.action])} | ${code(c.address)} | ${mdCell(name)} | ${c.action}${f.length ? ` (${f.join(', ')})` : ''} | ${mdCell(reasonText(c.reason))} | ${c.broadening ? BROADENING_MARK[c.broadening] : ''} |`);
    }
    head.push('');
    // A created or replaced role's row already holds its whole content: skip its sub-resources.
    const whole = new Set(shown.filter((c) => c.kind === 'role' && (c.action === 'create' || c.action === 'replace')).map((c) => c.target?.roleAddress));
    const underWhole = (c: Change) => c.kind !== 'role' && c.target?.roleAddress !== undefined && whole.has(c.target.roleAddress);
    const rows = shown.filter((c) => c.action !== 'no-op' && !underWhole(c)).flatMap((c) => (c.statements ?? []).map((r): AddressedRow => ({ ...r, address: c.address + (r.document === 'trust' ? ' (trust)' : '') })));
    if (rows.length) {
      head.push('#### IAM statement changes');
      head.push('');
      head.push('| | Address | Resource | Effect | Action | Principal | Condition |');
      head.push('|---|---|---|---|---|---|---|');
      for (const r of rows.slice(0, MAX_STATEMENT_ROWS)) head.push(statementRow(r));
      if (rows.length > MAX_STATEMENT_ROWS) head.push(`| | … ${rows.length - MAX_STATEMENT_ROWS} more statement changes (see the diffs or the saved plan) | | | | | |`);
      head.push('');
      head.push('⚠️ marks a statement change that widens access: an added Allow that grants something new, a removed Deny.');
      head.push('');
    }
    // Under a replaced role the attachments carry over (the role entry compares old and new).
    const replaced = new Set(shown.filter((c) => c.kind === 'role' && c.action === 'replace').map((c) => c.target?.roleAddress));
    const attachments = shown.filter((c) => c.kind === 'policy-attachment' && (c.action === 'create' || c.action === 'delete') && !(c.target?.roleAddress !== undefined && replaced.has(c.target.roleAddress)));
    if (attachments.length) {
      head.push('#### Managed policy changes');
      head.push('');
      head.push('| | Role | Managed policy ARN |');
      head.push('|---|---|---|');
      for (const c of attachments) {
        const role = c.target?.roleAddress ?? c.target?.roleName ?? '';
        head.push(`| ${c.action === 'create' ? '⚠️ ➕' : '➖'} | ${mdCell(role)} | ${mdCell(c.name)} |`);
      }
      head.push('');
    }
  }
  const groups = shown.filter((c): c is InstancesChange => c.kind === 'instances' && c.config !== undefined && !!(c.launch?.indexes.length || c.instances?.length));
  if (groups.length) {
    head.push('#### Instances');
    head.push('');
    for (const c of groups) {
      head.push(`**${mdCell(c.name)}**${c.launch?.indexes.length ? `: launches ${mdCell(launchConfigLine(c.config!))}` : ''}`);
      head.push('');
      if (c.instances?.length) {
        head.push('| Instance | State | Configuration | What happens | expires-at |');
        head.push('|---|---|---|---|---|');
        for (const r of c.instances) head.push(`| ${code(r.instanceId)} | ${r.state} | ${r.config} | ${fateText(r)} | ${mdCell(expiresText(r))} |`);
        head.push('');
      }
    }
  }
  const details: string[] = [];
  for (const c of shown) {
    if (!c.diff && !(c.broadeningDetails ?? []).length) continue;
    const body: string[] = [];
    body.push(`<details><summary><code>${mdCell(c.address)}</code> — ${c.action}${c.broadening ? ` (${c.broadening})` : ''}</summary>`);
    body.push('');
    if (c.broadeningDetails?.length) {
      body.push('```');
      body.push(...detailLines(c).map((d) => d.line));
      body.push('```');
    }
    if (c.diff) {
      body.push('```diff');
      body.push(c.diff.replace(/```/g, "'''").trimEnd());
      body.push('```');
    }
    body.push('</details>');
    body.push('');
    details.push(body.join('\n'));
  }
  let out = head.join('\n');
  const footer = (n: number) => `\n> **Truncated:** ${n} more per-resource diff${n === 1 ? '' : 's'} left out to stay under GitHub's ${limit.toLocaleString('en-US')}-character comment limit. Run \`charter plan\` locally or read the saved plan (\`--out plan.json\`) for all of them.\n`;
  if (details.length) out += '\n#### Diffs\n\n';
  const reserve = footer(details.length).length + 16;
  let used = out.length;
  let i = 0;
  for (; i < details.length; i++) {
    if (used + details[i]!.length + reserve > limit) break;
    out += details[i];
    used += details[i]!.length;
  }
  if (i < details.length) out += footer(details.length - i);
  out = redactSecrets(out);
  if (out.length > limit) {
    // The tables alone overflow: cut hard, on a line boundary, and say so.
    const note = `\n\n> **Truncated:** the plan is larger than GitHub's ${limit}-character comment limit; see the saved plan.\n`;
    const cut = out.slice(0, limit - note.length);
    out = cut.slice(0, cut.lastIndexOf('\n')) + note;
  }
  return out;
}

/** "Lint: 2 errors, 1 warning …" from the plan's lint counts (undefined when the plan has none). */
function lintLine(plan: Plan): string | undefined {
  const l = plan.lint;
  if (!l) return undefined;
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  const counts = `${n(l.errors, 'error')}, ${n(l.warnings, 'warning')}${l.suppressed ? `, ${l.suppressed} suppressed` : ''}`;
  return l.errors
    ? `Lint: ${counts}: apply refuses this spec until they are fixed or suppressed with a reason (or --allow-lint-errors); charter lint ${plan.specPath} lists them.`
    : `Lint: ${counts}.`;
}

export function renderPlan(plan: Plan, format: PlanFormat, o: TextOptions = {}): string {
  switch (format) {
    case 'json':
      return planToJson(plan);
    case 'markdown':
      return renderMarkdown(plan);
    default:
      return renderText(plan, o);
  }
}

/** A change's broadening details as printed lines (`sign text`), with the count of the rest as a last line. */
function detailLines(c: Change): Array<{ line: string; direction?: BroadeningDetail['direction'] }> {
  const out: Array<{ line: string; direction?: BroadeningDetail['direction'] }> = (c.broadeningDetails ?? []).map((d) => ({ line: `${d.sign} ${d.text}`, direction: d.direction }));
  if (c.broadeningMore) out.push({ line: `... and ${c.broadeningMore} more` });
  return out;
}
