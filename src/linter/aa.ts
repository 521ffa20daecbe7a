/**
 * --access-analyzer findings: the results of IAM Access Analyzer's checks, given as data (the calls
 * are made beside the CLI, src/cli/lint-aa.ts; the linter imports no src/aws), mapped back to the
 * spec or JSON line: ValidatePolicy findings (aa-validate), CheckNoNewAccess against a reference
 * (aa-new-access), CheckAccessNotGranted against a deny-list (aa-access-granted).
 */
import { prettyJson } from '../policy/canonical.js';
import type { AaCheckResult, AaDocument, AaFinding } from '../policy/access-analyzer-types.js';
import type { DocView, Loc, ReportInput, Severity } from './types.js';

/** What Access Analyzer said about one document. */
export interface AaDocResult {
  /** ValidatePolicy's findings. */
  validation: AaFinding[];
  /** CheckNoNewAccess against the document's reference (what `against` names), or: it has no live counterpart. */
  newAccess?: { check: AaCheckResult; against: string; hint: string } | { missing: string };
  /** CheckAccessNotGranted of the deny-list (identity policies). */
  accessGranted?: { check: AaCheckResult; deny: string[] };
}

/** Runs the checks on the engine's documents (LintOptions.accessAnalyzer): one result per document, in order. */
export interface AccessAnalyzer {
  analyze(docs: DocView[]): Promise<{ results: AaDocResult[]; calls: number }>;
}

export type AaRuleId = 'aa-validate' | 'aa-new-access' | 'aa-access-granted';

const SEVERITY: Record<string, Severity> = { ERROR: 'error', SECURITY_WARNING: 'error', WARNING: 'warning', SUGGESTION: 'info' };

/** The document as Access Analyzer is given it: the exact file text, or the compiled JSON. */
export function aaDocument(d: DocView): AaDocument {
  const text = d.text ?? prettyJson(d.raw);
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

function failedAt(d: DocView, res: AaCheckResult): Loc {
  const first = res.reasons.find((x) => x.statementIndex !== undefined);
  return first?.statementIndex !== undefined ? d.pos(first.statementIndex) : d.pos();
}

/** The reports one document's results make, by rule. */
export function aaReports(d: DocView, r: AaDocResult): Array<[AaRuleId, ReportInput]> {
  const out: Array<[AaRuleId, ReportInput]> = [];
  for (const f of r.validation) {
    const rep: ReportInput = { at: locate(d, f), messageId: 'finding', data: { code: f.issueCode }, context: { details: f.findingDetails }, severity: SEVERITY[f.findingType] ?? 'warning' };
    if (f.learnMoreLink) rep.hint = f.learnMoreLink;
    out.push(['aa-validate', rep]);
  }
  const na = r.newAccess;
  if (na && 'missing' in na) {
    out.push(['aa-new-access', { at: d.pos(), severity: 'info', messageId: 'noCounterpart', data: { doc: d.label }, context: { missing: na.missing }, hint: 'expected for what the next apply creates; review what it grants' }]);
  } else if (na && na.check.result === 'FAIL') {
    out.push(['aa-new-access', { at: failedAt(d, na.check), messageId: 'newAccess', data: { doc: d.label, against: na.against }, context: { why: na.check.message || na.check.reasons.map((x) => x.description).filter(Boolean).join('; ') }, hint: na.hint }]);
  }
  const ag = r.accessGranted;
  if (ag && ag.check.result === 'FAIL') {
    out.push(['aa-access-granted', { at: failedAt(d, ag.check), messageId: 'granted', data: { doc: d.label, deny: ag.deny.join(', ') }, context: { why: ag.check.message ? `: ${ag.check.message}` : '' }, hint: 'remove it, or change --deny-actions for administrative roles' }]);
  }
  return out;
}
