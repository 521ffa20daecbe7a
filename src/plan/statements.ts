/**
 * The IAM statement rows of a change: statements added and removed between its before and after
 * documents (matched by canonical content, so unchanged statements are not rows), each classified
 * as the planner's broadening does (src/plan/broadening.ts), so the formatters only render them.
 *
 * A row widens access when an added Allow grants something the document did not grant before
 * (`s3:*` → `s3:GetObject` does not), or a removed Deny denied something the new document no
 * longer denies. Added Denies and removed Allows never widen.
 */
import { asList, canonicalJson, canonicalStatement } from '../policy/canonical.js';
import type { IamData } from '../policy/iam-data.js';
import type { PolicyDocument, PolicyStatement } from '../policy/types.js';
import { classifyDocuments } from './broadening.js';
import type { StatementRow } from './types.js';

/** The policy documents a change's before/after value holds, by label ('trust', an inline name, or '' for its own document). */
export function documentsOf(v: unknown): Array<{ label: string; doc: PolicyDocument }> {
  const out: Array<{ label: string; doc: PolicyDocument }> = [];
  if (v === null || typeof v !== 'object') return out;
  const o = v as Record<string, unknown>;
  const isDoc = (x: unknown): x is PolicyDocument => x !== null && typeof x === 'object' && 'Statement' in (x as object);
  if (isDoc(o)) out.push({ label: '', doc: o });
  if (isDoc(o.trust)) out.push({ label: 'trust', doc: o.trust });
  if (isDoc(o.document)) out.push({ label: '', doc: o.document });
  if (o.inline && typeof o.inline === 'object') for (const [k, d] of Object.entries(o.inline as Record<string, unknown>)) if (isDoc(d)) out.push({ label: k, doc: d });
  return out;
}

function statementsByLabel(v: unknown): Map<string, PolicyStatement[]> {
  const m = new Map<string, PolicyStatement[]>();
  for (const d of documentsOf(v)) m.set(d.label, [...(m.get(d.label) ?? []), ...asList(d.doc.Statement)]);
  return m;
}

const doc = (ss: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: ss });

/** Statement rows of one change; `data` must hold the documents' services (prepareIamData). */
export function statementRows(c: { before?: unknown; after?: unknown }, data?: IamData): StatementRow[] {
  const before = statementsByLabel(c.before);
  const after = statementsByLabel(c.after);
  const key = (s: PolicyStatement) => canonicalJson(canonicalStatement(s));
  const rows: StatementRow[] = [];
  for (const label of [...new Set([...before.keys(), ...after.keys()])]) {
    const b = before.get(label) ?? [];
    const a = after.get(label) ?? [];
    const bk = new Set(b.map(key));
    const ak = new Set(a.map(key));
    const seen = new Set<string>();
    for (const s of b) {
      const k = key(s);
      if (ak.has(k) || seen.has('-' + k)) continue;
      seen.add('-' + k);
      const widens = s.Effect === 'Deny' && classifyDocuments(doc([...a, s]), doc(a), data).broadens;
      rows.push({ sign: '-', document: label, statement: canonicalStatement(s), widens });
    }
    for (const s of a) {
      const k = key(s);
      if (bk.has(k) || seen.has('+' + k)) continue;
      seen.add('+' + k);
      const widens = s.Effect === 'Allow' && classifyDocuments(doc(b), doc([...b, s]), data).broadens;
      rows.push({ sign: '+', document: label, statement: canonicalStatement(s), widens });
    }
  }
  return rows;
}
