/**
 * The lint engine: builds the views (documents, principals, specs) from policy files and compiled
 * bundles, preloads the IAM data they reference, runs every rule, then applies the spec's
 * severity overrides and suppressions. Pure: same input, same findings, in a stable order.
 */
import type { Bundle } from '../compiler/types.js';
import type { LoadedSpec } from '../spec/types.js';
import { pointer } from '../spec/yaml.js';
import { didYouMean, RuntimeError } from '../diagnostics.js';
import { redactSecrets } from '../secrets.js';
import { modelledManagedDoc } from './aws-managed.js';
import { bundlePrincipals, SpecIndex, specView } from './bundle-source.js';
import { parsePolicyFileChecked, parsePolicyFile, policyFileView, type ParsedPolicyFile, type PolicyFile } from './file-source.js';
import { isObject, rawStatements } from './doc-model.js';
import { sharedIamData, type IamData } from '../policy/iam-data.js';
import { hasWildcard } from '../policy/glob.js';
import { covers, specSuppressions, type Suppression } from './suppress.js';
import type { DocView, Finding, LiveRoleInput, PrincipalView, ReportInput, Rule, RuleContext, Severity, SpecView } from './types.js';
import { liveRoleView } from './live-roles.js';
import { ALL_RULES, RULES_BY_ID, META_RULES } from './rules/index.js';
import { fillMessage } from './message-template.js';

export interface SpecInput {
  loaded: LoadedSpec;
  /** Absent when the spec did not compile far enough (spec-level rules still run). */
  bundle?: Bundle;
  /** `--reference live`: the live roles read beside the spec's own (rules across roles reach them too). */
  liveRoles?: LiveRoleInput[];
}

export interface LintInput {
  files?: PolicyFile[];
  specs?: SpecInput[];
}

export interface LintOptions {
  /** Run only these rules (tests). */
  rules?: Rule[];
  iam?: IamData;
  /** Access Analyzer's results too (--access-analyzer; the calls are the caller's: src/cli/lint-aa.ts). */
  accessAnalyzer?: import('./aa.js').AccessAnalyzer;
  /** What "now" is for conditions on time (aws:TokenIssueTime after a past date limits nothing); default the clock. */
  now?: number;
  /**
   * Policy files only (no specs, no Access Analyzer): findings are handed over file by file, in
   * their final order, as each file is linted, and are not kept (LintResult.findings is then
   * empty). Every file is parsed before the first call (here, or by the caller that gives
   * `referenced`), so a file that is not JSON stops the run before anything was handed over.
   */
  onFindings?: (findings: Finding[]) => void;
  /**
   * What the policy files name, gathered by the caller as it checked each one (addReferenced of
   * parsePolicyFileChecked): the first pass over the files is then skipped (added to, and
   * emptied, by the lint).
   */
  referenced?: Referenced;
}

export interface LintStats {
  documents: number;
  principals: number;
  specs: number;
  /** ms spent loading IAM data. */
  dataMs: number;
  /** ms spent running rules. */
  rulesMs: number;
  /** Distinct Access Analyzer calls made (identical documents are checked once). */
  accessAnalyzerCalls?: number;
}

export interface LintResult {
  findings: Finding[];
  /** Findings removed by suppressions (with the suppression's reason). */
  suppressed: Array<{ finding: Finding; reason?: string }>;
  stats: LintStats;
  /**
   * Why the Access Analyzer checks did not finish (a call failed: credentials, endpoint, denial).
   * The offline findings are complete all the same; Access Analyzer's may be missing.
   */
  accessAnalyzerFailure?: string;
}

interface Scope {
  /** Index into specs, or -1 for plain files. */
  spec: number;
}

export function cmpFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Services to preload, gathered document by document (insertion order is load order). */
export interface Referenced {
  services: Set<string>;
  keyServices: Set<string>;
  allServices: boolean;
}

export function noneReferenced(): Referenced {
  return { services: new Set(), keyServices: new Set(), allServices: false };
}

/**
 * Add what documents name to `ref`: views (their statements), or a policy file's document as
 * parsed (ParsedPolicyFile: read as is, the statements normalizeStatements would give without
 * building them — the first pass over the files needs only these names).
 */
