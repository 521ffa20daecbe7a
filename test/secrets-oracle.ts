/**
 * The redaction scan as it was before issue 14's linear scanners (src/secrets.ts at e20e697, the
 * regexes run over the whole text): the oracle test/secrets-scan.test.ts compares src/secrets.ts
 * with. Not used by charter.
 */
export interface SecretPattern {
  id: string;
  description: string;
  re: RegExp;
}

/**
 * Unambiguous formats: safe to redact anywhere. Their prefixes have no word boundary before them:
 * an access key id inside a longer token (a Sid `ReadWithAKIA…`), a token after a JSON `\n` escape.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { id: 'aws-access-key-id', description: 'AWS access key id', re: /(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{16}/g },
  { id: 'aws-secret-access-key', description: 'AWS secret access key', re: /(aws_secret_access_key|AWS_SECRET_ACCESS_KEY|SecretAccessKey|secret_?key)(["'\s]*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g },
  // STS session tokens start with the base64 of their version header (`FwoGZXIvYXdzE…`, `IQoJb3JpZ2luX2Vj…`).
  { id: 'aws-session-token', description: 'AWS session token', re: /(?:FwoGZXIvYXdzE|IQoJb3JpZ2luX2Vj|AQoDYXdzE|AQoEXAMPLE)[A-Za-z0-9/+=]{16,}/g },
  // RSA, EC, DSA, OpenSSH, PKCS#8 (ENCRYPTED) and PGP blocks. A block with no END line runs to the
  // end of the text or of the (JSON, YAML) string it is in.
  { id: 'private-key', description: 'private key block', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?=["'`])|$)/g },
  { id: 'github-token', description: 'GitHub token', re: /(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|github_pat_[A-Za-z0-9_]{50,}\b/g },
  { id: 'gitlab-token', description: 'GitLab token', re: /gl(?:pat|dt|rt|ptt|cbt|imt|oas|ft|soat|agent)-[A-Za-z0-9_-]{20,}|GR1348941[A-Za-z0-9_-]{20,}/g },
  { id: 'slack-token', description: 'Slack token', re: /xox[abposre]-[A-Za-z0-9-]{10,}\b|xapp-\d-[A-Za-z0-9-]{10,}\b|https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{16,}/g },
  { id: 'stripe-live-key', description: 'Stripe live key', re: /[sr]k_live_[A-Za-z0-9]{16,}\b/g },
  { id: 'google-api-key', description: 'Google API key', re: /AIza[0-9A-Za-z_-]{35}\b/g },
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

const TOKEN_RE = /[A-Za-z0-9+/_=-]{32,}/g;

/** A long random-looking token: mixed case and digits, high entropy, not a hex digest, not a name made of words. */
export function isHighEntropyToken(t: string): boolean {
  if (t.length < 32) return false;
  if (/^[0-9a-fA-F]+$/.test(t)) return false; // hex digests (sha256 pins, hashes)
  if (!/[A-Z]/.test(t) || !/[a-z]/.test(t) || !/[0-9]/.test(t)) return false;
  if ((t.match(/\//g) ?? []).length > 2) return false; // a path
  if (isWordyName(t)) return false;
  return entropy(t) >= 4.3;
}

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

const MAX_DECODE_DEPTH = 3;

function findSecretsIn(text: string, depth: number): SecretHit[] {
  const hits = findPlainSecrets(text);
  // A text with no `%` holds no escape (the scan below is quadratic in a long run without one).
  if (depth >= MAX_DECODE_DEPTH || !text.includes('%')) return hits;
  // URL-encoded secrets (`%2F`, `%2B`, `%3D`, `%40` …): decode each run that has an escape, scan the
  // decoded text (itself decoded again if it still holds escapes), and map what is found back onto
  // the encoded run.
  for (const m of text.matchAll(/(?:[A-Za-z0-9._~+/=:@!$&'()*,;-]|%[0-9A-Fa-f]{2})*%[0-9A-Fa-f]{2}(?:[A-Za-z0-9._~+/=:@!$&'()*,;-]|%[0-9A-Fa-f]{2})*/g)) {
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

function findPlainSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const p of SECRET_PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      if (p.id === 'aws-secret-access-key') {
        const valueStart = m.index + m[1]!.length + m[2]!.length;
        hits.push({ id: p.id, description: p.description, index: valueStart, length: m[0].length - m[1]!.length - m[2]!.length });
      } else hits.push({ id: p.id, description: p.description, index: m.index, length: m[0].length });
    }
  }
  for (const m of text.matchAll(URL_CREDENTIALS_RE)) {
    const cred = m[2]!;
    const password = cred.slice(cred.indexOf(':') + 1);
    if (password.startsWith('$') || PLACEHOLDER_RE.test(password)) continue;
    hits.push({ id: 'url-credentials', description: 'credentials in a URL', index: m.index + m[1]!.length, length: cred.length });
  }
  for (const m of text.matchAll(ASSIGNMENT_RE)) {
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
  for (const m of text.matchAll(TOKEN_RE)) {
    if (isHighEntropyToken(m[0]) && !insideArn(text, m.index) && !isExternalIdValue(text, m.index)) hits.push({ id: 'high-entropy-token', description: 'high-entropy token', index: m.index, length: m[0].length });
  }
  return dropOverlaps(hits);
}

/**
 * Specific formats first; a generic hit (assignment, entropy) only where no specific one is. Within
 * a rank, the earliest (then the longest) hit wins. Sort and sweep: each rank's hits, in text order,
 * against the disjoint hits the better ranks kept (O(n log n) in the number of hits).
 */
function dropOverlaps(hits: SecretHit[]): SecretHit[] {
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
