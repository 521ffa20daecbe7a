/**
 * --access-analyzer: every document through IAM Access Analyzer (ValidatePolicy; CheckNoNewAccess
 * against a reference compile or, with --reference live, the live documents (src/linter/live-reference.ts);
 * CheckAccessNotGranted against a deny-list), findings mapped back to the spec or JSON line.
 * Identical documents are checked once. AWS calls live in src/aws/access-analyzer.ts.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsClients } from '../aws/clients.js';
import { checkAccessNotGranted, checkNoNewAccess, validatePolicy, type AaDocument, type AaFinding, type AaCheckResult } from '../aws/access-analyzer.js';
import { InputError } from '../diagnostics.js';
import { prettyJson, sha256Hex } from '../policy/canonical.js';
import type { DocView, Loc, ReportInput, Severity } from './types.js';
import { sharedIamData } from '../policy/iam-data.js';
import { liveRefKey, type LiveReference } from './live-reference.js';

export const DEFAULT_DENY_ACTIONS = ['iam:*', 'organizations:*', 'account:*'];

export interface AaOptions {
  clients: AwsClients;
  /** A previous `charter compile --out DIR` (or a directory of policy files with the same paths). */
  referenceDir?: string;
  /**
   * `--reference live`: each compiled document's live counterpart (src/linter/live-reference.ts).
   * Policy files given to lint have none and are not compared.
   */
  liveReference?: LiveReference;
  denyActions?: string[];
  concurrency?: number;
}

export type AaEmit = (rule: 'aa-validate' | 'aa-new-access' | 'aa-access-granted', doc: DocView, r: ReportInput) => void;

const SEVERITY: Record<string, Severity> = { ERROR: 'error', SECURITY_WARNING: 'error', WARNING: 'warning', SUGGESTION: 'info' };

function docText(d: DocView): string {
  return d.text ?? prettyJson(d.raw);
}

function aaDoc(d: DocView): AaDocument {
  const text = docText(d);
  return d.kind === 'trust' ? { text, policyType: 'RESOURCE_POLICY', resourceType: 'AWS::IAM::AssumeRolePolicyDocument' } : { text, policyType: 'IDENTITY_POLICY' };
}

/** Where an Access Analyzer location points: the exact span for files, the statement element for compiled documents. */
export function locate(d: DocView, f: AaFinding): Loc {
  const loc = f.locations[0];
  if (!loc) return d.pos();
  if (d.text !== undefined && loc.span) return { file: d.file, line: loc.span.start.line, col: loc.span.start.column + 1 };
  const p = loc.path;
  if (p[0] !== 'Statement') return d.pos();
  const stmt = typeof p[1] === 'number' ? p[1] : 0;
  const rest = p.slice(typeof p[1] === 'number' ? 2 : 1);
  return d.pos(stmt, ...rest);
}

/** Reference documents by DocView id, from a `charter compile --out` directory. */
function readReference(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) throw new InputError([{ message: `--reference ${dir}: no such directory`, hint: 'give the directory a previous `charter compile SPEC --out DIR` wrote' }]);
  const rolesDir = join(dir, 'roles');
  if (existsSync(rolesDir))
    for (const f of readdirSync(rolesDir)) {
      if (!f.endsWith('.json')) continue;
      const r = JSON.parse(readFileSync(join(rolesDir, f), 'utf8')) as { address: string; trust: unknown; inline?: Record<string, unknown> };
      out.set(`${r.address}#trust`, prettyJson(r.trust));
      for (const [name, doc] of Object.entries(r.inline ?? {})) out.set(`${r.address}#inline:${name}`, prettyJson(doc));
    }
  const polDir = join(dir, 'policies');
  if (existsSync(polDir))
    for (const f of readdirSync(polDir)) {
      if (!f.endsWith('.json')) continue;
      const m = JSON.parse(readFileSync(join(polDir, f), 'utf8')) as { role: string; name: string; document: unknown };
      out.set(`${m.role}#managed:${m.name}`, prettyJson(m.document));
    }
  return out;
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

/**
 * CheckAccessNotGranted takes concrete action names (at most 100 per call, no wildcards): expand
 * the deny-list with the IAM reference data and split it into batches.
 */
