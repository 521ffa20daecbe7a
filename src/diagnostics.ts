/**
 * Diagnostics shared by every stage: a source position, a problem found in user input, and the
 * error type that carries a list of them to the CLI (exit code 2, one line per problem).
 */

/** A 1-based position in a source file (spec YAML or a policy JSON file). */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export interface InputProblem {
  pos?: SourcePos;
  message: string;
  hint?: string;
}

/** Bad input (spec, policy file, flags). The CLI prints each problem on one line and exits 2. */
export class InputError extends Error {
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[]) {
    const lines = problems.map(oneLineProblem);
    super(lines.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = lines;
  }
}

/** A failure that is not the user's input (AWS error, stale plan, ...). Exit 1. */
export class RuntimeError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'RuntimeError';
    this.exitCode = exitCode;
  }
}

/** Control characters (a newline in a quoted key or value the message quotes) escaped, so a problem stays one line. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

function oneLineProblem(p: InputProblem): InputProblem {
  return { ...p, message: oneLine(p.message), ...(p.hint !== undefined ? { hint: oneLine(p.hint) } : {}) };
}

export function formatPos(pos: SourcePos | undefined): string {
  if (!pos) return '';
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** `file:line:col  message  (hint)` */
export function formatProblem(p: InputProblem): string {
  const where = formatPos(p.pos);
  const hint = p.hint ? `  (${p.hint})` : '';
  return where ? `${where}  ${p.message}${hint}` : `${p.message}${hint}`;
}

/** Offset → 1-based line/col, with a precomputed line index for speed. */
export class LineIndex {
  private readonly starts: number[];
  constructor(text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }
  pos(file: string, offset: number): SourcePos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }
}

/** Levenshtein distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n]!;
}

/**
 * The closest candidate, if it is close enough to be a plausible typo: within `limit` edits
 * (by default a third of the word, at least 2).
 */
export function didYouMean(word: string, candidates: Iterable<string>, limit = Math.max(2, Math.floor(word.length / 3))): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lw = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lw, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= limit ? best : undefined;
}
