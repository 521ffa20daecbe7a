/**
 * JSON output — a stable shape (documented in rules/README.md):
 * { "version": 1, "tool": "charter",
 *   "findings": [ { "rule", "category", "severity", "message", "file", "line", "column", "hint", "fingerprint", "messageId", "data" } ],
 *   "summary": { "error", "warning", "info", "suppressed", "baselined" } }
 * `hint` is null when the rule gives none; `messageId` and `data` are null for rules without `meta.messages`. Findings are sorted by file, line, column, rule.
 */
import { fingerprint, type FingerprintOf } from '../baseline.js';
import type { Finding } from '../types.js';

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
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  return (
    JSON.stringify(
      {
        version: 1,
        tool: 'charter',
        findings: findings.map((f) => toJsonFinding(f, fp)),
        summary: { error: count('error'), warning: count('warning'), info: count('info'), suppressed: extra.suppressed, baselined: extra.baselined },
      },
      null,
      2,
    ) + '\n'
  );
}
