/**
 * Secret detection and redaction: the one place that knows what a secret looks like. Every output
 * path (CLI errors, plan files, lint messages) passes text through redactSecrets. The linter uses
 * findSecrets to locate secrets in user-data and tags; it reports the kind and the place, never
 * the value.
 */
export interface SecretPattern {
  id: string;
  description: string;
  re: RegExp;
  /** Literals one of which every match contains (a text with none is not scanned for the pattern). */
  hints: readonly string[];
}

/**
 * Unambiguous formats: safe to redact anywhere. Their prefixes have no word boundary before them:
 * an access key id inside a longer token (a Sid `ReadWithAKIA…`), a token after a JSON `\n` escape.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { id: 'aws-access-key-id', description: 'AWS access key id', re: /(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{16}/g, hints: ['AKIA', 'ASIA', 'AIDA', 'AROA', 'ABIA', 'ACCA'] },
  { id: 'aws-secret-access-key', description: 'AWS secret access key', re: /(aws_secret_access_key|AWS_SECRET_ACCESS_KEY|SecretAccessKey|secret_?key)(["'\s]*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g, hints: ['aws_secret_access_key', 'AWS_SECRET_ACCESS_KEY', 'SecretAccessKey', 'secret_key', 'secretkey'] },
  // STS session tokens start with the base64 of their version header (`FwoGZXIvYXdzE…`, `IQoJb3JpZ2luX2Vj…`).
  { id: 'aws-session-token', description: 'AWS session token', re: /(?:FwoGZXIvYXdzE|IQoJb3JpZ2luX2Vj|AQoDYXdzE|AQoEXAMPLE)[A-Za-z0-9/+=]{16,}/g, hints: ['FwoGZXIvYXdzE', 'IQoJb3JpZ2luX2Vj', 'AQoDYXdzE', 'AQoEXAMPLE'] },
  // RSA, EC, DSA, OpenSSH, PKCS#8 (ENCRYPTED) and PGP blocks. A block with no END line runs to the
  // end of the text or of the (JSON, YAML) string it is in.
  { id: 'private-key', description: 'private key block', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?=["'`])|$)/g, hints: ['-----BEGIN '] },
  { id: 'github-token', description: 'GitHub token', re: /(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|github_pat_[A-Za-z0-9_]{50,}\b/g, hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'] },
  { id: 'gitlab-token', description: 'GitLab token', re: /gl(?:pat|dt|rt|ptt|cbt|imt|oas|ft|soat|agent)-[A-Za-z0-9_-]{20,}|GR1348941[A-Za-z0-9_-]{20,}/g, hints: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glimt-', 'gloas-', 'glft-', 'glsoat-', 'glagent-', 'GR1348941'] },
  { id: 'slack-token', description: 'Slack token', re: /xox[abposre]-[A-Za-z0-9-]{10,}\b|xapp-\d-[A-Za-z0-9-]{10,}\b|https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{16,}/g, hints: ['xox', 'xapp-', 'https://hooks.slack.com/'] },
  { id: 'stripe-live-key', description: 'Stripe live key', re: /[sr]k_live_[A-Za-z0-9]{16,}\b/g, hints: ['sk_live_', 'rk_live_'] },
  { id: 'google-api-key', description: 'Google API key', re: /AIza[0-9A-Za-z_-]{35}\b/g, hints: ['AIza'] },
];

/**
 * Credentials in a URL: `scheme://user:password@host`. Group 2 (user:password) is the secret; an
 * expansion (`${TOKEN}`, `$PASS`) is not a value.
 */
