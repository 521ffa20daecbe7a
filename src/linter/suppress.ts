/**
 * Suppressions written in a spec: `lint.ignore` entries (rule, optional path, reason) and
 * `# charter-ignore RULE[, RULE]: reason` comments (on the finding's line, or alone on the line
 * just above it). A suppression without a reason is itself a finding (lint-config); one that
 * matched nothing is reported (unused-suppression).
 */
import type { LoadedSpec } from '../spec/types.js';
import { positionOf, pointer } from '../spec/yaml.js';
import type { Finding, Loc } from './types.js';
import { globMatch } from '../policy/glob.js';

export interface Suppression {
  rules: string[];
  /** A spec path: JSON pointer ("/services/web") or dotted ("services.web"); `*` wildcards allowed. */
  path?: string;
  reason?: string;
  at: Loc;
  kind: 'ignore' | 'comment';
  /** For comments: the spec line they cover. */
  line?: number;
  used: boolean;
}

const COMMENT_RE = /(?:^|\s)#\s*charter-ignore\s+([A-Za-z0-9_*,\s-]+?)\s*(?::\s*(.*?))?\s*$/;

export function specSuppressions(loaded: LoadedSpec): Suppression[] {
  const out: Suppression[] = [];
  const file = loaded.yaml.file;
  (loaded.spec.lint?.ignore ?? []).forEach((e, i) => {
    const at = { ...positionOf(loaded.yaml, pointer('lint', 'ignore', i)), pointer: pointer('lint', 'ignore', i) };
    const s: Suppression = { rules: [e.rule], at, kind: 'ignore', used: false };
    if (e.path !== undefined) s.path = e.path;
    if (e.reason !== undefined && e.reason.trim() !== '') s.reason = e.reason.trim();
    out.push(s);
  });
  const lines = loaded.yaml.text.split('\n');
  lines.forEach((text, i) => {
    if (!text.includes('charter-ignore')) return;
    const m = COMMENT_RE.exec(text);
    if (!m) return;
    const rules = m[1]!.split(/[\s,]+/).filter(Boolean);
    const commentOnly = /^\s*#/.test(text);
    let line = i + 1;
    if (commentOnly) {
      // Covers the next line that is not blank or a comment.
      let j = i + 1;
      while (j < lines.length && /^\s*(#.*)?$/.test(lines[j]!)) j++;
      line = j + 1;
    }
    const col = text.lastIndexOf('#', text.indexOf('charter-ignore')) + 1;
    const s: Suppression = { rules, at: { file, line: i + 1, col: Math.max(1, col) }, kind: 'comment', line, used: false };
    if (m[2] && m[2].trim() !== '') s.reason = m[2].trim();
    out.push(s);
  });
  return out;
}

function normPath(p: string): string {
  if (p.startsWith('/')) return p;
  return '/' + p.split('.').join('/');
}

function ruleMatches(rules: string[], id: string): boolean {
  return rules.some((r) => r === id || r === '*' || (r.includes('*') && globMatch(r, id)));
}

/** Whether the suppression covers the finding. */
export function covers(s: Suppression, f: Finding, specFile: string): boolean {
  if (!ruleMatches(s.rules, f.rule)) return false;
  if (s.kind === 'comment') return f.file === specFile && f.line === s.line;
  if (s.path === undefined) return true;
  const want = normPath(s.path);
  const ptr = f.pointer;
  if (ptr === undefined) return false;
  if (want.includes('*')) return globMatch(want, ptr) || globMatch(want + '/*', ptr);
  return ptr === want || ptr.startsWith(want + '/');
}
