/**
 * JSON output — a stable shape (documented in rules/README.md):
 * { "version": 1, "tool": "charter",
 *   "findings": [ { "rule", "category", "severity", "message", "file", "line", "column", "hint", "fingerprint", "messageId", "data" } ],
 *   "summary": { "error", "warning", "info", "suppressed", "baselined" } }
 * `hint` is null when the rule gives none; `messageId` and `data` are null for rules without `meta.messages`. Findings are sorted by file, line, column, rule.
 */
import { fingerprint, type FingerprintOf } from '../baseline.js';
import type { Finding } from '../types.js';
import { nestedJsonItems } from './nested-json.js';

export interface JsonFinding {
  rule: string;
  category: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  hint: string | null;
  fingerprint: string;
  messageId: string | null;
  data: Record<string, string> | null;
}

export function toJsonFinding(f: Finding, fp: FingerprintOf = (x) => fingerprint(x)): JsonFinding {
  return { rule: f.rule, category: f.category, severity: f.severity, message: f.message, file: f.file, line: f.line, column: f.column, hint: f.hint ?? null, fingerprint: fp(f), messageId: f.messageId ?? null, data: f.data ?? null };
}

export function formatJson(findings: Finding[], extra: { suppressed: number; baselined: number }, fp?: FingerprintOf): string {
  const parts: string[] = [];
  writeJson(findings, extra, fp, (s) => parts.push(s));
  return parts.join('');
}

/** Where the findings go in the document: a string JSON.stringify leaves as is and no finding holds. */
const SLOT = '\u0001charter-findings\u0001';
/** Findings are written in pieces of about this many characters (whole findings each). */
const PIECE = 1 << 16;
/** Findings are made into text this many at a time (one JSON.stringify each; not all at once, issue 14). */
const BATCH = 128;
/** Between two findings' texts. */
const SEP = ',\n    ';
const SEP_OBJECT = SEP + '{';

/** formatJson's text, written in pieces of whole findings as it is made; the pieces joined are formatJson. */
export function writeJson(findings: Finding[], extra: { suppressed: number; baselined: number }, fp: FingerprintOf | undefined, write: (s: string) => void): void {
  const w = jsonWriter(fp, write);
  w.add(findings);
  w.end(extra);
}

/**
 * The JSON report made as findings come (issue 14: a large lint never holds the whole document,
 * nor every finding's JSON object, at once): `add` takes findings in their final order and writes
 * them (in pieces of about 64 KiB of whole findings), `end` writes the summary. The pieces
 * joined are byte for byte JSON.stringify(document, null, 2).
 */
export function jsonWriter(fp: FingerprintOf | undefined, write: (s: string) => void): { add(findings: Finding[]): void; end(extra: { suppressed: number; baselined: number }): void } {
  const counts = { error: 0, warning: 0, info: 0 };
  const doc = (findings: unknown[], extra: { suppressed: number; baselined: number }) => JSON.stringify({ version: 1, tool: 'charter', findings, summary: { error: counts.error, warning: counts.warning, info: counts.info, suppressed: extra.suppressed, baselined: extra.baselined } }, null, 2) + '\n';
  const slot = JSON.stringify(SLOT);
  let n = 0;
  let piece = '';
  return {
    add(findings) {
      for (let b = 0; b < findings.length; b += BATCH) {
        const batch = findings.slice(b, b + BATCH);
        const objects: JsonFinding[] = [];
        for (const f of batch) {
          counts[f.severity]++;
          objects.push(toJsonFinding(f, fp));
        }
        // The batch's findings nested two levels deep (document, findings), as JSON.stringify writes
        // them there (one call for the batch), each after the one before as SEP.
        const text = nestedJsonItems(objects, 2);
        // What goes before the batch's first finding in the piece being made.
        let before: string;
        if (n === 0) {
          const shell = doc([SLOT], { suppressed: 0, baselined: 0 });
          before = shell.slice(0, shell.indexOf(slot));
        } else before = piece + SEP;
        n += batch.length;
        // Written in pieces of whole findings, each cut where one's text reaches PIECE characters:
        // findings are objects, and SEP followed by "{" starts a line at the findings' indent, which
        // no line inside a finding has.
        let from = 0;
        for (let at = 0; at < text.length; ) {
          const next = text.indexOf(SEP_OBJECT, at);
          const end = next < 0 ? text.length : next;
          if (before.length + end - from >= PIECE) {
            write(before + text.slice(from, end));
            before = '';
            from = end;
          }
          at = next < 0 ? text.length : next + SEP.length;
        }
        piece = from < text.length ? before + text.slice(from) : before;
      }
      // What was added is written now (a streamed lint adds a file's findings at a time).
      if (piece !== '') {
        write(piece);
        piece = '';
      }
    },
    end(extra) {
      if (n === 0) return write(doc([], extra));
      const shell = doc([SLOT], extra);
      write(shell.slice(shell.indexOf(slot) + slot.length));
    },
  };
}
