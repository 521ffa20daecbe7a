/**
 * src/policy/glob.ts helpers the lint rules use on every action: checked against their plain
 * definitions (regex and split) on generated patterns.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { globMatch, globRegex, globsIntersect, hasWildcard, SEG, SEG_NC, wholeServicePattern, wildcardMatchExact } from '../src/policy/glob.js';

/** The definition wildcard-resource and permissions-management used before (regex and split). */
function byDefinition(a: string): boolean {
  return a === '*' || /^[^:]+:\*$/.test(a) || hasWildcard(a.split(':')[0] ?? '');
}

describe('globMatch', () => {
  // Its fast paths (a literal, a literal then one `*`) must answer as the regex does, case folding
  // included: the Kelvin sign and the dotless i fold to ASCII under toLowerCase/toUpperCase, not under /i.
  const chars = fc.constantFrom('s', 'S', '3', ':', 'g', 'G', 'e', 't', '/', '*', '?', '-', 'K', 'k', '\u212a', 'i', 'I', '\u0131', 'ß', 'é', 'É', '\n');
  const str = (max: number) => fc.array(chars, { maxLength: max }).map((cs) => cs.join(''));
  const byRegex = (p: string, v: string) => globRegex(p).test(v);

  it('answers as its regex on generated patterns and values', () => {
    fc.assert(fc.property(str(6), str(8), (p, v) => globMatch(p, v) === byRegex(p, v)), { numRuns: 4000 });
    // A value made from the pattern (wildcards filled, case changed) exercises the matching side.
    const near = str(6).chain((p) => fc.tuple(fc.constant(p), fc.constantFrom(p, p.toUpperCase(), p.toLowerCase(), p.replace('*', 'xY'), p.slice(0, -1), p + 'Z')));
    fc.assert(fc.property(near, ([p, v]) => globMatch(p, v) === byRegex(p, v)), { numRuns: 4000 });
  });

  it('table', () => {
    const cases: Array<[string, string, boolean]> = [
      ['s3:GetObject', 's3:getobject', true],
      ['s3:Get*', 's3:GETOBJECT', true],
      ['s3:Get*', 's3:Ge', false],
      ['s3:Get*', 's3:PutObject', false],
      ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/', true],
      ['k', '\u212a', false],
      ['i', '\u0131', false],
      ['caf\u00e9', 'CAF\u00c9', true],
      ['*', '', true],
      ['a?c', 'abc', true],
    ];
    for (const [p, v, want] of cases) {
      expect(globMatch(p, v), `${p} ~ ${v}`).toBe(want);
      expect(byRegex(p, v), `regex ${p} ~ ${v}`).toBe(want);
    }
  });
});

describe('wholeServicePattern', () => {
  it('names the patterns that cover whole services', () => {
    for (const a of ['*', 's3:*', 's*:GetObject', '?3:Get*', '*:*', 'ec2*']) expect(wholeServicePattern(a), a).toBe(true);
    for (const a of ['s3:Get*', 's3:GetObject', 's3:*Object', 'a:b:*', ':*', 's3:**', 's3', '']) expect(wholeServicePattern(a), a).toBe(false);
  });

  it('agrees with the regex-and-split definition', () => {
    const part = fc.array(fc.constantFrom('s', '3', '*', '?', ':', 'G', '-'), { maxLength: 8 }).map((cs) => cs.join(''));
    fc.assert(fc.property(part, (a) => wholeServicePattern(a) === byDefinition(a)), { numRuns: 2000 });
  });
});

