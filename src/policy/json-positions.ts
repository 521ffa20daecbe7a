/**
 * JSON with positions: where every value (and every object key) starts, so findings on policy
 * files point at the exact line and column. Syntax errors become a positioned InputError.
 *
 * Most texts are valid and only a few of their values are ever pointed at (a finding's place), so
 * a text is first parsed with JSON.parse, and the offsets are kept as numbers, turned into keys
 * and lines only when a pointer asks. What JSON.parse
 * accepts and this module rejects — a duplicate key, nesting deeper than MAX_DEPTH — is told by
 * one scan outside strings (a member per `:`; the depth of the brackets), which also notes where
 * every value starts, in one flat list of numbers (no strings, no object per container), and
 * counts the text's size as IAM measures it; a text with either, or one JSON.parse
 * rejects, goes to the positioned parser below, which says what is wrong and where.
 * The positioned parser records every offset in one flat number array per file, referenced from
 * per-container tables; test/json-positions.test.ts checks the two agree.
 */
import { InputError, LineIndex, type SourcePos } from '../diagnostics.js';

export interface JsonWithPositions {
  file: string;
  text: string;
  value: unknown;
  /** Offsets of a pointer: [valueOffset, keyOffset (-1 if none)], or undefined. */
  offsetsOf(pointer: string): [number, number] | undefined;
  pos(pointer: string, which?: 'key' | 'value'): SourcePos;
  /**
   * The text's characters outside the white space between tokens — IAM's measure of a policy
   * (policySize of the text) — when the parse counted them (a text JSON.parse accepts).
   */
  size?: number;
}

/** Per container: index into the flat offsets array of each member (value at i, key at i + 1). */
type Table = Map<string, number> | number[];

const MAX_DEPTH = 100;
const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null/y;
const CONTROL_RE = /[\u0000-\u001f]/;

/** `parsed`: `{ value: JSON.parse(text) }` when the caller already has it (the text is then not parsed again). */
export function parseJsonWithPositions(text: string, file: string, parsed?: { value: unknown }): JsonWithPositions {
  return parseLazily(text, file, parsed) ?? parsePositioned(text, file);
}

/**
 * The value parseJsonWithPositions gives (and the same error when it throws), without positions:
 * JSON.parse (or `parsed`, as parseJsonWithPositions takes it) and one scan that notes no offsets;
 * the positioned parser only for a text it rejects.
 */
export function parseJsonChecked(text: string, file: string, parsed?: { value: unknown }): unknown {
  const p = givenOrParsed(text, parsed);
  if (!p) return parsePositioned(text, file).value;
  const { members, deep } = scan(text, new ScanCounts());
  return deep || members !== keysOf(p.value) ? parsePositioned(text, file).value : p.value;
}

