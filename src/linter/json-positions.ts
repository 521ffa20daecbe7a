/**
 * A small JSON parser that records where every value (and every object key) starts, keyed by
 * JSON pointer, so findings on policy files point at the exact line and column. Offsets are
 * turned into line/col lazily. Syntax errors become a positioned InputError.
 */
import { InputError, LineIndex, type SourcePos } from '../diagnostics.js';
import { pointerSegment } from '../spec/yaml.js';

export interface JsonWithPositions {
  file: string;
  text: string;
  value: unknown;
  /** pointer → [valueOffset, keyOffset (-1 if none)] */
  offsets: Map<string, [number, number]>;
  pos(pointer: string, which?: 'key' | 'value'): SourcePos;
}

const MAX_DEPTH = 100;

export function parseJsonWithPositions(text: string, file: string): JsonWithPositions {
  const offsets = new Map<string, [number, number]>();
  let i = 0;
  const n = text.length;
  let lines: LineIndex | undefined;
  const lineIndex = () => (lines ??= new LineIndex(text));

  const fail = (msg: string, at = i): never => {
    throw new InputError([{ pos: lineIndex().pos(file, Math.min(at, n)), message: `JSON syntax: ${msg}`, hint: 'fix the JSON (a policy document is one JSON object)' }]);
  };

  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };

  const str = (): string => {
    const start = i;
    i++; // opening quote
    let simple = true;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        simple = false;
        i += 2;
        continue;
      }
      if (c < 32) fail('control character in string');
      i++;
    }
    if (i >= n) fail('unterminated string', start);
    i++;
    if (simple) return text.slice(start + 1, i - 1);
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('bad escape in string', start);
    }
  };

  const value = (ptr: string, keyOff: number, depth: number): unknown => {
    ws();
    if (i >= n) fail('unexpected end of input');
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    offsets.set(ptr, [i, keyOff]);
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a "quoted" key');
        const kOff = i;
        const k = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        if (Object.prototype.hasOwnProperty.call(obj, k)) fail(`duplicate key "${k}"`, kOff);
        Object.defineProperty(obj, k, { value: value(`${ptr}/${k.includes('/') || k.includes('~') ? pointerSegment(k) : k}`, kOff, depth + 1), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(`${ptr}/${arr.length}`, -1, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) return fail(`unexpected character ${JSON.stringify(c)}`);
    i += m[0].length;
    const t = m[0];
    return t === 'true' ? true : t === 'false' ? false : t === 'null' ? null : Number(t);
  };

  // Tolerate a UTF-8 BOM.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const v = value('', -1, 0);
  ws();
  if (i < n) fail('unexpected content after the JSON value');
  return {
    file,
    text,
    value: v,
    offsets,
    pos(ptr: string, which: 'key' | 'value' = 'value'): SourcePos {
      let p = ptr;
      for (;;) {
        const o = offsets.get(p);
        if (o) return lineIndex().pos(file, which === 'key' && o[1] >= 0 ? o[1] : o[0]);
        if (p === '') return { file, line: 1, col: 1 };
        p = p.slice(0, p.lastIndexOf('/'));
      }
    },
  };
}