export function addReferenced(ref: Referenced, docs: Iterable<Pick<DocView, 'statements'> | Pick<ParsedPolicyFile, 'document'>>): void {
  for (const d of docs) {
    if ('statements' in d) {
      // Indexed loops: run for every document before they are optimised, when for-of allocates per step.
      for (let i = 0; i < d.statements.length; i++) {
        const st = d.statements[i]!;
        if (st.action) for (let j = 0; j < st.action.length; j++) addAction(ref, st.action[j]!);
        if (st.notAction) for (let j = 0; j < st.notAction.length; j++) addAction(ref, st.notAction[j]!);
        // Services named by condition keys (their key lists are needed to check the keys).
        for (let j = 0; j < st.conditions.length; j++) addKey(ref, st.conditions[j]!.key);
      }
      continue;
    }
    // As normalizeStatements reads a document: statements that are objects; Action and NotAction a
    // string or the strings of a list; the keys of each operator block that is an object.
    for (const s of rawStatements(d.document)) {
      if (!isObject(s)) continue;
      addActions(ref, s.Action);
      addActions(ref, s.NotAction);
      const c = s.Condition;
      if (!isObject(c)) continue;
      for (const op of Object.keys(c)) {
        const block = c[op];
        if (isObject(block)) for (const key of Object.keys(block)) addKey(ref, key);
      }
    }
  }
}

function addActions(ref: Referenced, v: unknown): void {
  if (typeof v === 'string') addAction(ref, v);
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) if (typeof v[i] === 'string') addAction(ref, v[i] as string);
}

function addAction(ref: Referenced, a: string): void {
  const i = a.indexOf(':');
  if (i <= 0) return;
  const svc = a.slice(0, i).toLowerCase();
  if (hasWildcard(svc)) ref.allServices = true;
  else ref.services.add(svc);
}

function addKey(ref: Referenced, key: string): void {
  const j = key.indexOf(':');
  if (j > 0) ref.keyServices.add(key.slice(0, j).toLowerCase());
}

