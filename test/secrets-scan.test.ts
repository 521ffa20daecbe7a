/**
 * src/secrets.ts finds secrets with scanners that run each regex only where a match can start (a
 * linear pass for long tokens, the secret-looking names and the character after their word before
 * the assignment regex, `://` before the URL regex, one scan for the specific formats' literals,
 * isHighEntropyToken's cheap tests in one regex): they must find exactly what the regexes over the
 * whole text found. The oracle is the implementation before them (test/secrets-oracle.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapedRuns, findSecrets, isHighEntropyToken, redactSecrets } from '../src/secrets.js';
import * as oracle from './secrets-oracle.js';
import { SECRET_KINDS } from './secret-kinds.js';

/** Pieces that put the scanners at their edges: names in any case, separators, quotes, `://`, `@`, runs around 32, escapes. */
const piece = fc.oneof(
  fc.constantFrom(...SECRET_KINDS.map((k) => k.value)),
  fc.constantFrom('api_key', 'API-KEY', 'apikey', 'Secret', 'client-secret', 'TOKEN', 'authToken', 'password', 'Passwd', 'pwd', 'private_key', 'my_auth', 'xauth', 'passwordtoken', 'sts:ExternalId', 'externalId', 'aws_secret_access_key', 'SecretAccessKey'),
  fc.constantFrom('=', ':', ': ', ' = ', '"', '\\"', "'", '`', ' ', '\n', '-', '_', '/', '@', '://', 'https://', 'git+ssh://', 'arn:aws:iam::123456789012:', '%2F', '%25', '$', '${X}', '[', ', ', 'AKIA', 'ghp_', 'k_live_', 'xox', '-----BEGIN '),
  // What may stand after a name's word: white space in and beyond ASCII, a `-` going on to the rest of a name, other punctuation.
  fc.constantFrom('\t', '\r', '\v', '\f', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u200b', 'api-', 'private-', 'client-', '-key', '-secret', '.', ',', ';', '#', '\\'),
  fc.stringMatching(/^[A-Za-z0-9]{0,12}$/),
  fc.stringMatching(/^[A-Za-z0-9+/=_-]{28,40}$/),
  fc.string({ maxLength: 12 }),
);
const text = fc.oneof(fc.array(piece, { maxLength: 24 }).map((ps) => ps.join('')), fc.string({ maxLength: 80 }), fc.string({ unit: "binary", maxLength: 40 }));

describe('findSecrets equals the whole-text regex scan it replaced', () => {
  it('on random text (property)', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(findSecrets(t)).toEqual(oracle.findSecrets(t));
        expect(redactSecrets(t)).toBe(oracle.redactSecrets(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('on the edges the scanners skip by: runs of 31, 32 and 33, a name glued to the previous match, schemes of 1, 2, 21 and 22 letters', () => {
    const b64 = 'Xq7vR2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZ+oP/kAb';
    const cases = [
      ...[31, 32, 33].flatMap((n) => [b64.slice(0, n), ` ${b64.slice(0, n)} `, `"${b64.slice(0, n)}"${b64.slice(0, n)}`, `${b64.slice(0, n)}"${' '.repeat(4096)}"${b64.slice(0, n)}`]),
      'secret="Zk82mQpL0vXa"token="Zk82mQpL0vXb"',
      'password=Hunter2Hunter2x;api_key=Zk82mQpL0vXa',
      'mypasswordtoken: "Zk82mQpL0vXa"',
      'x-api-key: Zk82mQpL0vXa',
      'client-secret = Zk82mQpL0vXa',
      'private-key\u00a0=\u00a0Zk82mQpL0vXa',
      'GetSecretValue secretsmanager:GetSecretValue sts:GetSessionToken tokenizer: Zk82mQpL0vXa',
      ...[1, 2, 21, 22].map((n) => `${'h'.repeat(n)}://deploy:S3cr3tPassw0rdX@git.example.com`),
      'https://a:b@c https://deploy:S3cr3tPassw0rdX@git.example.com',
      ...['x%4%41', '%%41', 'ab%4', 'ab%41', '%', '%4', '%zz%2Fq', 'Pq3vT8mK1pLw6TnB2cY9hJ3dF7gS0aQe5uZ%2BoW%2Fn%', 'a b%2F c%252F%2'].flatMap((t) => [t, `${t} https%3A%2F%2Fdeploy%3AS3cr3tPassw0rdY%40git.example.com ${t}`]),
    ];
    for (const t of cases) expect([t, findSecrets(t)]).toEqual([t, oracle.findSecrets(t)]);
  });

  it('on long text (property): the skips and walks of the scanners far from the ends of the text', () => {
    const pad = ' '.repeat(4096);
    fc.assert(
      fc.property(text, fc.constantFrom('before', 'after', 'both'), (t, where) => {
        const long = where === 'before' ? pad + t : where === 'after' ? t + pad : pad + t + pad;
        expect(findSecrets(long)).toEqual(oracle.findSecrets(long));
      }),
      { numRuns: 500 },
    );
  });

  it('isHighEntropyToken equals its plain definition (property)', () => {
    const token = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9+/=_-]{28,48}$/),
      fc.stringMatching(/^[0-9a-fA-F]{30,40}$/),
      fc.stringMatching(/^[a-z0-9/]{30,40}$/),
      fc.stringMatching(/^[A-Z0-9/]{30,40}$/),
      fc.stringMatching(/^[A-Za-z/]{30,40}$/),
      fc.array(fc.constantFrom('/', 'a', 'B', '7', 'f', 'Xq7vR2mK', 'Word', 'Name'), { maxLength: 16 }).map((p) => p.join('')),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(token, (t) => {
        expect([t, isHighEntropyToken(t)]).toEqual([t, oracle.isHighEntropyToken(t)]);
      }),
      { numRuns: 3000 },
    );
  });

  it('escapedRuns finds what the URL-encoded-run regex finds (property)', () => {
    const RUN_RE = /(?:[A-Za-z0-9._~+/=:@!$&'()*,;-]|%[0-9A-Fa-f]{2})*%[0-9A-Fa-f]{2}(?:[A-Za-z0-9._~+/=:@!$&'()*,;-]|%[0-9A-Fa-f]{2})*/g;
    const t = fc.array(fc.constantFrom('%', '%4', '%41', '%2F', '%zz', 'a', 'Z9', ' ', '"', '#', '?', '/', '@', ':', 'é', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH'), { maxLength: 30 }).map((p) => p.join(''));
    fc.assert(
      fc.property(t, (s) => {
        expect(escapedRuns(s).map((m) => [m.index, m[0]])).toEqual([...s.matchAll(RUN_RE)].map((m) => [m.index, m[0]]));
      }),
      { numRuns: 2000 },
    );
  });
});
