/**
 * eslint-like text output: findings grouped by file, each with a code frame (two lines of context
 * and a caret), a hint line, and a summary. Colour only when asked (the CLI asks on a TTY without
 * NO_COLOR).
 */
import type { Finding } from '../types.js';

export interface TextOptions {
  color: boolean;
  /** file → text, for code frames (files not present get no frame); `frames`: the lines the file's frames will show (codeFrameLines of each finding's line). */
  sources: (file: string, frames: ReadonlyArray<{ from: number; to: number }>) => string | undefined;
  suppressed?: number;
  baselined?: number;
}

/** The lines (1-based, inclusive) a finding's code frame shows, before they are clamped to its file: its line and one either side. */
export function codeFrameLines(line: number): { from: number; to: number } {
  return { from: line - 1, to: line + 1 };
}

const C = { red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1, gray: 90 } as const;

export function formatText(findings: Finding[], o: TextOptions): string {
  const parts: string[] = [];
  writeText(findings, o, (s) => parts.push(s));
  return parts.join('');
}

/** formatText's text, written in pieces of whole files' findings as it is made; the pieces joined are formatText. */
export function writeText(findings: Finding[], o: TextOptions, write: (s: string) => void): void {
  const w = textWriter(o, write);
  w.add(findings);
  w.end();
}

/**
 * The text report made as findings come (issue 14: a large lint never holds the whole report, nor
 * more than one file's source): `add` takes findings in their final order, whole files at a time,
 * and writes them (in pieces of about 64 KiB, each whole files' findings); `end` writes the summary
 * (with the counts of findings not shown, when they are known only then).
 */
export function textWriter(o: TextOptions, write: (s: string) => void): { add(findings: Finding[]): void; end(extra?: { suppressed: number; baselined: number }): void } {
  const paint = (code: number, s: string) => (o.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor = { error: C.red, warning: C.yellow, info: C.cyan } as const;
  const out: string[] = [];
  let size = 0;
  const push = (line: string) => {
    out.push(line);
    size += line.length + 1;
  };
  const counts = { error: 0, warning: 0, info: 0 };
  const add = (findings: Finding[]) => {
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
      counts[f.severity]++;
    }
    for (const [file, list] of byFile) {
      if (size >= 1 << 16) {
        write(out.splice(0).join('\n') + '\n');
        size = 0;
      }
      push(paint(C.bold, file));
      const text = o.sources(file, list.map((f) => codeFrameLines(f.line)));
      const lines = text?.split('\n');
      for (const f of list) {
        const where = `${f.line}:${f.column}`.padEnd(8);
        push(`  ${paint(C.dim, where)} ${paint(sevColor[f.severity], f.severity.padEnd(7))} ${f.message}  ${paint(C.gray, f.rule)}`);
        if (lines && f.line >= 1 && f.line <= lines.length) {
          const frame = codeFrameLines(f.line);
          const from = Math.max(1, frame.from);
          const to = Math.min(lines.length, frame.to);
          const w = String(to).length;
          for (let n = from; n <= to; n++) {
            const mark = n === f.line ? '>' : ' ';
            const src = lines[n - 1]!.replace(/\t/g, '  ').replace(/\r$/, '');
            const shown = src.length > 160 ? src.slice(0, 157) + '...' : src;
            push(paint(n === f.line ? C.bold : C.dim, `    ${mark} ${String(n).padStart(w)} | `) + shown);
            if (n === f.line) push(paint(C.dim, `      ${' '.repeat(w)} | `) + ' '.repeat(Math.max(0, Math.min(f.column - 1, 160))) + paint(sevColor[f.severity], '^'));
          }
        }
        if (f.hint) push(`    ${paint(C.cyan, 'hint:')} ${f.hint}`);
      }
      push('');
    }
    // What was added is written now (a streamed lint adds a file's findings at a time).
    if (out.length) {
      write(out.splice(0).join('\n') + '\n');
      size = 0;
    }
  };
  /** `extra`: the counts of findings not shown, when known only at the end (default: the options'). */
  const end = ({ suppressed, baselined } = { suppressed: o.suppressed ?? 0, baselined: o.baselined ?? 0 }) => {
    const { error: e, warning: w, info: i } = counts;
    const extra = [suppressed ? `${suppressed} suppressed` : '', baselined ? `${baselined} in baseline` : ''].filter(Boolean).join(', ');
    const total = e + w + i;
    const summary = total === 0 ? 'no findings' : `${total} finding${total === 1 ? '' : 's'} (${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}, ${i} info)`;
    out.push(paint(e ? C.red : w ? C.yellow : C.bold, `✖ ${summary}`.replace(/^\u2716 no findings/, '✔ no findings')) + (extra ? ` — ${extra}` : ''));
    write(out.splice(0).join('\n') + '\n');
  };
  return { add, end };
}