/** globsIntersect as first written (string cells, a fresh row pair per call): the reference. */
function intersectReference(a: string, b: string): boolean {
  const A = a.toLowerCase();
  const B = b.toLowerCase();
  const n = A.length;
  const m = B.length;
  let prev = new Uint8Array(m + 1);
  let cur = new Uint8Array(m + 1);
  prev[0] = 1;
  for (let j = 1; j <= m; j++) prev[j] = prev[j - 1]! && (B[j - 1] === '*' || B[j - 1] === SEG || B[j - 1] === SEG_NC) ? 1 : 0;
  for (let i = 1; i <= n; i++) {
    const ca = A[i - 1]!;
    cur.fill(0);
    cur[0] = prev[0]! && ca === '*' ? 1 : 0;
    for (let j = 1; j <= m; j++) {
      const cb = B[j - 1]!;
      let v = 0;
      if ((cb === SEG || cb === SEG_NC) && ca !== '*') {
        if (cur[j - 1] || (prev[j] && ca !== ':' && (cb === SEG_NC || ca !== '/'))) v = 1;
        cur[j] = v;
        continue;
      }
      if (ca === '*' && (cb === SEG || cb === SEG_NC)) {
        if (prev[j] || cur[j - 1]) v = 1;
        cur[j] = v;
        continue;
      }
      if (ca === '*' && (prev[j] || cur[j - 1])) v = 1;
      if (!v && cb === '*' && (cur[j - 1] || prev[j])) v = 1;
      if (!v && ca !== '*' && cb !== '*' && prev[j - 1] && (ca === cb || ca === '?' || cb === '?')) v = 1;
      cur[j] = v;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m] === 1;
}

describe('wildcardMatchExact', () => {
  it('answers as the glob regex on lower-case text (where case folding changes nothing)', () => {
    const text = (chars: string[], max: number) => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((cs) => cs.join(''));
    const p = text(['a', 'b', 'c', '*', '?', '.', '+', '\n', ':'], 8);
    const v = text(['a', 'b', 'c', '.', '+', '\n', ':'], 10);
    fc.assert(fc.property(p, v, (x, y) => wildcardMatchExact(x, y) === globRegex(x).test(y)), { numRuns: 5000 });
    const near = v.chain((y) => fc.tuple(fc.constantFrom(y, `${y}*`, `*${y}`, y.replace(/./, '?'), `${y.slice(0, 2)}*${y.slice(4)}`, `*${y.slice(1, 3)}*`), fc.constant(y)));
    fc.assert(fc.property(near, ([x, y]) => wildcardMatchExact(x, y) === globRegex(x).test(y)), { numRuns: 3000 });
  });
});

describe('globsIntersect', () => {
  it('decides as the reference does, on patterns of every length (the rows it reuses grow)', () => {
    const text = (chars: string[], max: number) => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((cs) => cs.join(''));
    const a = text(['a', 'B', ':', '/', '*', '?'], 12);
    const b = text(['a', 'b', ':', '/', '*', '?', SEG, SEG_NC], 12);
    fc.assert(fc.property(a, b, (x, y) => globsIntersect(x, y) === intersectReference(x, y)), { numRuns: 5000 });
    fc.assert(fc.property(text(['a', '*', ':'], 300), text(['a', '*', SEG, ':'], 300), (x, y) => globsIntersect(x, y) === intersectReference(x, y)), { numRuns: 200 });
  });

  it('decides as the reference does when literal heads and tails are shared or differ (it compares those first)', () => {
    const text = (chars: string[], max: number) => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((cs) => cs.join(''));
    const literal = text(['a', 'A', 'b', ':', '/', '\u0130', 'K', '\u212a'], 6);
    const a = text(['a', 'B', ':', '/', '*', '?'], 8);
    const b = text(['a', 'b', ':', '/', '*', '?', SEG, SEG_NC], 8);
    const pairs = fc.tuple(literal, literal, literal, literal, a, b, fc.boolean(), fc.boolean()).map(([h1, h2, t1, t2, x, y, sameHead, sameTail]) => [`${h1}${x}${t1}`, `${sameHead ? h1.toUpperCase() : h2}${y}${sameTail ? t1 : t2}`] as const);
    fc.assert(fc.property(pairs, ([x, y]) => globsIntersect(x, y) === intersectReference(x, y)), { numRuns: 5000 });
  });

  it('reads ARN formats as real ARNs look', () => {
    expect(globsIntersect('arn:aws:s3:::my-bucket/*', `arn:${SEG}:s3:::${SEG}/*`)).toBe(true);
    expect(globsIntersect('arn:aws:s3:::my-bucket/*', `arn:${SEG}:ec2:${SEG}:${SEG}:instance/*`)).toBe(false);
    expect(globsIntersect('arn:aws:logs:*:*:*', `arn:${SEG}:logs:${SEG}:${SEG}:log-group:*`)).toBe(true);
  });
});
