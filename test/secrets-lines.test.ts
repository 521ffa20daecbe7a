/**
 * linesHoldNoSecret (src/secrets.ts): the text format's code frames show a file's lines as read,
 * instead of redacting the whole file, only when redactSecrets of the whole file has the same lines
 * there and as many lines. Checked against redactSecrets itself on random text built to put
 * secrets, assignments and their `:`/`=` across line ends; and the text report on policy files
 * with secrets beside and inside the frames is the one the whole-file redaction gives.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linesHoldNoSecret, rangesHoldNoSecret, redactSecrets } from '../src/secrets.js';
import { codeFrameLines, formatText } from '../src/linter/format/text.js';
import { runLint } from '../src/cli/lint-run.js';
import { SECRET_KINDS } from './secret-kinds.js';

const CORPUS = join(__dirname, '..', '..', 'shared', 'corpora', 'aws-managed-policies');

/** Pieces that put secrets, names, separators and line ends next to each other. */
const piece = fc.oneof(
  fc.constantFrom(...SECRET_KINDS.map((k) => k.value)),
  fc.constantFrom('api_key', 'Secret', 'TOKEN', 'password', 'pwd', 'sts:ExternalId', 'externalId', 'aws_secret_access_key', 'SecretAccessKey', 'secret_key', 'https://deploy:', '@git.example.com'),
  fc.constantFrom('\n', '\n', '\n  ', ' \n', '\r\n', '=', ':', ': ', ' = ', '"', '\\"', "'", ' ', '[', ', ', '%2F', '-----BEGIN ', 'arn:aws:iam::123456789012:'),
  fc.stringMatching(/^[A-Za-z0-9]{0,12}$/),
  fc.stringMatching(/^[A-Za-z0-9+/=_-]{28,44}$/),
  // An assignment with its `:`/`=` and white space across a line end.
  fc
    .tuple(fc.constantFrom('password', 'api_key', 'SecretAccessKey', 'aws_secret_access_key'), fc.constantFrom(' =\n', '\n= ', ':\n  ', '"\n:', '=\n\n', '\n\n: "'), fc.constantFrom('Zk82mQpL0vXa', 'Xq7vR2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZ+oP/k'))
    .map((p) => p.join('')),
);
const text = fc.array(piece, { maxLength: 30 }).map((ps) => ps.join(''));

/** What the claim says: redactSecrets(t) has t's lines at the frames of `lines`, and as many lines. */
function framesAsRead(t: string, lines: number[]): boolean {
  const read = t.split('\n');
  const redacted = redactSecrets(t).split('\n');
  if (redacted.length !== read.length) return false;
  return lines.every((l) => {
    const { from, to } = codeFrameLines(l);
    for (let n = Math.max(1, from); n <= Math.min(read.length, to); n++) if (redacted[n - 1] !== read[n - 1]) return false;
    return true;
  });
}

