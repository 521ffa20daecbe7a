/**
 * parseJsonWithPositions parses with JSON.parse and finds a member's offsets only when a pointer
 * goes through its container; the positioned parser (parsePositioned) records every offset as it
 * parses and is what reports a bad text. The two must agree: the same value, the same offsets and
 * line:col for every pointer (and for pointers that go nowhere), the same error where the text is
 * bad — including what JSON.parse lets through (a duplicate key, deep nesting). parseJsonChecked
 * (the check without positions) and parseJsonWithPositions given JSON.parse's value agree too.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJsonChecked, parseJsonWithPositions, parsePositioned, type JsonWithPositions } from '../src/policy/json-positions.js';
import { policySize } from '../src/policy/canonical.js';

const seg = (k: string | number) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

/** Every pointer into a value, plus a missing member under each container. */
function pointers(v: unknown, base = ''): string[] {
  const out = [base];
  if (Array.isArray(v)) {
    v.forEach((e, i) => out.push(...pointers(e, `${base}/${i}`)));
    out.push(`${base}/${v.length}`, `${base}/x`);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, e] of Object.entries(v)) out.push(...pointers(e, `${base}/${seg(k)}`));
    out.push(`${base}/no-such-key`);
  } else out.push(`${base}/0`);
  return out;
}

function errorOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return String((e as Error).message);
  }
}

function agree(text: string): void {
  const fast = errorOf(() => parseJsonWithPositions(text, 'f.json'));
  const slow = errorOf(() => parsePositioned(text, 'f.json'));
  expect(fast).toBe(slow);
  // The check without positions (a streamed lint's first pass) fails as the positioned parse does.
  expect(errorOf(() => parseJsonChecked(text, 'f.json')), 'parseJsonChecked').toBe(slow);
  // Given what JSON.parse gave (a reader parsed it already), the same again.
  let native: { value: unknown } | undefined;
  try {
    native = { value: JSON.parse(text) };
  } catch {
    native = undefined;
  }
  if (native) {
    const given = native;
    expect(errorOf(() => parseJsonWithPositions(text, 'f.json', given)), 'with the value given').toBe(slow);
    expect(errorOf(() => parseJsonChecked(text, 'f.json', given)), 'parseJsonChecked with the value given').toBe(slow);
  }
  if (slow !== undefined) return;
  const a: JsonWithPositions = parseJsonWithPositions(text, 'f.json');
  const b = parsePositioned(text, 'f.json');
  expect(a.value).toEqual(b.value);
  expect(parseJsonChecked(text, 'f.json')).toEqual(b.value);
  const c = parseJsonWithPositions(text, 'f.json', native);
  expect(c.value).toEqual(b.value);
  // The size the scan counts is IAM's (policySize of the text).
  for (const x of [a, c]) if (x.size !== undefined) expect(x.size).toBe(policySize(text));
  for (const p of pointers(b.value)) {
    expect([p, a.offsetsOf(p)]).toEqual([p, b.offsetsOf(p)]);
    expect([p, a.pos(p), a.pos(p, 'key')]).toEqual([p, b.pos(p), b.pos(p, 'key')]);
    expect([p, c.offsetsOf(p), c.pos(p), c.pos(p, 'key')]).toEqual([p, b.offsetsOf(p), b.pos(p), b.pos(p, 'key')]);
  }
}

/** JSON text of a value with random white space between tokens. */
const spaced = fc.tuple(fc.jsonValue({ maxDepth: 5 }), fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r\n  '), { minLength: 1, maxLength: 8 }), fc.nat()).map(([v, gaps, seed]) => {
  let k = seed;
  const gap = () => gaps[k++ % gaps.length]!;
  const out = (x: unknown): string => {
    if (Array.isArray(x)) return `[${gap()}${x.map((e) => out(e) + gap()).join(`,${gap()}`)}]`;
    if (x !== null && typeof x === 'object') return `{${gap()}${Object.entries(x).map(([key, e]) => `${JSON.stringify(key)}${gap()}:${gap()}${out(e)}${gap()}`).join(`,${gap()}`)}}`;
    return JSON.stringify(x);
  };
  return `${gap()}${out(v)}${gap()}`;
});

