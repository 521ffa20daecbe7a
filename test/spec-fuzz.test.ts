import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSpec } from '../src/spec/load.js';
import { InputError } from '../src/diagnostics.js';

const valid = `version: 1
name: demo
region: us-east-1
services:
  web:
    policies: [s3:ReadOnly]
    trust: [ec2]
instances:
  a: { service: web, type: t3.micro, image: ami-12345678, ttl: 2h }
`;

/** Whatever the bytes, parseSpec either returns or throws InputError whose problems all have positions. */
function outcome(text: string): 'ok' | 'input-error' {
  try {
    parseSpec(text, 'fuzz.yaml');
    return 'ok';
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    for (const p of e.problems) {
      expect(p.message.length).toBeGreaterThan(0);
      expect(p.message).not.toMatch(/\n/);
      if (p.pos) {
        expect(p.pos.line).toBeGreaterThanOrEqual(1);
        expect(p.pos.col).toBeGreaterThanOrEqual(1);
      }
    }
    return 'input-error';
  }
}

describe('spec loading under fuzzed input', () => {
  it('the valid base spec loads', () => {
    expect(outcome(valid)).toBe('ok');
  });
  it('arbitrary strings never escape as anything but InputError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => { outcome(s); }), { numRuns: 400 });
  });
  it('mutations of a valid spec never escape as anything but InputError', () => {
    const chars = fc.constantFrom(':', '-', ' ', '\n', '[', ']', '{', '}', '&a', '*a', '"', "'", '#', '!!int', 'x', '<<', '\t', '|');
    fc.assert(
      fc.property(fc.nat(valid.length), fc.nat(8), fc.array(chars, { maxLength: 6 }), (at, del, ins) => {
        outcome(valid.slice(0, at) + ins.join('') + valid.slice(at + del));
      }),
      { numRuns: 600 },
    );
  });
  it('arbitrary JSON-like values never escape as anything but InputError', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => { outcome(JSON.stringify(v)); }), { numRuns: 300 });
  });
});
