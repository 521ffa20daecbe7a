/**
 * A JSON parser that remembers where every value is: path (object keys and array indexes) →
 * [start, end) offsets into the text. Access Analyzer findings point into the string sent, so the
 * sandbox needs spans, not just values. Syntax errors carry their offset.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonPath = Array<string | number>;

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export interface Located {
  value: JsonValue;
  spans: Map<string, { start: number; end: number }>;
}

export const pathKey = (p: JsonPath): string => JSON.stringify(p);

export function parseLocated(text: string): Located {
  const spans = new Map<string, { start: number; end: number }>();
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i >= text.length ? `Unexpected end of input, expected ${what}` : `Unexpected character '${text[i]}', expected ${what}`, i);
  };
  const str = (): string => {
    if (text[i] !== '"') fail('a string');
    const start = i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('a closing quote');
      i++;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail('a valid string');
    }
  };
  const value = (path: JsonPath): JsonValue => {
    ws();
    const start = i;
    let v: JsonValue;
    const c = text[i];
    if (c === '{') {
      i++;
      const o = Object.create(null) as { [k: string]: JsonValue };
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          const k = str();
          ws();
          if (text[i] !== ':') fail("':'");
          i++;
          o[k] = value([...path, k]);
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          fail("',' or '}'");
        }
      }
      v = o;
    } else if (c === '[') {
      i++;
      const a: JsonValue[] = [];
      ws();
      if (text[i] === ']') i++;
      else {
        for (;;) {
          a.push(value([...path, a.length]));
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            break;
          }
          fail("',' or ']'");
        }
      }
      v = a;
    } else if (c === '"') v = str();
    else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
      if (!m) return fail('a JSON value');
      i += m[0].length;
      v = JSON.parse(m[0]) as JsonValue;
    }
    spans.set(pathKey(path), { start, end: i });
    return v;
  };
  const v = value([]);
  ws();
  if (i < text.length) fail('end of input');
  return { value: v, spans };
}

/** Offset → Access Analyzer position: line from 1, column from 0, offset from 0. */
export function position(text: string, offset: number): { line: number; column: number; offset: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart, offset };
}