describe('parseJsonWithPositions agrees with the positioned parser', () => {
  it('on random JSON with random white space (property)', () => {
    fc.assert(fc.property(spaced, (t) => agree(t)), { numRuns: 400 });
  });

  it('on keys and strings with escapes, and on what JSON.parse accepts and the parser refuses', () => {
    for (const t of [
      '{"a\\"b": {"c\\\\": [1, "x\\\\", {"d": "\\"}"}]}, "e": 2}',
      '{"Statement": [{"Sid": "a", "Action": ["s3:*", "ec2:*"]}, {"Sid": "b\\u0041"}]}',
      '{"a": 1, "a": 2}',
      '{"a": {"b": 1, "b": 1}, "c": 3}',
      '\ufeff{"a": 1}',
      '{"__proto__": {"x": 1}, "y": [true, false, null, -0.5e3]}',
      `${'['.repeat(99)}${']'.repeat(99)}`,
      `${'['.repeat(100)}1${']'.repeat(100)}`,
      `${'['.repeat(101)}${']'.repeat(101)}`,
      `${'['.repeat(101)}1${']'.repeat(101)}`,
      `{"a": ${'['.repeat(100)}"x"${']'.repeat(100)}}`,
      '{"a": 1,}',
      '{"a": 1} x',
      '"just a string"',
      '  42  ',
    ])
      agree(t);
  });

  it('on object keys written with escapes and without, looked up by keys that are and are not there (property)', () => {
    const key = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', 'a"b', 'a":"', 'é', '\u0001', 'A'));
    const escaped = (k: string) => JSON.stringify(k).replace(/[a-zA-Z]/, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, fc.boolean()), { maxLength: 6, selector: ([k]) => k }), key, (members, probe) => {
        const text = `{${members.map(([k, esc]) => `${esc ? escaped(k) : JSON.stringify(k)}:""`).join(',')}}`;
        const a = parseJsonWithPositions(text, 'f.json');
        const b = parsePositioned(text, 'f.json');
        for (const k of [...members.map(([k]) => k), probe]) expect([k, a.offsetsOf('/' + seg(k))]).toEqual([k, b.offsetsOf('/' + seg(k))]);
      }),
      { numRuns: 2000 },
    );
    // A key the text after a shorter key's quote starts with: {"a":""} has no key a":".
    const text = '{"a":""}';
    expect(parseJsonWithPositions(text, 'f.json').offsetsOf('/a":"')).toBeUndefined();
    expect(parseJsonWithPositions(text, 'f.json').offsetsOf('/a')).toEqual(parsePositioned(text, 'f.json').offsetsOf('/a'));
  });

  it('on pointer segments that are odd array indexes and odd keys', () => {
    const text = '{"a": [10, [20, 21], {"b": 1}], "": {"": 2}, "x/y": 3, "m~n": 4}';
    const a = parseJsonWithPositions(text, 'f.json');
    const b = parsePositioned(text, 'f.json');
    for (const seg of ['0', '1', '2', '3', '1.5', '0.5', '-1', '-0', '', '01', '1e0', ' 1', '0x1', 'Infinity', 'NaN', 'length', 'b']) {
      for (const p of [`/a/${seg}`, `/a/1/${seg}`, `/a/2/${seg}`]) expect([p, a.offsetsOf(p), a.pos(p), a.pos(p, 'key')]).toEqual([p, b.offsetsOf(p), b.pos(p), b.pos(p, 'key')]);
    }
    for (const p of ['/', '//', '/x~1y', '/m~0n', '/x/y', '/a/0/0']) expect([p, a.offsetsOf(p), a.pos(p), a.pos(p, 'key')]).toEqual([p, b.offsetsOf(p), b.pos(p), b.pos(p, 'key')]);
  });
});
