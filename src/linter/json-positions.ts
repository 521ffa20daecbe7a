/**
 * A small JSON parser that records where every value (and every object key) starts, keyed by
 * JSON pointer, so findings on policy files point at the exact line and column. Offsets are
 * turned into line/col lazily. Syntax errors become a positioned InputError.
 */
import { InputError, LineIndex, type SourcePos } from '../diagnostics.js';

export interface JsonWithPositions {
  file: string;
  text: string;
  value: unknown;
  /** Offsets of a pointer: [valueOffset, keyOffset (-1 if none)], or undefined. */
  offsetsOf(pointer: string): [number, number] | undefined;
  pos(pointer: string, which?: 'key' | 'value'): SourcePos;
}

/** Per container: where each member's value (and key) starts. Kept off the values themselves. */
type Table = Map<string, [number, number]> | Array<[number, number]>;

const MAX_DEPTH = 100;

export function parseJsonWithPositions(text: string, file: string): JsonWithPositions {
  const tables = new WeakMap<object, Table>();
  let rootOffset = 0;
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

  const value = (depth: number): unknown => {
    ws();
    if (i >= n) fail('unexpected end of input');
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      const table = new Map<string, [number, number]>();
      tables.set(obj, table);
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
        ws();
        table.set(k, [i, kOff]);
        Object.defineProperty(obj, k, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
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
      const table: Array<[number, number]> = [];
      tables.set(arr, table);
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        ws();
        table.push([i, -1]);
        arr.push(value(depth + 1));
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
  ws();
  rootOffset = i;
  const v = value(0);
  ws();
  if (i < n) fail('unexpected content after the JSON value');
  /** Offsets of the deepest existing prefix of the pointer. */
  const find = (ptr: string): { at: [number, number]; exact: boolean } => {
    let at: [number, number] = [rootOffset, -1];
    if (ptr === '') return { at, exact: true };
    let cur: unknown = v;
    for (const raw of ptr.slice(1).split('/')) {
      const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (cur === null || typeof cur !== 'object') return { at, exact: false };
      const table = tables.get(cur);
      const hit = Array.isArray(table) ? table[Number(seg)] : table?.get(seg);
      if (!hit) return { at, exact: false };
      at = hit;
      cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, unknown>)[seg];
    }
    return { at, exact: true };
  };
  return {
    file,
    text,
    value: v,
    offsetsOf: (ptr) => {
      const r = find(ptr);
      return r.exact ? r.at : undefined;
    },
    pos(ptr: string, which: 'key' | 'value' = 'value'): SourcePos {
      const { at } = find(ptr);
      return lineIndex().pos(file, which === 'key' && at[1] >= 0 ? at[1] : at[0]);
    },
  };
}
