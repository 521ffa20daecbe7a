/**
 * redactSecrets, the one redaction function: each secret kind in each shape output gives it (plain,
 * in a sentence, a JSON string, a markdown cell, a YAML line, a code frame), and what charter must
 * keep printing. The per-command table over the CLI is test/secrets-cli.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findSecrets, redactSecrets } from '../src/secrets.js';
import { MUST_KEEP, SECRET_KINDS } from './secret-kinds.js';

const SHAPES: Array<[string, (v: string) => string]> = [
  ['plain', (v) => v],
  ['in a sentence', (v) => `error: cannot use ${v} here (see the docs)`],
  ['a JSON string', (v) => JSON.stringify({ Statement: [{ Sid: 'X', Condition: { StringEquals: { 'aws:PrincipalTag/note': v } } }] }, null, 2)],
  ['a markdown cell', (v) => `| ➕ | role.web | * | Allow | s3:GetObject | | ${JSON.stringify({ StringEquals: { 'aws:RequestTag/k': v } }).replace(/\|/g, '\\|')} |`],
  ['a YAML line', (v) => `    tags: { note: "${v}" }`],
  ['a code frame', (v) => `  12 | ${v.split('\n').join('\n  13 | ')}\n     |      ^`],
];

describe('redactSecrets: must redact', () => {
  const cases = SECRET_KINDS.flatMap((k) => SHAPES.map(([shape, f]) => [k.kind, shape, f(k.value), k.needles] as const));
  it.each(cases)('%s, %s', (_kind, _shape, text, needles) => {
    const out = redactSecrets(text);
    for (const n of needles) expect(out).not.toContain(n);
    expect(out).toMatch(/\[REDACTED:[a-z-]+\]/);
  });

  it('an access key id under sts:ExternalId is still redacted (only high-entropy ExternalIds are kept)', () => {
    expect(redactSecrets('{"sts:ExternalId": "AKIAQ3EGRV5TQXWNJ7KD"}')).toBe('{"sts:ExternalId": "[REDACTED:aws-access-key-id]"}');
  });

  it('names the kind in the marker', () => {
    expect(redactSecrets('Sid ReadWithAKIAQ3EGRV5TQXWNJ7KE')).toBe('Sid ReadWith[REDACTED:aws-access-key-id]');
    expect(redactSecrets('clone https://deploy:S3cr3tPassw0rdX@git.example.com/x')).toBe('clone https://[REDACTED:url-credentials]@git.example.com/x');
    expect(redactSecrets('key Pq3vT8mK1pLw6TnB2cY9hJ3dF7gS0aQe5uZ%2BoW%2Fn&x=1')).toBe('key [REDACTED:high-entropy-token]&x=1');
  });

  it('decodes a value URL-encoded twice or three times (a GitHub annotation escapes % as %25)', () => {
    const url = 'https://deploy:S3cr3tPassw0rdY@git.example.com/org';
    for (const text of [encodeURIComponent(encodeURIComponent(url)), encodeURIComponent(encodeURIComponent(encodeURIComponent(url))), `::error title=x::unknown key "${encodeURIComponent(url).replace(/%/g, '%25')}"`]) {
      expect(redactSecrets(text)).not.toContain('S3cr3tPassw0rdY');
      expect(redactSecrets(text)).toContain('[REDACTED:url-credentials]');
    }
  });

  it('hits are in text order and never overlap, whatever the kinds next to each other (property)', () => {
    const piece = fc.oneof(fc.constantFrom(...SECRET_KINDS.map((k) => k.value)), fc.stringMatching(/^[A-Za-z0-9%=:/ ._-]{0,12}$/));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const hits = findSecrets(parts.join(''));
        return hits.every((h, i) => h.length > 0 && (i === 0 || hits[i - 1]!.index + hits[i - 1]!.length <= h.index));
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent, and never lets a generated key through (property)', () => {
    const key = fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/);
    const secret = fc.stringMatching(/^[A-Za-z0-9/+]{40}$/).filter((s) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s));
    const word = fc.stringMatching(/^[A-Za-z ]{0,12}$/);
    fc.assert(
      fc.property(word, key, word, secret, (a, k, b, s) => {
        const text = JSON.stringify({ Sid: `${a.replace(/ /g, '')}${k}`, note: `${b} aws_secret_access_key=${s}`, url: `https://u:${encodeURIComponent(s)}@h/` });
        const once = redactSecrets(text);
        return !once.includes(k) && !once.includes(s) && !once.includes(encodeURIComponent(s)) && redactSecrets(once) === once;
      }),
      { numRuns: 300 },
    );
  });
});

describe('redactSecrets: must keep', () => {
  it.each(MUST_KEEP)('%s', (text) => {
    expect(findSecrets(text)).toEqual([]);
    expect(redactSecrets(text)).toBe(text);
    const json = JSON.stringify({ value: text });
    expect(redactSecrets(json)).toBe(json);
  });
});
