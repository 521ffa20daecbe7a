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
}

/** Unambiguous formats: safe to redact anywhere. */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { id: 'aws-access-key-id', description: 'AWS access key id', re: /\b(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { id: 'aws-secret-access-key', description: 'AWS secret access key', re: /(aws_secret_access_key|AWS_SECRET_ACCESS_KEY|SecretAccessKey|secret_?key)(["'\s]*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g },
  { id: 'private-key', description: 'private key block', re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z]+ )?PRIVATE KEY-----|$)/g },
  { id: 'github-token', description: 'GitHub token', re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{50,}\b/g },
  { id: 'slack-token', description: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { id: 'stripe-live-key', description: 'Stripe live key', re: /\b[sr]k_live_[A-Za-z0-9]{16,}\b/g },
  { id: 'google-api-key', description: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
];

/** Replace every recognised secret with a marker that names its kind, never its value. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const p of SECRET_PATTERNS) {
    out = out.replace(p.re, (...m: string[]) => {
      if (p.id === 'aws-secret-access-key') return `${m[1]}${m[2]}[REDACTED:${p.id}]`;
      return `[REDACTED:${p.id}]`;
    });
  }
  return out;
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
 */
const ASSIGNMENT_RE = /\b([A-Za-z0-9_]*?(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|passwd|pwd|private[_-]?key|client[_-]?secret|auth))\b(["']?)\s*([:=])(\s*)(["']?)([^\s"'`$;|&<>(){}]{6,})\5/gi;
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

/** Every secret found in a text (overlaps removed, in text order). */
export function findSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const p of SECRET_PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      if (p.id === 'aws-secret-access-key') {
        const valueStart = m.index + m[1]!.length + m[2]!.length;
        hits.push({ id: p.id, description: p.description, index: valueStart, length: m[0].length - m[1]!.length - m[2]!.length });
      } else hits.push({ id: p.id, description: p.description, index: m.index, length: m[0].length });
    }
  }
  for (const m of text.matchAll(ASSIGNMENT_RE)) {
    const [, name = '', keyQuote, sep, space, quote = '', value = ''] = m;
    if (sep === ':' && !keyQuote && !space && !quote) continue; // `service:Action`, `…:secret:name` in an ARN: not an assignment
    if (value.length < (PASSWORD_NAME_RE.test(name) ? 6 : 8)) continue;
    if (PLACEHOLDER_RE.test(value) || REFERENCE_RE.test(value)) continue;
    if (!/[0-9]/.test(value) && !/[^A-Za-z]/.test(value) && value.length < 16) continue; // a plain word
    if (insideArn(text, m.index)) continue;
    const start = m.index + m[0].length - value.length - quote.length;
    hits.push({ id: 'hardcoded-credential', description: `credential assigned to ${name}`, index: start, length: value.length });
  }
  for (const m of text.matchAll(TOKEN_RE)) {
    if (isHighEntropyToken(m[0]) && !insideArn(text, m.index)) hits.push({ id: 'high-entropy-token', description: 'high-entropy token', index: m.index, length: m[0].length });
  }
  // Specific formats first; a generic hit (assignment, entropy) only where no specific one is.
  const rank = (h: SecretHit) => (h.id === 'high-entropy-token' ? 2 : h.id === 'hardcoded-credential' ? 1 : 0);
  hits.sort((a, b) => rank(a) - rank(b) || a.index - b.index || b.length - a.length);
  const out: SecretHit[] = [];
  for (const h of hits) {
    if (out.some((o) => h.index < o.index + o.length && o.index < h.index + h.length)) continue;
    out.push(h);
  }
  out.sort((a, b) => a.index - b.index);
  return out;
}

/** Replace everything findSecrets recognises (a superset of redactSecrets) — for showing source lines. */
export function maskSecrets(text: string): string {
  const hits = findSecrets(text);
  if (hits.length === 0) return redactSecrets(text);
  let out = '';
  let at = 0;
  for (const h of hits) {
    out += text.slice(at, h.index) + `[REDACTED:${h.id}]`;
    at = h.index + h.length;
  }
  return redactSecrets(out + text.slice(at));
}

/**
 * Tag values are free text a user may paste a secret into, and plans and compile output show them:
 * mask whatever findSecrets recognises (high-entropy tokens included) in every `tags: { k: v }` map
 * and `Tags: [{ Key, Value }]` list inside a JSON value. For output only: apply writes the real
 * values from the spec. Returns the same object when nothing was masked.
 */
export function redactTagValues<T>(v: T): T {
  return maskTags(v, false) as T;
}

function maskTags(v: unknown, inTags: boolean): unknown {
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((x) => {
      const y = maskTags(x, inTags);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : v;
  }
  if (v === null || typeof v !== 'object') {
    return inTags && typeof v === 'string' ? maskSecrets(v) : v;
  }
  const rec = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(rec)) {
    // `tags` maps: every value; `Tags` lists: the Value of each { Key, Value }.
    const y = inTags && k === 'Key' ? x : maskTags(x, (inTags && k !== 'Key') || k === 'tags' || k === 'Tags');
    if (y !== x) (out ??= { ...rec })[k] = y;
  }
  return out ?? v;
}