export async function denyBatches(deny: string[]): Promise<string[][]> {
  const iam = sharedIamData();
  await iam.loadServices(deny.map((a) => a.split(':')[0]!).filter((s) => s && !s.includes('*')));
  const names = new Set<string>();
  for (const a of deny) {
    if (!/[*?]/.test(a)) {
      names.add(a);
      continue;
    }
    for (const q of iam.expand(a)) {
      const [svc, name] = q.split(':');
      names.add(`${svc}:${iam.actionNames(svc!)?.get(name!) ?? name}`);
    }
  }
  const list = [...names].sort();
  const out: string[][] = [];
  for (let i = 0; i < list.length; i += 100) out.push(list.slice(i, i + 100));
  return out;
}

export async function runAccessAnalyzer(docs: DocView[], o: AaOptions, emit: AaEmit): Promise<{ calls: number }> {
  const deny = o.denyActions ?? DEFAULT_DENY_ACTIONS;
  const batches = deny.length ? await denyBatches(deny) : [];
  const ref = o.referenceDir ? readReference(o.referenceDir) : undefined;
  const validations = new Map<string, Promise<AaFinding[]>>();
  const checks = new Map<string, Promise<AaCheckResult>>();
  let calls = 0;
  const once = <T>(m: Map<string, Promise<T>>, key: string, fn: () => Promise<T>): Promise<T> => {
    let p = m.get(key);
    if (!p) {
      calls++;
      m.set(key, (p = fn()));
    }
    return p;
  };
  await pool(docs, o.concurrency ?? 6, async (d) => {
    const doc = aaDoc(d);
    const key = sha256Hex(`${doc.policyType}\u0000${doc.resourceType ?? ''}\u0000${doc.text}`);
    const findings = await once(validations, key, () => validatePolicy(o.clients, doc));
    for (const f of findings) {
      const r: ReportInput = { at: locate(d, f), messageId: 'finding', data: { code: f.issueCode }, context: { details: f.findingDetails }, severity: SEVERITY[f.findingType] ?? 'warning' };
      if (f.learnMoreLink) r.hint = f.learnMoreLink;
      emit('aa-validate', d, r);
    }
    const newAccess = async (existing: string, against: string, hint: string): Promise<void> => {
      if (existing === doc.text) return;
      const res = await once(checks, sha256Hex(`nna\u0000${doc.policyType}\u0000${doc.text}\u0000${existing}`), () => checkNoNewAccess(o.clients, doc.text, existing, doc.policyType));
      if (res.result !== 'FAIL') return;
      const first = res.reasons.find((x) => x.statementIndex !== undefined);
      emit('aa-new-access', d, { at: first?.statementIndex !== undefined ? d.pos(first.statementIndex) : d.pos(), messageId: 'newAccess', data: { doc: d.label, against }, context: { why: res.message || res.reasons.map((x) => x.description).filter(Boolean).join('; ') }, hint });
    };
    if (o.liveReference) {
      const lr = d.fromSpec ? o.liveReference.get(liveRefKey(d.file, d.id)) : undefined;
      if (lr && 'missing' in lr) {
        emit('aa-new-access', d, { at: d.pos(), severity: 'info', messageId: 'noCounterpart', data: { doc: d.label }, context: { missing: lr.missing }, hint: 'expected for what the next apply creates; review what it grants' });
      } else if (lr) {
        await newAccess(lr.text, lr.against, 'review the broadening before applying; accept it with a reasoned lint.ignore');
      }
    } else if (ref || (o.referenceDir && d.text !== undefined)) {
      const existing = ref?.get(d.id) ?? (o.referenceDir && d.text !== undefined && existsSync(join(o.referenceDir, d.file)) ? readFileSync(join(o.referenceDir, d.file), 'utf8') : undefined);
      if (existing !== undefined) await newAccess(existing, 'the reference', 'review the broadening; accept it with a reasoned lint.ignore or a new reference');
    }
    if (d.kind === 'identity' && batches.length) {
      let res: AaCheckResult | undefined;
      for (const batch of batches) {
        res = await once(checks, sha256Hex(`ang\u0000${doc.text}\u0000${batch.join(',')}`), () => checkAccessNotGranted(o.clients, doc.text, batch, 'IDENTITY_POLICY'));
        if (res.result === 'FAIL') break;
      }
      if (res && res.result === 'FAIL') {
        const first = res.reasons.find((x) => x.statementIndex !== undefined);
        emit('aa-access-granted', d, { at: first?.statementIndex !== undefined ? d.pos(first.statementIndex) : d.pos(), messageId: 'granted', data: { doc: d.label, deny: deny.join(', ') }, context: { why: res.message ? `: ${res.message}` : '' }, hint: 'remove it, or change --deny-actions for administrative roles' });
      }
    }
  });
  return { calls };
}
