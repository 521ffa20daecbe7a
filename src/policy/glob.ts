/**
 * IAM wildcard matching: `*` any run of characters, `?` one character, case-insensitive (action
 * names are case-insensitive; for ARNs a case-insensitive test only ever errs towards "matches",
 * which keeps the linter from crying wolf).
 */
const reCache = new Map<string, RegExp>();

export function globRegex(pattern: string): RegExp {
  let re = reCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'is');
    if (reCache.size > 20000) reCache.clear();
    reCache.set(pattern, re);
  }
  return re;
}

/**
 * Most patterns a policy holds are a literal or a literal then one `*` (`s3:Get*`,
 * `arn:aws:s3:::bucket/*`); those are compared without building a regex (each distinct pattern's
 * regex costs a compile, and a lint meets thousands). The comparison folds ASCII case as the
 * regex's `i` flag does; any other character leaves the answer to the regex.
 */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === value || pattern === '*') return true;
  const star = pattern.indexOf('*');
  if (pattern.indexOf('?') < 0 && (star < 0 || star === pattern.length - 1)) {
    const n = star < 0 ? pattern.length : star;
    if (star < 0 ? value.length !== n : value.length < n) return false;
    const same = asciiSameIgnoringCase(pattern, value, n);
    if (same !== undefined) return same;
  }
  return globRegex(pattern).test(value);
}

/**
 * Whether a wildcard pattern matches a value, character for character (no case folding: callers
 * lower-case both). No regex: a pattern tested against a service's action names once would cost
 * a regex compile for a handful of tests.
 */
export function wildcardMatchExact(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let starP = -1;
  let starV = 0;
  while (v < value.length) {
    const c = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (c === 42) {
      starP = p++;
      starV = v;
    } else if (c !== -1 && (c === 63 || c === value.charCodeAt(v))) {
      p++;
      v++;
    } else if (starP >= 0) {
      // Let the last star take one more character and try again from there.
      p = starP + 1;
      v = ++starV;
    } else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/**
 * Whether the first n characters of a and b are equal but for ASCII case; undefined when one is not
 * ASCII before the first difference. A difference between two ASCII characters is final: the
 * regex's case folding maps no other character to an ASCII one, so the answer is no whatever follows.
 */
function asciiSameIgnoringCase(a: string, b: string, n: number): boolean | undefined {
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) {
      if (x > 127) return undefined;
      continue;
    }
    if (x > 127 || y > 127) return undefined;
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/**
 * An action pattern that covers whole services: "*", "svc:*", or one with a wildcard in its service
 * part (wildcard-action and service-wildcard report these; other least-privilege rules skip them).
 * No regex, no split: rules ask it of every action of every statement.
 */
export function wholeServicePattern(a: string): boolean {
  if (a === '*') return true;
  const i = a.indexOf(':');
  const end = i < 0 ? a.length : i;
  for (let k = 0; k < end; k++) {
    const c = a.charCodeAt(k);
    if (c === 42 || c === 63) return true;
  }
  return i > 0 && a.length === i + 2 && a.charCodeAt(i + 1) === 42;
}

/** Policy variables (`${aws:username}`) stand for any text: replace them with `*`. */
export function variablesToWildcards(s: string): string {
  return s.replace(/\$\{[^}]*\}/g, (m) => (m === '${*}' ? '*' : m === '${?}' ? '?' : m === '${$}' ? '$' : '*'));
}

/**
 * Whether two wildcard patterns can match a common string (both may contain `*` and `?`).
 * Dynamic programming over (i, j); case-insensitive.
 */
/** In `b` only: a wildcard that matches no "/" or ":" (ARN format variables: partition, region, account, bucket name). */
export const SEG = '\u0001';
/** In `b` only: a wildcard that matches no ":" (ARN format variables naming a resource). */
export const SEG_NC = '\u0002';

const NO_SLASH_VARS = new Set(['${Partition}', '${Region}', '${Account}', '${BucketName}']);

/**
 * An ARN format from the Service Authorization Reference as a pattern of what real ARNs look like:
 * partition, region, account and bucket name hold neither ":" nor "/"; other identifiers may hold
 * anything (log-group ARNs end in ":*", object keys hold ":").
 */
export function arnFormatGlob(format: string): string {
  return format.replace(/\$\{[^}]*\}/g, (v) => (NO_SLASH_VARS.has(v) ? SEG : '*'));
}

