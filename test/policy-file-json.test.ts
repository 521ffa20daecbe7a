/**
 * One parser for one kind of file (issue 13 §3): a `.json` policy file a spec names under
 * policyFiles: is read by the strict JSON parser with positions, the one `charter lint file.json`
 * uses, so what lint refuses compile refuses too, at the line of the mistake, in JSON's words.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSpec } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { InputError } from '../src/diagnostics.js';
import { parseJsonWithPositions } from '../src/policy/json-positions.js';

const spec = 'version: 1\nname: demo\nregion: us-east-1\nservices:\n  web:\n    trust: [ec2]\n    policyFiles: [p.json]\n';

async function compileWith(policy: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'charter-pf-'));
  writeFileSync(join(dir, 'p.json'), policy);
  writeFileSync(join(dir, 'spec.yaml'), spec);
  try {
    await compileSpec(parseSpec(spec, 'spec.yaml', join(dir, 'spec.yaml')));
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map((p) => `${p.pos?.file}:${p.pos?.line}:${p.pos?.col} ${p.message}`);
  }
}

function lintParserError(policy: string): string | undefined {
  try {
    parseJsonWithPositions(policy, 'p.json');
    return undefined;
  } catch (e) {
    const p = (e as InputError).problems[0]!;
    return `${p.pos?.line}:${p.pos?.col}`;
  }
}

const good = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }\n  ]\n}\n';

describe('policy files are JSON, parsed strictly with positions', () => {
  it('a valid policy file compiles', async () => {
    expect(await compileWith(good)).toEqual([]);
  });
  /** name, text, where the mistake is, what is said. */
  const bad: Array<[string, string, string, string]> = [
    ['trailing comma', good.replace('"arn:aws:s3:::b/*" }', '"arn:aws:s3:::b/*", }'), '4:82', 'a comma before }: JSON allows no trailing comma'],
    ['trailing comma in an array', good.replace('"arn:aws:s3:::b/*" }\n', '"arn:aws:s3:::b/*" },\n'), '4:84', 'a comma before ]: JSON allows no trailing comma'],
    ['single quotes', good.replace('"s3:GetObject"', "'s3:GetObject'"), '4:36', 'a string in single quotes: JSON strings are in double quotes'],
    ['a # comment', good.replace('  "Version"', '  # read only\n  "Version"'), '2:3', 'a comment: JSON has no comments'],
    ['a // comment', good.replace('"2012-10-17",', '"2012-10-17", // current'), '2:28', 'a comment: JSON has no comments'],
    ['YAML flow syntax', '{Version: 2012-10-17, Statement: []}\n', '1:2', '"Version" without quotes: JSON strings and keys are in double quotes'],
    ['an unclosed [', '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow" }\n', '3:16', 'this [ is never closed: the array it opens needs a ]'],
  ];
  for (const [name, text, where, says] of bad) {
    it(`refuses ${name} where lint refuses it, in JSON's words`, async () => {
      const out = await compileWith(text);
      expect(out).toHaveLength(1);
      expect(lintParserError(text)).toBe(where);
      expect(out[0]).toBe(`p.json:${where} policy file: JSON syntax: ${says}`);
      expect(out[0]).not.toMatch(/flow|YAML/);
    });
  }
});

describe('the strict JSON parser is total and agrees with JSON.parse', () => {
  const tokens = fc.constantFrom(',', "'", '//', '/*', '#', '}', ']', '{', '[', '"', ':', 'x', '\n', ' ', '\\', 'true', '1e', '-', '\u2028');
  const mutated = fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(3), fc.array(tokens, { maxLength: 3 })), { minLength: 1, maxLength: 3 })).map(([v, edits]) => {
    let t = JSON.stringify(v, null, 1);
    for (const [where, del, ins] of edits) {
      const at = Math.floor(where * t.length);
      t = t.slice(0, at) + ins.join('') + t.slice(at + del);
    }
    return t;
  });

  it('2,000 mutated documents (fixed seed): accepted exactly when JSON.parse accepts (duplicate keys aside), else one positioned InputError', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        let native: { ok: true; value: unknown } | { ok: false };
        try {
          native = { ok: true, value: JSON.parse(text) };
        } catch {
          native = { ok: false };
        }
        try {
          const v = parseJsonWithPositions(text, 'p.json').value;
          expect(native.ok, text).toBe(true);
          expect(v).toEqual((native as { value: unknown }).value);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          expect(e.problems).toHaveLength(1);
          const p = e.problems[0]!;
          expect(p.pos!.line).toBeGreaterThanOrEqual(1);
          expect(p.pos!.col).toBeGreaterThanOrEqual(1);
          expect(p.pos!.line).toBeLessThanOrEqual(text.split('\n').length);
          expect(p.message).toMatch(/^JSON syntax: /);
          if (native.ok) expect(p.message, text).toMatch(/duplicate key|nesting/);
        }
      }),
      { numRuns: 2000, seed: 20261206 },
    );
  });
});
