/**
 * JSON output — a stable shape (documented in rules/README.md):
 * { "version": 1, "tool": "charter",
 *   "findings": [ { "rule", "category", "severity", "message", "file", "line", "column", "hint", "fingerprint" } ],
 *   "summary": { "error", "warning", "info", "suppressed", "baselined" } }
 * `hint` is null when the rule gives none. Findings are sorted by file, line, column, rule.
 */
import { fingerprint } from '../baseline.js';
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
}

export function toJsonFinding(f: Finding): JsonFinding {
  return { rule: f.rule, category: f.category, severity: f.severity, message: f.message, file: f.file, line: f.line, column: f.column, hint: f.hint ?? null, fingerprint: fingerprint(f) };
}

export function formatJson(findings: Finding[], extra: { suppressed: number; baselined: number }): string {
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  return (
    JSON.stringify(
      {
        version: 1,
        tool: 'charter',
        findings: findings.map(toJsonFinding),
        summary: { error: count('error'), warning: count('warning'), info: count('info'), suppressed: extra.suppressed, baselined: extra.baselined },
      },
      null,
      2,
    ) + '\n'
  );
}