export async function lint(input: LintInput, opts: LintOptions = {}): Promise<LintResult> {
  const rules = opts.rules ?? ALL_RULES;
  const iam = opts.iam ?? sharedIamData();
  const now = opts.now ?? Date.now();
  const docs: Array<{ doc: DocView; scope: Scope }> = [];
  const principals: Array<{ p: PrincipalView; scope: Scope }> = [];
  const specs: SpecView[] = [];

  const ref = opts.referenced ?? noneReferenced();
  // Plain policy files are linted one at a time and their views dropped (memory stays flat as the
  // input grows, issue 14): a first pass reads only what the IAM preload needs, the second rebuilds
  // each file's view, runs every rule on it and lets it go. With Access Analyzer (which needs every
  // document afterwards) the views are kept as before.
  const files = input.files ?? [];
  const oneByOne = !opts.accessAnalyzer;
  const stream = opts.onFindings;
  if (stream && (opts.accessAnalyzer || input.specs?.length)) throw new Error('lint: onFindings is for policy files alone');
  // What the first pass parsed of a file whose text is kept (JSON.parse's value, not the statements:
  // they would hold more memory than they save time), by file, for the second, which drops it.
  const parsedFiles: Array<{ value: unknown } | undefined> = [];
  for (const [k, f] of files.entries()) {
    // Checked, and what it names gathered, by the caller.
    if (opts.referenced && oneByOne) break;
    if (stream) {
      // Checked as the positioned parse checks: what the second pass would reject is rejected before any output.
      const p = parsePolicyFileChecked(f);
      addReferenced(ref, [p]);
      if (!f.reread) parsedFiles[k] = { value: p.value };
      continue;
    }
    if (oneByOne) {
      // JSON.parse is enough here; a file it rejects gets the positioned parse, whose error (if
      // any) is reported in file order by the second pass.
      const p = parsePolicyFile(f);
      if (p) {
        addReferenced(ref, [p]);
        if (!f.reread) parsedFiles[k] = { value: p.value };
      } else
        try {
          addReferenced(ref, [policyFileView(f).doc]);
        } catch {
          // reported below
        }
      continue;
    }
    const v = policyFileView(f);
    docs.push({ doc: v.doc, scope: { spec: -1 } });
    principals.push({ p: v.principal, scope: { spec: -1 } });
  }
  (input.specs ?? []).forEach((s, i) => {
    const idx = new SpecIndex(s.loaded);
    const view = specView(s.loaded, s.bundle, idx);
    specs.push(view);
    if (!s.bundle) return;
    const b = bundlePrincipals(idx, s.bundle);
    view.principals = b.principals;
    view.liveRoles = (s.liveRoles ?? []).map((r) => liveRoleView(r, view.pos('')));
    for (const d of b.docs) docs.push({ doc: d, scope: { spec: i } });
    for (const p of b.principals) {
      // AWS managed policies known by name join the union (not the per-document rules).
      for (const m of p.managed) {
        if (m.kind !== 'aws') continue;
        const md = modelledManagedDoc(m.arn, m.at, p.id);
        if (md) p.docs.push(md);
      }
      principals.push({ p, scope: { spec: i } });
    }
  });

  const t0 = performance.now();
  addReferenced(ref, docs.map((d) => d.doc));
  addReferenced(ref, principals.flatMap((p) => p.p.docs));
  addReferenced(ref, specs.flatMap((s) => s.liveRoles.flatMap((r) => r.principal.docs)));
  await iam.init();
  await iam.loadServices(ref.allServices ? iam.allServices() : [...ref.services, ...ref.keyServices]);
  await iam.loadConditionKeys(ref.keyServices);
  const t1 = performance.now();

  /**
   * Findings with where they were reported in the rule-by-rule order (rule, then documents,
   * principals, specs; item; report): files linted one at a time report out of that order, and
   * the raw list is put back in it, so output does not depend on how the work was scheduled.
   */
  const raw: Array<{ f: Finding; scope: Scope; rule: number; phase: number; item: number; n: number }> = [];
  // Messages, hints and data values repeat across findings (76 distinct hints among the corpus's
  // 2,887 findings): each distinct string is redacted once per run.
  const redacted = new Map<string, string>();
  const redact = (s: string): string => {
    let r = redacted.get(s);
    if (r === undefined) {
      // Bounded, so a streamed lint's memory does not grow with the input.
      if (redacted.size >= 8192) redacted.clear();
      redacted.set(s, (r = redactSecrets(s)));
    }
    return r;
  };
  /** One reporting context per rule; `scope` says which spec (or plain file) the finding belongs to. */
  const contextFor = (rule: Rule, ruleIndex = -1) => {
    const state: { scope: Scope; phase: number; item: number } = { scope: { spec: -1 }, phase: 0, item: 0 };
    const ctx: RuleContext = {
      iam,
      now,
      report: (r: ReportInput) => {
        const given = r.data;
        const f: Finding = {
          rule: rule.meta.id,
          category: rule.meta.category,
          severity: r.severity ?? rule.meta.severity,
          // Filled from the data as given, then the context (no merged copy of the two is made).
          message: redact(renderMessage(rule, r.messageId, given ?? NO_DATA, r.context)),
          file: r.at.file,
          line: r.at.line,
          column: r.at.col,
        };
        if (r.hint !== undefined) f.hint = redact(r.hint);
        if (r.at.pointer !== undefined) f.pointer = r.at.pointer;
        if (r.subject !== undefined) f.subject = r.subject;
        f.messageId = r.messageId;
        // The data as shown: each value as a string, redacted (the message was filled from it as given).
        // A plain loop: this runs for every finding.
        const data: Record<string, string> = {};
        if (given) {
          const keys = Object.keys(given);
          for (let i = 0; i < keys.length; i++) data[keys[i]!] = redact(String(given[keys[i]!]));
        }
        f.data = data;
        raw.push({ f, scope: state.scope, rule: ruleIndex < 0 ? rules.length : ruleIndex, phase: state.phase, item: state.item, n: raw.length });
      },
    };
    return { ctx, state };
  };
  const run = (rule: Rule, scope: Scope, fn: (ctx: RuleContext) => void) => {
    const { ctx, state } = contextFor(rule);
    state.scope = scope;
    fn(ctx);
  };
  const contexts = rules.map((rule, i) => contextFor(rule, i));
  const nFiles = oneByOne ? files.length : 0;
  // The rules a policy file needs (document or principal checks), with their contexts: found once, not per file.
  const fileRules = rules.flatMap((rule, r) => (rule.document || rule.principal ? [{ rule, ...contexts[r]! }] : []));
  const fileScope: Scope = { spec: -1 };
  const lintFile = (k: number) => {
    const v = policyFileView(files[k]!, parsedFiles[k]);
    parsedFiles[k] = undefined;
    for (const { rule, ctx, state } of fileRules) {
      state.scope = fileScope;
      state.item = k;
      if (rule.document) {
        state.phase = 0;
        rule.document(v.doc, ctx);
      }
      if (rule.principal) {
        state.phase = 1;
        rule.principal(v.principal, ctx);
      }
    }
  };
  if (stream) {
    // Findings sort by file first and a policy file's findings name that file: files in name order
    // (same-named inputs together), each file's findings put in the order the whole list would give.
    const order = files.map((_, k) => k).sort((a, b) => (files[a]!.file < files[b]!.file ? -1 : files[a]!.file > files[b]!.file ? 1 : a - b));
    for (let g = 0; g < order.length; ) {
      const name = files[order[g]!]!.file;
      for (; g < order.length && files[order[g]!]!.file === name; g++) lintFile(order[g]!);
      const mine = raw.splice(0).sort(byFindingThenReport).map((x) => x.f);
      if (mine.length) stream(mine);
    }
  } else if (oneByOne) files.forEach((_, k) => lintFile(k));
  rules.forEach((rule, r) => {
    const { ctx, state } = contexts[r]!;
    if (rule.document) {
      state.phase = 0;
      docs.forEach((d, k) => {
        state.scope = d.scope;
        state.item = nFiles + k;
        rule.document!(d.doc, ctx);
      });
    }
    if (rule.principal) {
      state.phase = 1;
      principals.forEach((p, k) => {
        state.scope = p.scope;
        state.item = nFiles + k;
        rule.principal!(p.p, ctx);
      });
    }
    if (rule.spec) {
      state.phase = 2;
      for (let i = 0; i < specs.length; i++) {
        state.scope = { spec: i };
        state.item = i;
        rule.spec(specs[i]!, ctx);
      }
    }
  });
  // Without specs every finding is kept as reported, and the final order is reached in one sort
  // (the findings' order, ties in the order they were reported).
  const sortedOnce = oneByOne && specs.length === 0;
  if (oneByOne) raw.sort(sortedOnce ? byFindingThenReport : byReport);
  const t2 = performance.now();

  let aaCalls: number | undefined;
  let aaFailure: string | undefined;
  if (opts.accessAnalyzer) {
    const { aaReports } = await import('./aa.js');
    try {
      const res = await opts.accessAnalyzer.analyze(docs.map((d) => d.doc));
      docs.forEach((d, i) => {
        for (const [ruleId, r] of aaReports(d.doc, res.results[i]!)) run(META_RULES.get(ruleId)!, d.scope, (ctx) => ctx.report(r));
      });
      aaCalls = res.calls;
    } catch (e) {
      // A failed call must not hide the offline findings: they are reported, and so is the failure.
      if (!(e instanceof RuntimeError)) throw e;
      aaFailure = e.message;
    }
  }

  // Per-spec control: severity overrides, suppressions.
  const findings: Finding[] = [];
  const suppressed: LintResult['suppressed'] = [];
  const sups: Suppression[][] = specs.map((s) => specSuppressions(s.loaded));
  const metaFindings: Finding[] = [];
  for (const { f, scope } of raw) {
    if (scope.spec < 0) {
      findings.push(f);
      continue;
    }
    const s = specs[scope.spec]!;
    const sev = s.loaded.spec.lint?.severity?.[f.rule];
    if (sev === 'off') continue;
    if (sev) f.severity = sev as Severity;
    const hit = sups[scope.spec]!.find((x) => covers(x, f, s.loaded.yaml.file));
    if (hit) {
      hit.used = true;
      suppressed.push(hit.reason !== undefined ? { finding: f, reason: hit.reason } : { finding: f });
    } else findings.push(f);
  }
  specs.forEach((s, i) => {
    for (const sup of sups[i]!) metaFindings.push(...suppressionFindings(sup));
    for (const id of Object.keys(s.loaded.spec.lint?.severity ?? {})) {
      if (RULES_BY_ID.has(id)) continue;
      const at = s.pos(pointer('lint', 'severity', id), 'key');
      const guess = didYouMean(id, RULES_BY_ID.keys());
      metaFindings.push(metaFinding('lint-config', 'unknownSeverityRule', { rule: id }, at, guess ? `did you mean "${guess}"? (charter rules lists them)` : 'charter rules lists the rule ids'));
    }
    // Meta findings obey the spec's severity overrides too.
    for (const f of metaFindings.splice(0)) {
      const sev = s.loaded.spec.lint?.severity?.[f.rule];
      if (sev === 'off') continue;
      if (sev) f.severity = sev as Severity;
      findings.push(f);
    }
  });

  if (!sortedOnce) findings.sort(cmpFindings);
  return {
    findings,
    suppressed,
    stats: { documents: nFiles + docs.length, principals: nFiles + principals.length, specs: specs.length, dataMs: t1 - t0, rulesMs: t2 - t1, ...(aaCalls !== undefined ? { accessAnalyzerCalls: aaCalls } : {}) },
    ...(aaFailure !== undefined ? { accessAnalyzerFailure: aaFailure } : {}),
  };
}