/** The value a caller already has, else JSON.parse's; undefined when JSON.parse refuses the text. */
export function givenOrParsed(text: string, parsed?: { value: unknown }): { value: unknown } | undefined {
  if (parsed) return parsed;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** The positioned parser: every value's offset recorded as it parses; errors with their place. */
export function parsePositioned(text: string, file: string): JsonWithPositions {
  const tables = new WeakMap<object, Table>();
  const offs: number[] = [];
  let rootOffset = 0;
  let i = 0;
  const n = text.length;
  let lines: LineIndex | undefined;
  const lineIndex = () => (lines ??= new LineIndex(text));

  const fail = (msg: string, at = i, hint = 'fix the JSON (a policy document is one JSON object)'): never => {
    throw new InputError([{ pos: lineIndex().pos(file, Math.min(at, n)), message: `JSON syntax: ${msg}`, hint }]);
  };

  /** What JSON does not allow at `i`, said in JSON's words (a comment, single quotes, a bare word). */
  const unexpected = (expected: string): never => {
    if (i >= n) return fail('unexpected end of input');
    const c = text[i]!;
    if (c === '#' || (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*'))) return fail('a comment: JSON has no comments', i, 'remove the comment');
    if (c === "'") return fail("a string in single quotes: JSON strings are in double quotes", i, `write "…" instead of '…'`);
    if (/[A-Za-z_$]/.test(c)) return fail(`${JSON.stringify(/^[A-Za-z0-9_$.-]*/.exec(text.slice(i, i + 40))![0])} without quotes: JSON strings and keys are in double quotes`, i, 'quote it');
    return fail(`expected ${expected}, found ${JSON.stringify(c)}`);
  };

  /** The end of the text inside an object or array: reported at its opening bracket, which is what is never closed. */
  const unclosed = (open: number): never => fail(`this ${text[open]} is never closed: the ${text[open] === '{' ? 'object' : 'array'} it opens needs a ${text[open] === '{' ? '}' : ']'}`, open, 'close it, or remove what opened it');

  /** After a comma, a closing bracket: JSON allows no trailing comma. */
  const trailingComma = (comma: number, close: string): never => fail(`a comma before ${close}: JSON allows no trailing comma`, comma, 'remove the comma');

  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };

  const str = (): string => {
    const start = i;
    let end = text.indexOf('"', i + 1);
    if (end < 0) return fail('unterminated string', start);
    const bs = text.indexOf('\\', i + 1);
    if (bs < 0 || bs > end) {
      const s = text.slice(start + 1, end);
      if (CONTROL_RE.test(s)) fail('control character in string', start);
      i = end + 1;
      return s;
    }
    // Escapes: find the closing quote that is not escaped.
    let j = start + 1;
    for (;;) {
      if (j >= n) return fail('unterminated string', start);
      const c = text.charCodeAt(j);
      if (c === 92) j += 2;
      else if (c === 34) break;
      else j++;
    }
    end = j;
    i = end + 1;
    try {
      return JSON.parse(text.slice(start, end + 1)) as string;
    } catch {
      return fail('bad escape or control character in string', start);
    }
  };

  const record = (valueOff: number, keyOff: number): number => {
    const k = offs.length;
    offs.push(valueOff, keyOff);
    return k;
  };

  const value = (depth: number): unknown => {
    ws();
    if (i >= n) fail('unexpected end of input');
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    const c = text.charCodeAt(i);
    if (c === 123 /* { */) {
      const open = i;
      i++;
      const obj: Record<string, unknown> = {};
      const table = new Map<string, number>();
      tables.set(obj, table);
      ws();
      if (text.charCodeAt(i) === 125) {
        i++;
        return obj;
      }
      let comma = -1;
      for (;;) {
        ws();
        if (i >= n) unclosed(open);
        if (comma >= 0 && text.charCodeAt(i) === 125) trailingComma(comma, '}');
        if (text.charCodeAt(i) !== 34) unexpected('a "quoted" key');
        const kOff = i;
        const k = str();
        ws();
        if (i >= n) unclosed(open);
        if (text.charCodeAt(i) !== 58) unexpected('":" after the key');
        i++;
        if (table.has(k)) fail(`duplicate key "${k}"`, kOff);
        ws();
        table.set(k, record(i, kOff));
        const v = value(depth + 1);
        if (k === '__proto__') Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[k] = v;
        ws();
        if (i >= n) unclosed(open);
        const d = text.charCodeAt(i);
        if (d === 44) {
          comma = i;
          i++;
          continue;
        }
        if (d === 125) {
          i++;
          return obj;
        }
        unexpected('"," or "}"');
      }
    }
    if (c === 91 /* [ */) {
      const open = i;
      i++;
      const arr: unknown[] = [];
      const table: number[] = [];
      tables.set(arr, table);
      ws();
      if (text.charCodeAt(i) === 93) {
        i++;
        return arr;
      }
      let comma = -1;
      for (;;) {
        ws();
        if (i >= n) unclosed(open);
        if (comma >= 0 && text.charCodeAt(i) === 93) trailingComma(comma, ']');
        table.push(record(i, -1));
        arr.push(value(depth + 1));
        ws();
        if (i >= n) unclosed(open);
        const d = text.charCodeAt(i);
        if (d === 44) {
          comma = i;
          i++;
          continue;
        }
        if (d === 93) {
          i++;
          return arr;
        }
        unexpected('"," or "]"');
      }
    }
    if (c === 34) return str();
    NUMBER_RE.lastIndex = i;
    const m = NUMBER_RE.exec(text);
    if (!m) return unexpected('a value');
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
  if (i < n) {
    if (text[i] === '#' || text[i] === '/') unexpected('the end');
    fail('unexpected content after the JSON value');
  }

  // A member's offsets from the tables this parse recorded.
  const find = pointerFinder<Offsets>(
    v,
    [rootOffset, -1],
    (cur, seg) => {
      const table = tables.get(cur);
      const k = Array.isArray(table) ? table[Number(seg)] : table?.get(seg);
      return k === undefined ? undefined : [offs[k]!, offs[k + 1]!];
    },
    (at) => at,
  );
  return positionedView(file, text, v, find, lineIndex);
}

type Offsets = [number, number];
type Find = (ptr: string) => { at: Offsets; exact: boolean };

/**
 * Offsets of the deepest existing prefix of a pointer into `v`, walking it segment by segment;
 * `step` gives a container's member (`h`: where the container is, as the parser keeps it),
 * undefined when absent; `offsets` turns one into offsets.
 */
function pointerFinder<H>(v: unknown, root: H, step: (container: object, seg: string, h: H) => H | undefined, offsets: (h: H) => Offsets): Find {
  return (ptr) => {
    let at = root;
    if (ptr === '') return { at: offsets(at), exact: true };
    let cur: unknown = v;
    for (const raw of ptr.slice(1).split('/')) {
      const seg = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw;
      if (cur === null || typeof cur !== 'object') return { at: offsets(at), exact: false };
      const next = step(cur, seg, at);
      // As an array index: what `array[Number(seg)]` finds ("01", "1e0" and "-0" included).
      cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, unknown>)[seg];
      if (next === undefined) return { at: offsets(at), exact: false };
      at = next;
    }
    return { at: offsets(at), exact: true };
  };
}

/** The view both parsers return, over their own `find`. */
function positionedView(file: string, text: string, value: unknown, find: Find, lineIndex: () => LineIndex, size?: number): JsonWithPositions {
  return {
    file,
    text,
    value,
    ...(size !== undefined ? { size } : {}),
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

/**
 * What scan counts. Counted in place as it goes: a long first text has the scan compiled for the
 * loop it is in (on-stack replacement), and code after the loop, not yet run then, had the
 * compiled loop give up at its end on every later text.
 */
class ScanCounts {
  members = 0;
  deep = false;
  size = 0;
  /** Values recorded (given `nodes`). */
  values = 0;
}

/**
 * One scan of a text JSON.parse accepted, outside its strings: the number of object members (one
 * `:` each), whether brackets nest MAX_DEPTH deep, the characters outside white space (`size`),
 * and, given `nodes`, every value in text order (the root first, each container before its
 * members) as three numbers: its offset, its key's offset (-1 in an array and for the root), and
 * the node just past its members (a container's members are the nodes from its own plus one up
 * to that, each followed by its own members). One flat list of numbers per text, no object per
 * container. `nodes` is written from its start (it may be longer: a buffer used again; the
 * first 3 × values numbers are this text's).
 */
function scan(text: string, counts: ScanCounts, nodes?: number[]): ScanCounts {
  // The enclosing containers: node, and whether it is an object, for each.
  const stack: number[] = [];
  let inObject = false;
  // Nodes recorded (integers kept as such: the list stays one of small integers).
  let count = 0;
  // What the next token is: 0 none to record, 1 a value, 2 a key.
  let expect = 1;
  let key = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) continue;
    let node = -1;
    if (expect !== 0 && c !== 125 && c !== 93) {
      if (expect === 2) key = i;
      else if (nodes) {
        node = count++;
        counts.values = count;
        const at = 3 * node;
        nodes[at] = i;
        nodes[at + 1] = inObject ? key : -1;
        nodes[at + 2] = count;
      }
      expect = 0;
    }
    if (c === 34) {
      const end = stringEnd(text, i);
      counts.size += end - i;
      i = end - 1;
      continue;
    }
    counts.size++;
    if (c === 58) {
      counts.members++;
      expect = 1;
    } else if (c === 44) expect = inObject ? 2 : 1;
    else if (c === 123 || c === 91) {
      stack.push(node, inObject ? 1 : 0);
      inObject = c === 123;
      expect = inObject ? 2 : 1;
      if (stack.length >= 2 * MAX_DEPTH) counts.deep = true;
    } else if (c === 125 || c === 93) {
      inObject = stack.pop() === 1;
      const open = stack.pop()!;
      if (open >= 0) nodes![3 * open + 2] = count;
      expect = 0;
    }
  }
  return counts;
}

/** Own keys of every object in a JSON.parse result. */
function keysOf(v: unknown): number {
  return v !== null && typeof v === 'object' ? keyCount(v) : 0;
}

function keyCount(v: object): number {
  let k = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e: unknown = v[i];
      if (e !== null && typeof e === 'object') k += keyCount(e);
    }
  } else
    for (const key in v) {
      k++;
      const e = (v as Record<string, unknown>)[key];
      if (e !== null && typeof e === 'object') k += keyCount(e);
    }
  return k;
}