describe('linesHoldNoSecret', () => {
  it('is true only when the whole-text redaction leaves those lines, and the line count, as they are (property)', () => {
    let holds = 0;
    let heldBesideASecret = 0;
    fc.assert(
      fc.property(text, fc.array(fc.integer({ min: -1, max: 14 }), { maxLength: 4 }), (t, lines) => {
        if (!linesHoldNoSecret(t, lines.map(codeFrameLines))) return;
        holds++;
        if (redactSecrets(t) !== t) heldBesideASecret++;
        expect(framesAsRead(t, lines), JSON.stringify([t, lines])).toBe(true);
      }),
      { numRuns: 4000 },
    );
    // Not a test that passes by saying no: the answer is often yes, also beside secrets elsewhere in the text.
    expect(holds).toBeGreaterThan(400);
    expect(heldBesideASecret).toBeGreaterThan(50);
  });

  it('equals its definition that splits the whole text, whatever the ranges (property)', () => {
    const range = fc.oneof(
      fc.integer({ min: -1, max: 14 }).map(codeFrameLines),
      fc.record({ from: fc.integer({ min: -2, max: 20 }), to: fc.integer({ min: -2, max: 20 }) }),
      fc.record({ from: fc.integer({ min: 0, max: 3 }), to: fc.constantFrom(Infinity, 2 ** 32, 2 ** 32 + 2) }),
    );
    fc.assert(
      fc.property(text, fc.array(range, { maxLength: 4 }), (t, ranges) => {
        // The definition: the same check over every line of the text.
        const whole = !t.includes('-----BEGIN ') && rangesHoldNoSecret(t.split('\n'), ranges);
        expect([t, ranges, linesHoldNoSecret(t, ranges)]).toEqual([t, ranges, whole]);
      }),
      { numRuns: 3000 },
    );
  });

  it('is false when a frame line holds a secret, or a match reaches into it across a line end', () => {
    const no = (t: string, line: number) => expect([t, linesHoldNoSecret(t, [codeFrameLines(line)])]).toEqual([t, false]);
    no('{\n  "Sid": "AKIAQ3EGRV5TQXWNJ7KD"\n}', 2);
    // The `:`/`=` and its white space across a line end: the name is outside the frame, its value inside.
    no('a\nb\nc\nd\n  password =\n\n   "Zk82mQpL0vXa"\n', 7);
    no('a\nb\nc\nd\n  password\n  = "Zk82mQpL0vXa"\n', 6);
    no('a\nb\nc\nd\naws_secret_access_key\n"\n:Xq7vR2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZ+oP/k\n', 7);
    // A private key block takes its lines out: every line after it moves.
    no(`${SECRET_KINDS.find((k) => k.multiline)!.value}\nx\ny\nz\n`, 8);
    // Each of these is what the whole-text redaction changes there.
    expect(redactSecrets('a\nb\nc\nd\n  password =\n\n   "Zk82mQpL0vXa"\n').split('\n')[6]).toContain('[REDACTED:');
    expect(redactSecrets('a\nb\nc\nd\n  password\n  = "Zk82mQpL0vXa"\n').split('\n')[5]).toContain('[REDACTED:');
  });

  it('is true for a frame away from a secret, and for most of the AWS managed policy corpus at its findings', () => {
    expect(linesHoldNoSecret('{\n  "Sid": "AKIAQ3EGRV5TQXWNJ7KD",\n  "a": 1,\n  "b": 2,\n  "c": 3\n}', [codeFrameLines(5)])).toBe(true);
    const names = readdirSync(CORPUS).filter((n) => !n.endsWith('.md')).slice(0, 200);
    const held = names.filter((n) => {
      const t = readFileSync(join(CORPUS, n), 'utf8');
      const lines = [2, 5, 9, 14];
      const yes = linesHoldNoSecret(t, lines.map(codeFrameLines));
      if (yes) expect(framesAsRead(t, lines), n).toBe(true);
      return yes;
    });
    expect(held.length).toBeGreaterThan(150);
  });
});

describe('the text report', () => {
  it('is the report the whole-file redaction gives, with secrets inside, beside and away from the frames (texts kept and read again)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-frames-'));
    const secret = 'Xq7vR2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZoPkW9';
    const statement = (action: string, extra = '') => `    {\n      "Effect": "Allow",${extra}\n      "Action": "${action}",\n      "Resource": "*"\n    }`;
    const files = {
      // A secret on a finding's own line (Action), on the line beside it, and far from any frame.
      'on.json': `{\n  "Version": "2012-10-17",\n  "Statement": [\n${statement(`s3:${secret}`)}\n  ]\n}\n`,
      'beside.json': `{\n  "Version": "2012-10-17",\n  "Statement": [\n${statement('*', `\n      "Sid": "AKIAQ3EGRV5TQXWNJ7KD",`)}\n  ]\n}\n`,
      'away.json': `{\n  "Version": "2012-10-17",\n  "Id": "password=${secret}",\n\n\n\n  "Statement": [\n${statement('iam:PassRole')}\n  ]\n}\n`,
      'none.json': `{\n  "Version": "2012-10-17",\n  "Statement": [\n${statement('ec2:*')}\n  ]\n}\n`,
    };
    for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t);
    for (const keepText of [undefined, 0]) {
      let out = '';
      const r = await runLint({ inputs: [d], format: 'text', failOn: 'error', color: false, version: '0.1.0', env: {}, out: (s) => (out += s), err: () => {}, ...(keepText === undefined ? {} : { keepText }) });
      const fresh = keepText === undefined ? r.fresh : undefined;
      if (fresh) expect(out).toBe(formatText(fresh, { color: false, sources: (f) => redactSecrets(readFileSync(f, 'utf8')) }));
      expect(out).toMatch(/REDACTED/);
      expect(out).not.toContain(secret.slice(0, 20));
      expect(out).not.toContain('AKIAQ3EGRV5TQXWNJ7KD');
      for (const n of Object.keys(files)) expect(out).toContain(join(d, n));
    }
  });
});