const URL_CREDENTIALS_RE = /\b([a-z][a-z0-9+.-]{1,20}:\/\/)([^\s:@/?#"'`<>\\]+:[^\s@/?#"'`<>\\]+)@/gi;

/**
 * Redact every secret findSecrets recognises — the one redaction function. Every output passes
 * through it at its boundary: the CLI's stdout and stderr writers (src/cli/output.ts), the plan
 * model and plan files, compile --out's review files, baselines and the apply journal. Each secret
 * becomes a marker that names its kind, never its value.
 */
export function redactSecrets(text: string): string {
  const hits = findSecrets(text);
  if (hits.length === 0) return text;
  let out = '';
  let at = 0;
  for (const h of hits) {
    out += text.slice(at, h.index) + `[REDACTED:${h.id}]`;
    at = h.index + h.length;
  }
  return out + text.slice(at);
}

export interface SecretHit {
  id: string;
  description: string;
  /** Offset and length of the secret value in the scanned text. */
  index: number;
  length: number;
}

/**
 * A literal assigned to a secret-looking name: `API_KEY=sk-abc123xyz789`, `password: "hunter22"`,
 * `export DB_PASSWORD='…'`. Values that are expansions ($VAR, $(cmd), ${…}), placeholders
 * (<…>, ..., xxx), ARNs or file paths are not secrets, nor are values shorter than 8 characters
 * (6 for a password). A `:` assigns only as YAML, JSON or JS does — with white space or a quote after
 * it, or after a quoted key: `secret:prod/db` in a Secrets Manager ARN and `eks-auth:AssumeRoleForPodIdentity`
 * (an IAM action) are names, not assignments.
 * Groups: 1 name, 2 quote closing the key, 3 `:` or `=`, 4 white space after it, 5 opening quote, 6 value.
 * Quotes may be escaped (`\\"`): the same text inside a JSON string, as plans and lint JSON show it.
 */
const ASSIGNMENT_RE = /\b([A-Za-z0-9_]*?(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|passwd|pwd|private[_-]?key|client[_-]?secret|auth))\b(\\?["']|)\s*([:=])(\s*)(\\?["']|)([^\s"'`$;|&<>(){}\\]{6,})\5/gi;
const PASSWORD_NAME_RE = /(?:passw(?:or)?d|passwd|pwd)$/i;
const REFERENCE_RE = /^(?:arn:|(?:~|\.{1,2})?\/[\w.\/-]*$)/;
const PLACEHOLDER_RE = /^(?:x+|\*+|\.{3}|changeme|change[_-]?me|placeholder|example\S*|your[_-]\S*|redacted|none|null|true|false|undefined)$/i;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A long random-looking token: mixed case and digits, high entropy, not a hex digest, not a name made of words. */
export function isHighEntropyToken(t: string): boolean {
  return t.length >= 32 && TOKEN_MIX_RE.test(t) && !isWordyName(t) && entropy(t) >= 4.3;
}

/**
 * isHighEntropyToken's cheap tests, in one regex: not all hex digits (a sha256 pin, a hash), an
 * uppercase letter, a lowercase letter and a digit, at most two `/` (more: a path). Nearly every
 * long run on a corpus lint fails one (file paths, fingerprints, CamelCase action names): one
 * native test each, where five (or a loop over the run, which runs cold) took longer (measured).
 */
const TOKEN_MIX_RE = /^(?![0-9a-fA-F]*$)(?=[^A-Z]*[A-Z])(?=[^a-z]*[a-z])(?=[^0-9]*[0-9])(?!(?:[^/]*\/){3})/;

/**
 * A CamelCase name built of words — `AmazonRedshiftQueryEditorV2NonResourceLevelPermissions`,
 * `AWSServiceRoleForEC2FastLaunch` (Sids, role and document names): at least 60% of its letters and
 * digits stand in pronounceable words (`Word` or `word`, 3+ letters, a vowel, no 4 consonants in a
 * row) and at most one lowercase letter stands outside a word. About 4 in 100,000 random base62 or
 * base64 tokens pass this too (measured), far fewer than the entropy and mixed-case checks let by.
 */
function isWordyName(t: string): boolean {
  let inWords = 0;
  let lowerInWords = 0;
  for (const [w] of t.matchAll(/[A-Z][a-z]{2,}|[a-z]{3,}/g)) {
    lowerInWords += /[a-z]/.test(w[0]!) ? w.length : w.length - 1;
    if (/[aeiouy]/i.test(w) && !/[^aeiouy]{4,}/i.test(w)) inWords += w.length;
  }
  const lower = (t.match(/[a-z]/g) ?? []).length;
  const alnum = (t.match(/[A-Za-z0-9]/g) ?? []).length;
  return lower - lowerInWords <= 1 && inWords >= 0.6 * alnum;
}

/** Is text[index] inside an ARN (`arn:partition:service:…` with no break before it)? ARNs name things; they hold no secrets. */
function insideArn(text: string, index: number): boolean {
  let start = index;
  while (start > 0 && !/[\s"'`,=[\]{}()<>]/.test(text[start - 1]!)) start--;
  return /^arn:[\w*-]*:[\w*-]*:/.test(text.slice(start, index));
}

/**
 * A value under `sts:ExternalId` (a condition key in JSON, `externalId:` in a spec) just before
 * `index`: not a secret by AWS's own definition (it is shared with the third party and shown in
 * its console), so a high-entropy ExternalId stays visible. Specific formats (an access key id
 * pasted there) are still redacted.
 */
const EXTERNAL_ID_BEFORE_RE = /(?:sts:ExternalId|\bexternalId)(?:\\?["'])?\s*[:=]\s*(?:\[\s*)?(?:\\?["'][^"'\n]*?\\?["']\s*,\s*)*(?:\\?["'])?$/i;
function isExternalIdValue(text: string, index: number): boolean {
  return EXTERNAL_ID_BEFORE_RE.test(text.slice(Math.max(0, index - 400), index));
}

/**
 * charter's own identifiers, printed by design: EC2 client tokens (`ch-<group>-<index>-<32 hex>`)
 * and generated names ending in a hash (`<prefix>-<service>-<8 hex>`).
 */
const CHARTER_ID_RE = /^(?:ch-[A-Za-z0-9-]*-\d+-[0-9a-f]{32}|[A-Za-z0-9_.-]*-[0-9a-f]{8,64})$/;

/**
 * Every secret found in a text (overlaps removed, in text order), URL-encoded ones included — also
 * encoded twice or three times (`%253A`: a URL-encoded value inside a GitHub annotation, which
 * escapes `%` as `%25`).
 */
export function findSecrets(text: string): SecretHit[] {
  return findSecretsIn(text, 0);
}

/**
 * Whether redactSecrets(text) has the text's own lines at `ranges` (1-based, inclusive; clamped to
 * the text) and as many lines in all: true only when it does — so those lines can be shown as read,
 * without redacting the whole text (a code frame shows three lines of a file) — false when it may not.
 *
 * Why looking at those lines is enough. Every hit but a private key block (`-----BEGIN `: false)
 * lies within one line (a value, a token, a URL-encoded run, a known format: none holds a line
 * end), so redaction keeps the line count and changes only lines that hold a hit. Every match that
 * finds a hit lies within one line too, or is an assignment (or secret key) whose `:`/`=` has a
 * line end in the white space (or quotes) before or after it. So each range is scanned alone, with
 * findSecrets: it finds every hit the whole text has there, once no match reaches into it from
 * before — the text before ends in `:`/`=` and white space, or the range starts with white space
 * and quotes and then `:`/`=` (false). Context it lacks only adds hits (an ExternalId's value is
 * told from what stands before it), and a match that runs on past its end has its value after it:
 * any hit in a range, and the answer is false.
 */
export function linesHoldNoSecret(text: string, ranges: ReadonlyArray<{ from: number; to: number }>): boolean {
  if (text.includes('-----BEGIN ')) return false;
  // The lines as far as the last one a range asks for: the rest of the text is not split. `lines`
  // is shorter than that only when the text is, and then it holds every line.
  let last = 0;
  for (const r of ranges) if (r.to > last) last = r.to;
  return rangesHoldNoSecret(text.split('\n', Math.min(last, 2 ** 32 - 1)), ranges);
}

/**
 * linesHoldNoSecret's check of the ranges (1-based, inclusive) over a text's lines: `lines` holds
 * at least every line a range asks for, or all of the text's lines. The text must hold no
 * `-----BEGIN ` (its caller's check).
 */
export function rangesHoldNoSecret(lines: readonly string[], ranges: ReadonlyArray<{ from: number; to: number }>): boolean {
  const sorted = ranges
    .map((r) => ({ from: Math.max(1, r.from), to: Math.min(lines.length, r.to) }))
    .filter((r) => r.from <= r.to)
    .sort((a, b) => a.from - b.from);
  for (let i = 0; i < sorted.length; ) {
    const from = sorted[i]!.from;
    let to = sorted[i]!.to;
    // Ranges that overlap or touch are scanned as one.
    for (i++; i < sorted.length && sorted[i]!.from <= to + 1; i++) to = Math.max(to, sorted[i]!.to);
    let before = from - 2;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    if (before >= 0 && /[:=]$/.test(lines[before]!.trimEnd())) return false;
    const scanned = from === to ? lines[from - 1]! : lines.slice(from - 1, to).join('\n');
    if (/^["'\s]*[:=]/.test(scanned) || findSecrets(scanned).length > 0) return false;
  }
  return true;
}

const MAX_DECODE_DEPTH = 3;
/** A URL escape: what makes a run of URL characters an escaped run (escapedRuns). */
const ESCAPE_RE = /%[0-9A-Fa-f]{2}/;

function findSecretsIn(text: string, depth: number): SecretHit[] {
  const hits = findPlainSecrets(text);
  // A text with no `%XX` holds no escape (escapedRuns finds none): the scan below is not made (SARIF
  // reports hold a `%` in every result, `%SRCROOT%`, and no escape). `%` first: the cheaper test,
  // and most texts (a lint's messages) have none.
  if (depth >= MAX_DECODE_DEPTH || !text.includes('%') || !ESCAPE_RE.test(text)) return hits;
  // URL-encoded secrets (`%2F`, `%2B`, `%3D`, `%40` …): decode each run that has an escape, scan the
  // decoded text (itself decoded again if it still holds escapes), and map what is found back onto
  // the encoded run.
  for (const m of escapedRuns(text)) {
    const run = m[0];
    let decoded = '';
    const from: number[] = []; // decoded offset → offset in run
    for (let i = 0; i < run.length; ) {
      from.push(i);
      if (run[i] === '%' && /^[0-7][0-9A-Fa-f]$/.test(run.slice(i + 1, i + 3))) {
        decoded += String.fromCharCode(parseInt(run.slice(i + 1, i + 3), 16));
        i += 3;
      } else decoded += run[i++];
    }
    from.push(run.length);
    for (const h of findSecretsIn(decoded, depth + 1)) {
      const start = m.index + from[h.index]!;
      hits.push({ ...h, index: start, length: m.index + from[h.index + h.length]! - start });
    }
  }
  return dropOverlaps(hits);
}

/** URL characters (unreserved, sub-delims, `:`, `@`, `/`) by char code: what a URL-encoded run is made of besides `%XX`. */
const URL_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~+/=:@!$&'()*,;-") URL_CHAR[c.charCodeAt(0)] = 1;
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * The matches of `/(?:[url]|%XX)*%XX(?:[url]|%XX)*\/g`: every maximal run of URL characters and
 * `%XX` escapes that holds an escape, in one pass (the regex re-scans a long run from each of its
 * positions). A `%` is an escape only with two hex digits after it; any other `%` ends a run.
 */
export function escapedRuns(text: string): Array<{ 0: string; index: number }> {
  const out: Array<{ 0: string; index: number }> = [];
  const n = text.length;
  let start = 0;
  let escaped = false;
  for (let i = 0; i <= n; ) {
    const c = i < n ? text.charCodeAt(i) : -1;
    if (c >= 0 && c < 128 && URL_CHAR[c] === 1) {
      i++;
      continue;
    }
    if (c === 37 && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      escaped = true;
      i += 3;
      continue;
    }
    if (escaped) out.push({ 0: text.slice(start, i), index: start });
    escaped = false;
    start = ++i;
  }
  return out;
}

/** Any hint of any specific pattern: one scan tells whether the nine patterns need running. */
const SPECIFIC_HINT_RE = new RegExp(SECRET_PATTERNS.flatMap((p) => p.hints.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('|'));

function findPlainSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  if (SPECIFIC_HINT_RE.test(text)) for (const p of SECRET_PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      if (p.id === 'aws-secret-access-key') {
        const valueStart = m.index + m[1]!.length + m[2]!.length;
        hits.push({ id: p.id, description: p.description, index: valueStart, length: m[0].length - m[1]!.length - m[2]!.length });
      } else hits.push({ id: p.id, description: p.description, index: m.index, length: m[0].length });
    }
  }
  const urls = urlCredentialMatches(text);
  for (let i = 0; i < urls.length; i++) {
    const m = urls[i]!;
    const cred = m[2]!;
    const password = cred.slice(cred.indexOf(':') + 1);
    if (password.startsWith('$') || PLACEHOLDER_RE.test(password)) continue;
    hits.push({ id: 'url-credentials', description: 'credentials in a URL', index: m.index + m[1]!.length, length: cred.length });
  }
  const assignments = assignmentMatches(text);
  for (let i = 0; i < assignments.length; i++) {
    const m = assignments[i]!;
    const [, name = '', keyQuote, sep, space, quote = '', value = ''] = m;
    if (sep === ':' && !keyQuote && !space && !quote) continue; // `service:Action`, `…:secret:name` in an ARN: not an assignment
    if (value.length < (PASSWORD_NAME_RE.test(name) ? 6 : 8)) continue;
    if (PLACEHOLDER_RE.test(value) || REFERENCE_RE.test(value) || CHARTER_ID_RE.test(value)) continue;
    if (!/[0-9]/.test(value) && !/[^A-Za-z]/.test(value) && value.length < 16) continue; // a plain word
    if (value.startsWith('[REDACTED:')) continue;
    if (insideArn(text, m.index)) continue;
    const start = m.index + m[0].length - value.length - quote.length;
    hits.push({ id: 'hardcoded-credential', description: `credential assigned to ${name}`, index: start, length: value.length });
  }
  pushHighEntropyTokens(text, hits);
  return dropOverlaps(hits);
}

/*
 * The generic scans below find exactly what `text.matchAll` of their regex would (the regexes
 * stay the definition; test/secrets-scan.test.ts checks the equivalence on random text against
 * the whole-text scan), but run the regex only where a match can start, found by a cheaper scan:
 * the output they guard is megabytes of lint JSON on a corpus run, nearly all of it with no
 * candidate at all. They return plain arrays (no generator: they run on every string a lint
 * reports, cold), the same empty one when there is no match.
 */
const NO_MATCH: readonly RegExpExecArray[] = [];

/** The class of a token ([A-Za-z0-9+/_=-]) by char code. */
const TOKEN_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_=-') TOKEN_CHAR[c.charCodeAt(0)] = 1;

const isTokenChar = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c < 128 && TOKEN_CHAR[c] === 1;
};

/**
 * The high-entropy tokens among the long tokens (the matches of `/[A-Za-z0-9+/_=-]{32,}/g`: every
 * maximal run of the class 32 or more long), pushed onto `hits`.
 */
function pushHighEntropyTokens(text: string, hits: SecretHit[]): void {
  for (let start = nextTokenRun(text, 0), end = 0; start >= 0; start = nextTokenRun(text, end + 1)) {
    // The run holds [start, start + 32) at least: its end is looked for from there.
    end = tokenRunEnd(text, start + 31);
    const t = text.slice(start, end);
    if (isHighEntropyToken(t) && !insideArn(text, start) && !isExternalIdValue(text, start)) hits.push({ id: 'high-entropy-token', description: 'high-entropy token', index: start, length: t.length });
  }
}

/**
 * The long tokens: nextTokenRun gives the start of the first at or after `from` (a position just
 * past a character outside the class, or 0), -1 when there is none; tokenRunEnd its end. One pass
 * that looks at the 32nd character ahead first (no run of 32 can start before a character outside
 * the class), where the regex re-tries each position of a shorter run. Small functions, the class
 * test in one: cold, they are compiled sooner than the same loops written out in one function
 * (measured).
 */
function nextTokenRun(text: string, from: number): number {
  const n = text.length;
  // Invariant: text[i - 1] is not a token character. A run of 32 from [i, i + 31] covers i + 31.
  for (let i = from; i + 32 <= n; ) {
    const last = i + 31;
    if (!isTokenChar(text, last)) {
      i = last + 1;
      continue;
    }
    const end = tokenRunEnd(text, last);
    // The run starts at i or later: one ending before i + 32 is short, and its start is not looked for.
    if (end - i >= 32) {
      let start = last;
      while (start > i && isTokenChar(text, start - 1)) start--;
      if (end - start >= 32) return start;
    }
    i = end + 1;
  }
  return -1;
}

/** The end of the run of token characters at `i`. */
function tokenRunEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n && isTokenChar(text, i)) i++;
  return i;
}

const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** ASSIGNMENT_RE anchored (sticky), tried only where a match can start. */
const ASSIGNMENT_AT = new RegExp(ASSIGNMENT_RE.source, 'iy');
/** The secret-looking names ASSIGNMENT_RE's group 1 ends with: every match holds one. */
const SECRET_NAME_RE = /api[_-]?key|apikey|secret|token|passw(?:or)?d|passwd|pwd|private[_-]?key|client[_-]?secret|auth/gi;
/** `\s` beyond ASCII (ASCII's are tested by code). */
const SPACE_RE = /\s/;

/**
 * The matches of ASSIGNMENT_RE. A match starts at a word boundary, then `[A-Za-z0-9_]*?` and a
 * name: so it starts at the beginning of the word-character run that leads into an occurrence of a
 * name (at the occurrence itself when a non-word character precedes it). Each such start, in text
 * order and at or past the previous match's end, is tried with the sticky regex: the first that
 * matches is the leftmost match the global regex finds.
 *
 * Before the regex, the character after the run: the name (group 1) ends at a word boundary, so
 * at the run's end unless it goes on past it with a `-` (`api-key`, `client-secret`); there
 * group 2 (`\\?["']`), else `\s*` and `[:=]`, must begin. A run followed by anything else
 * (`GetSecretValue"`, `secretsmanager.`) starts no match, and neither does any later name inside
 * the same run (the same start): the scan goes on from its end.
 */
function assignmentMatches(text: string): readonly RegExpExecArray[] {
  let out: RegExpExecArray[] | undefined;
  // One regex for every call (its lastIndex set here): each call's matches are all taken before the next call.
  const names = SECRET_NAME_RE;
  names.lastIndex = 0;
  let from = 0; // end of the previous match
  const n = text.length;
  for (let k = names.exec(text); k; k = names.exec(text)) {
    let s = k.index;
    while (s > 0 && isWordChar(text.charCodeAt(s - 1))) s--;
    let e = k.index + 1;
    while (e < n && isWordChar(text.charCodeAt(e))) e++;
    // Every later occurrence inside this run has the same start: the next to try is past the run.
    names.lastIndex = e;
    if (s < from) continue;
    const c = e < n ? text.charCodeAt(e) : -1;
    // `-`, `\`, `"`, `'`, `:`, `=`, or white space (\s).
    if (!(c === 45 || c === 92 || c === 34 || c === 39 || c === 58 || c === 61 || c === 32 || (c >= 9 && c <= 13) || (c > 127 && SPACE_RE.test(text[e]!)))) continue;
    ASSIGNMENT_AT.lastIndex = s;
    const m = ASSIGNMENT_AT.exec(text);
    if (!m) continue;
    (out ??= []).push(m);
    from = s + m[0].length;
    names.lastIndex = Math.max(names.lastIndex, from);
  }
  return out ?? NO_MATCH;
}

/** URL_CREDENTIALS_RE anchored (sticky). */
const URL_CREDENTIALS_AT = new RegExp(URL_CREDENTIALS_RE.source, 'iy');

/**
 * The matches of URL_CREDENTIALS_RE: its scheme is 2 to 21 characters before a `://` with an `@`
 * after it, so only the starts in those windows are tried, in text order, with the sticky regex.
 */
function urlCredentialMatches(text: string): readonly RegExpExecArray[] {
  const first = text.indexOf('://');
  // Most texts have no `://`: the search for the last `@` is not made for them.
  if (first < 0) return NO_MATCH;
  let out: RegExpExecArray[] | undefined;
  const lastAt = text.lastIndexOf('@');
  let p = 0; // next start to try
  for (let c = first; c >= 0 && c + 3 < lastAt; c = text.indexOf('://', c + 1)) {
    for (p = Math.max(p, c - 21); p <= c - 2; p++) {
      URL_CREDENTIALS_AT.lastIndex = p;
      const m = URL_CREDENTIALS_AT.exec(text);
      if (!m) continue;
      (out ??= []).push(m);
      p += m[0].length; // matches do not overlap
      break;
    }
  }
  return out ?? NO_MATCH;
}

/**
 * Specific formats first; a generic hit (assignment, entropy) only where no specific one is. Within
 * a rank, the earliest (then the longest) hit wins. Sort and sweep: each rank's hits, in text order,
 * against the disjoint hits the better ranks kept (O(n log n) in the number of hits).
 */
function dropOverlaps(hits: SecretHit[]): SecretHit[] {
  // Nothing to drop (nearly every text scanned has no hit at all).
  if (hits.length < 2) return hits;
  const rank = (h: SecretHit) => (h.id === 'high-entropy-token' ? 2 : h.id === 'hardcoded-credential' ? 1 : 0);
  // A URL-encoded secret's decoded hit starts no later and runs longer than any plain hit inside
  // the same encoded run, so it is the one kept.
  const byRank: SecretHit[][] = [[], [], []];
  for (const h of hits) byRank[rank(h)]!.push(h);
  let kept: SecretHit[] = [];
  for (const group of byRank) {
    if (!group.length) continue;
    group.sort((a, b) => a.index - b.index || b.length - a.length);
    const accepted: SecretHit[] = [];
    let j = 0;
    let lastEnd = -1;
    for (const h of group) {
      const end = h.index + h.length;
      if (h.index < lastEnd) continue; // overlaps one this rank kept
      while (j < kept.length && kept[j]!.index + kept[j]!.length <= h.index) j++;
      if (j < kept.length && kept[j]!.index < end) continue; // overlaps one a better rank kept
      accepted.push(h);
      lastEnd = end;
    }
    kept = mergeByIndex(kept, accepted);
  }
  return kept;
}

function mergeByIndex(a: SecretHit[], b: SecretHit[]): SecretHit[] {
  if (!a.length) return b;
  const out: SecretHit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i]!.index <= b[j]!.index) ? a[i++]! : b[j++]!);
  return out;
}
