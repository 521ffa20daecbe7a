/**
 * eslint-like text output: findings grouped by file, each with a code frame (two lines of context
 * and a caret), a hint line, and a summary. Colour only when asked (the CLI asks on a TTY without
 * NO_COLOR).
 */
import type { Finding } from '../types.js';

export interface TextOptions {
  color: boolean;
  /** file → text, for code frames (files not present get no frame). */
  sources: (file: string) => string | undefined;
  suppressed?: number;
  baselined?: number;
}

const C = { red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1, gray: 90 } as const;

export function formatText(findings: Finding[], o: TextOptions): string {
  const paint = (code: number, s: string) => (o.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor = { error: C.red, warning: C.yellow, info: C.cyan } as const;
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, list] of byFile) {
    out.push(paint(C.bold, file));
    const text = o.sources(file);
    const lines = text?.split('\n');
    for (const f of list) {
      const where = `${f.line}:${f.column}`.padEnd(8);
      out.push(`  ${paint(C.dim, where)} ${paint(sevColor[f.severity], f.severity.padEnd(7))} ${f.message}  ${paint(C.gray, f.rule)}`);
      if (lines && f.line >= 1 && f.line <= lines.length) {
        const from = Math.max(1, f.line - 1);
        const to = Math.min(lines.length, f.line + 1);
        const w = String(to).length;
        for (let n = from; n <= to; n++) {
          const mark = n === f.line ? '>' : ' ';
          const src = lines[n - 1]!.replace(/\t/g, '  ').replace(/\r$/, '');
          const shown = src.length > 160 ? src.slice(0, 157) + '...' : src;
          out.push(paint(n === f.line ? C.bold : C.dim, `    ${mark} ${String(n).padStart(w)} | `) + shown);
          if (n === f.line) out.push(paint(C.dim, `      ${' '.repeat(w)} | `) + ' '.repeat(Math.max(0, Math.min(f.column - 1, 160))) + paint(sevColor[f.severity], '^'));
        }
      }
      if (f.hint) out.push(`    ${paint(C.cyan, 'hint:')} ${f.hint}`);
    }
    out.push('');
  }
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const e = count('error');
  const w = count('warning');
  const i = count('info');
  const extra = [o.suppressed ? `${o.suppressed} suppressed` : '', o.baselined ? `${o.baselined} in baseline` : ''].filter(Boolean).join(', ');
  const total = findings.length;
  const summary = total === 0 ? 'no findings' : `${total} finding${total === 1 ? '' : 's'} (${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}, ${i} info)`;
  out.push(paint(e ? C.red : w ? C.yellow : C.bold, `✖ ${summary}`.replace(/^✖ no findings/, '✔ no findings')) + (extra ? ` — ${extra}` : ''));
  return out.join('\n') + '\n';
}