/** arn:partition:service:region:account:resource → six parts (the resource keeps its colons). */
export function arnParts(a: string): string[] | undefined {
  const parts = a.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** Part-by-part intersection (wildcards do not span the first five parts); whole-string when not ARN-shaped. */
export function arnPartsIntersect(a: string, b: string): boolean {
  const pa = arnParts(a);
  const pb = arnParts(b);
  if (!pa || !pb) return globsIntersect(a, b);
  return pa.every((p, i) => globsIntersect(p, pb[i]!));
}

// Character codes for globsIntersect (it compares codes, not one-character strings).
const STAR = 42;
const QMARK = 63;
const COLON = 58;
const SLASH = 47;
const SEG_CODE = 1;
const SEG_NC_CODE = 2;
/** globsIntersect's two rows, reused across calls (grown when a pattern is longer). */
let rowA = new Uint8Array(128);
let rowB = new Uint8Array(128);

export function globsIntersect(a: string, b: string): boolean {
  const A = a.toLowerCase();
  const B = b.toLowerCase();
  // Literal heads and tails must agree character for character (a common string starts with
  // both heads and ends with both tails); what lies between is left to the table. Most pairs a
  // lint meets differ in the service or resource name and are decided here.
  let as = 0;
  let bs = 0;
  let ae = A.length;
  let be = B.length;
  while (as < ae && bs < be) {
    const ca = A.charCodeAt(as);
    const cb = B.charCodeAt(bs);
    if ((cb === SEG_CODE || cb === SEG_NC_CODE) && bs + 1 < be && B.charCodeAt(bs + 1) === COLON) {
      // B's restricted wildcard then ":" (an ARN format's partition, region or account) facing a
      // run of A without wildcards up to a ":": it cannot take a ":", so it takes exactly that run
      // (SEG only when the run holds no "/").
      let k = as;
      let c = 0;
      while (k < ae && (c = A.charCodeAt(k)) !== COLON && c !== STAR && c !== QMARK && !(c === SLASH && cb === SEG_CODE)) k++;
      if (k === ae || c !== COLON) {
        if (k < ae && c === SLASH) return false;
        break;
      }
      as = k;
      bs++;
      continue;
    }
    if (isWild(ca) || isWild(cb)) break;
    if (ca !== cb) return false;
    as++;
    bs++;
  }
  while (as < ae && bs < be) {
    const ca = A.charCodeAt(ae - 1);
    const cb = B.charCodeAt(be - 1);
    if (isWild(ca) || isWild(cb)) break;
    if (ca !== cb) return false;
    ae--;
    be--;
  }
  return intersectTable(A, as, ae, B, bs, be);
}

/** A character either side may treat as a wildcard (`*`, `?`, and in `b` SEG and SEG_NC). */
function isWild(c: number): boolean {
  return c === STAR || c === QMARK || c === SEG_CODE || c === SEG_NC_CODE;
}

/**
 * Whether A[as..ae) and B[bs..be) (lower-case) can match a common string: dynamic programming over
 * (i, j), row by row. A row is computed only over the band of columns the previous row reaches
 * (a cell depends on the cells above, above-left and left of it): left of the band it is all
 * unreachable, and right of it once neither the row above nor the cell to the left is.
 */
function intersectTable(A: string, as: number, ae: number, B: string, bs: number, be: number): boolean {
  const n = ae - as;
  const m = be - bs;
  if (rowA.length <= m) {
    rowA = new Uint8Array(2 * (m + 1));
    rowB = new Uint8Array(2 * (m + 1));
  }
  // reach[i][j]: prefixes A[0..i) and B[0..j) can be consumed together. Two rows; in the row
  // above, only columns lo..hi are reachable, and only those cells are read from it.
  let prev = rowA;
  let cur = rowB;
  // Row 0: A empty; B's leading stars can match empty.
  prev[0] = 1;
  let lo = 0;
  let hi = 0;
  while (hi < m && isBStar(B.charCodeAt(bs + hi))) prev[++hi] = 1;
  for (let i = 1; i <= n; i++) {
    const ca = A.charCodeAt(as + i - 1);
    const aStar = ca === STAR;
    let nlo = -1;
    let nhi = -1;
    // reach[i][j - 1], carried along the row.
    let left = 0;
    let j = lo;
    if (lo === 0) {
      left = aStar ? 1 : 0;
      cur[0] = left;
      if (left) nlo = nhi = 0;
      j = 1;
    }
    for (; j <= m; j++) {
      if (j > hi + 1 && !left) break;
      const up = j <= hi ? prev[j]! : 0;
      const diag = j - 1 >= lo && j - 1 <= hi ? prev[j - 1]! : 0;
      const cb = B.charCodeAt(bs + j - 1);
      const bSeg = cb === SEG_CODE || cb === SEG_NC_CODE;
      let v = 0;
      if (bSeg && !aStar) {
        // B's restricted wildcard: empty, or absorbs A's char unless it is ':' (or '/' for SEG).
        if (left || (up && ca !== COLON && (cb === SEG_NC_CODE || ca !== SLASH))) v = 1;
      } else if (aStar) {
        // A's star matches empty (from [i-1][j]) or absorbs B[j-1] (from [i][j-1]).
        if (up || left) v = 1;
      } else if (cb === STAR) {
        if (left || up) v = 1;
      } else if (diag && (ca === cb || ca === QMARK || cb === QMARK)) v = 1;
      cur[j] = v;
      left = v;
      if (v) {
        if (nlo < 0) nlo = j;
        nhi = j;
      }
    }
    // Nothing reachable in this row: nothing is in any later row either.
    if (nlo < 0) return false;
    const t = prev;
    prev = cur;
    cur = t;
    lo = nlo;
    hi = nhi;
  }
  return m >= lo && m <= hi && prev[m] === 1;
}

/** A character of B that can match empty: `*`, SEG, SEG_NC. */
function isBStar(c: number): boolean {
  return c === STAR || c === SEG_CODE || c === SEG_NC_CODE;
}
