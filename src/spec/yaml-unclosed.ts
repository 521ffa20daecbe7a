/**
 * Where a YAML syntax error really is. An unclosed `[`, `{` or quote makes the parser fail only
 * where the next line no longer fits (a line late: "deficient indentation"). This scanner reads
 * the text up to the parser's error with just enough YAML to know what is open there (quotes,
 * flow brackets, comments, block scalars), so the error is reported at the bracket or quote
 * that was never closed.
 */

export interface UnclosedConstruct {
  /** Offset of the opening bracket or quote. */
  offset: number;
  char: '[' | '{' | '"' | "'";
}

/** What each opener needs and says. */
export const UNCLOSED_SENTENCES: Readonly<Record<UnclosedConstruct['char'], { message: string; hint: string }>> = {
  '[': { message: 'this [ is never closed: the list it opens needs a ]', hint: 'close the list on its line, like [a, b], or write one "- item" per line' },
  '{': { message: 'this { is never closed: the mapping it opens needs a }', hint: 'close the mapping on its line, like { key: value }, or write one "key: value" per line' },
  '"': { message: 'this " is never closed: the quoted string it opens needs a closing "', hint: 'end the string with "; write \\" for a quote inside it' },
  "'": { message: "this ' is never closed: the quoted string it opens needs a closing '", hint: "end the string with '; write '' for a quote inside it" },
};

/** Whether the character at `i` starts a node: first on its line, or after `[ { ,`, `: `, `- `, `? `, or after a tag or anchor. */
function atNodeStart(text: string, lineStart: number, i: number, inFlow: boolean): boolean {
  let j = i - 1;
  while (j >= lineStart && (text[j] === ' ' || text[j] === '\t')) j--;
  if (j < lineStart) return true;
  const spaced = j < i - 1;
  const p = text[j]!;
  if (p === '[' || p === '{' || p === ',') return inFlow;
  if (p === ':') return spaced || inFlow;
  if (p === '-' || p === '?') return spaced && (j === lineStart || text[j - 1] === ' ' || text[j - 1] === '\t');
  if (!spaced) return false;
  // A tag or anchor before the node (`!!str "x"`, `&a [1]`): look past it.
  let k = j;
  while (k >= lineStart && text[k] !== ' ' && text[k] !== '\t') k--;
  const token = text[k + 1];
  return (token === '!' || token === '&') && atNodeStart(text, lineStart, k + 1, inFlow);
}

/** The brackets and the quote still open at `end` (an offset into `text`), outermost first. */
export function unclosedAt(text: string, end: number): UnclosedConstruct[] {
  const flow: UnclosedConstruct[] = [];
  let quote: UnclosedConstruct | undefined;
  /** Indentation of the line that started a block scalar (`|`, `>`): its content is every line indented more. */
  let blockIndent: number | undefined;
  let i = 0;
  const stop = Math.min(end, text.length);
  while (i < stop) {
    const lineStart = i;
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = text.length;
    let indent = 0;
    while (text[lineStart + indent] === ' ') indent++;
    if (blockIndent !== undefined) {
      const blank = text.slice(lineStart + indent, lineEnd).trim() === '';
      if (blank || indent > blockIndent) {
        i = lineEnd + 1;
        continue;
      }
      blockIndent = undefined;
    }
    for (i = lineStart; i < lineEnd && i < stop; i++) {
      const c = text[i]!;
      if (quote) {
        if (quote.char === "'" && c === "'") {
          if (text[i + 1] === "'") i++;
          else quote = undefined;
        } else if (quote.char === '"' && c === '\\') i++;
        else if (quote.char === '"' && c === '"') quote = undefined;
        continue;
      }
      if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      const inFlow = flow.length > 0;
      if ((c === '"' || c === "'") && atNodeStart(text, lineStart, i, inFlow)) quote = { offset: i, char: c };
      else if ((c === '[' || c === '{') && atNodeStart(text, lineStart, i, inFlow)) flow.push({ offset: i, char: c });
      else if ((c === ']' || c === '}') && inFlow && flow[flow.length - 1]!.char === (c === ']' ? '[' : '{')) flow.pop();
      else if ((c === '|' || c === '>') && !inFlow && atNodeStart(text, lineStart, i, false)) {
        // At the very start of a line, the block scalar is the document's root: its content may start in column 1.
        blockIndent = i === lineStart ? -1 : indent;
        break;
      }
    }
    i = lineEnd + 1;
  }
  return quote ? [...flow, quote] : flow;
}

/** Indentation of the next line from `from` that holds more than blanks or a comment (past any `- `); undefined at the end. */
function nextContentIndent(text: string, from: number): number | undefined {
  for (let i = from; i < text.length; ) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = text.length;
    const line = text.slice(i, end);
    const body = line.trimStart();
    // A list item's content is indented past its `- `.
    if (body !== '' && !body.startsWith('#')) return /^ *(- +)*/.exec(line)![0].length;
    i = end + 1;
  }
  return undefined;
}

/**
 * The brackets and quotes open at `end` that were left behind: still open at the end of their own
 * line, and the next line is not indented deeper than theirs (a flow list or quoted string that
 * goes on over several lines continues indented). These are what a parser error at `end` is about.
 */
export function abandonedAt(text: string, end: number): UnclosedConstruct[] {
  /** What is open at the end of each line that holds an opener (one scan per line, not per opener). */
  const openAtLineEnd = new Map<number, UnclosedConstruct[]>();
  return unclosedAt(text, end).filter((u) => {
    const lineStart = text.lastIndexOf('\n', u.offset - 1) + 1;
    let lineEnd = text.indexOf('\n', u.offset);
    if (lineEnd < 0) lineEnd = text.length;
    if (!openAtLineEnd.has(lineEnd)) openAtLineEnd.set(lineEnd, unclosedAt(text, lineEnd));
    if (!openAtLineEnd.get(lineEnd)!.some((x) => x.offset === u.offset)) return false;
    const next = nextContentIndent(text, lineEnd + 1);
    return next === undefined || next <= (nextContentIndent(text, lineStart) ?? 0);
  });
}