/** The offset just past the string that opens at `i` (valid JSON: it is closed). */
function stringEnd(text: string, i: number): number {
  for (let j = text.indexOf('"', i + 1); ; j = text.indexOf('"', j + 1)) {
    let bs = 0;
    while (text.charCodeAt(j - 1 - bs) === 92) bs++;
    if (bs % 2 === 0) return j + 1;
  }
}

/** Whether the (valid) JSON string at `at` is `key`. */
function keyIs(text: string, at: number, key: string): boolean {
  const end = stringEnd(text, at);
  const raw = text.slice(at + 1, end - 1);
  return (raw.includes('\\') ? (JSON.parse(text.slice(at, end)) as string) : raw) === key;
}

/** scan's nodes for parseLazily, kept from one text to the next (dropped past MAX_SCAN_BUFFER numbers). */
let scanBuffer: number[] = [];
const MAX_SCAN_BUFFER = 1 << 20;

/**
 * The text parsed with JSON.parse, positions from one scan; undefined when the positioned parser
 * must decide (JSON.parse fails, a key repeats, or the nesting is deep).
 */
function parseLazily(text: string, file: string, parsed?: { value: unknown }): JsonWithPositions | undefined {
  const p = givenOrParsed(text, parsed);
  if (!p) return undefined;
  const v = p.value;
  const { members, deep, size, values } = scan(text, new ScanCounts(), scanBuffer);
  if (deep || members !== keysOf(v)) return undefined;
  // This text's nodes, copied out at their size (built in place, the list would be grown and
  // copied again and again as it filled: about three times its size allocated per text).
  const nodes = scanBuffer.slice(0, 3 * values);
  if (scanBuffer.length > MAX_SCAN_BUFFER) scanBuffer = [];
  let lines: LineIndex | undefined;

  // A member's node from the scan's nodes (as the positioned parser finds it): the container's
  // members, each past the one before and its members.
  const find = pointerFinder<number>(
    v,
    0,
    (cur, seg, node) => {
      const end = nodes[3 * node + 2]!;
      let m = node + 1;
      if (Array.isArray(cur)) {
        const k = Number(seg);
        if (!Number.isInteger(k) || k < 0) return undefined;
        for (let j = 0; j < k && m < end; j++) m = nodes[3 * m + 2]!;
      } else while (m < end && !keyIs(text, nodes[3 * m + 1]!, seg)) m = nodes[3 * m + 2]!;
      return m < end ? m : undefined;
    },
    (node) => [nodes[3 * node]!, nodes[3 * node + 1]!],
  );
  return positionedView(file, text, v, find, () => (lines ??= new LineIndex(text)), size);
}