/** The rule-by-rule order findings are reported in (rule, then documents, principals, specs; item; report). */
function byReport(a: { rule: number; phase: number; item: number; n: number }, b: { rule: number; phase: number; item: number; n: number }): number {
  return a.rule - b.rule || a.phase - b.phase || a.item - b.item || a.n - b.n;
}

/**
 * cmpFindings, ties in the rule-by-rule order they were reported in: the order a stable sort by
 * byReport then by cmpFindings gives, in one sort.
 */
export function byFindingThenReport(a: { f: Finding; rule: number; phase: number; item: number; n: number }, b: { f: Finding; rule: number; phase: number; item: number; n: number }): number {
  return cmpFindings(a.f, b.f) || byReport(a, b);
}

const NO_DATA: Readonly<Record<string, string>> = Object.freeze({});

/** A rule's message `id` with its `{{name}}` placeholders filled; an unknown id or placeholder is a bug in the rule. */
export function renderMessage(rule: Rule, id: string, data: Readonly<Record<string, string | number>>, context?: Readonly<Record<string, string | number>>): string {
  const template = rule.meta.messages?.[id];
  if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown messageId "${id}"`);
  return fillMessage(
    template,
    data,
    (k) => {
      throw new Error(`rule ${rule.meta.id} message "${id}" has no data for {{${k}}}`);
    },
    context,
  );
}

function metaFinding(rule: string, messageId: string, data: Record<string, string>, at: { file: string; line: number; col: number; pointer?: string }, hint?: string): Finding {
  const r = META_RULES.get(rule)!;
  const meta = r.meta;
  const f: Finding = { rule, category: meta.category, severity: meta.severity, message: renderMessage(r, messageId, data), file: at.file, line: at.line, column: at.col, messageId, data };
  if (hint !== undefined) f.hint = hint;
  if (at.pointer !== undefined) f.pointer = at.pointer;
  return f;
}

function suppressionFindings(s: Suppression): Finding[] {
  const out: Finding[] = [];
  const what = s.kind === 'comment' ? `charter-ignore comment (${s.rules.join(', ')})` : `lint.ignore entry for ${s.rules.join(', ')}`;
  for (const r of s.rules) {
    if (r.includes('*') || RULES_BY_ID.has(r)) continue;
    const guess = didYouMean(r, RULES_BY_ID.keys());
    out.push(metaFinding('lint-config', 'unknownRule', { what, rule: r }, s.at, guess ? `did you mean "${guess}"?` : 'charter rules lists the rule ids'));
  }
  if (s.reason === undefined) {
    out.push(
      metaFinding(
        'lint-config',
        'noReason',
        { what },
        s.at,
        s.kind === 'comment' ? 'write the reason after a colon: # charter-ignore RULE: why this is acceptable' : 'add reason: <why this is acceptable> to the entry',
      ),
    );
  }
  const unknownRule = s.rules.some((r) => !r.includes('*') && !RULES_BY_ID.has(r));
  if (!s.used && !unknownRule) out.push(metaFinding('unused-suppression', 'unused', { what }, s.at, 'remove it, or fix its rule id or path'));
  return out;
}
