/**
 * src/policy/glob.ts helpers the lint rules use on every action: checked against their plain
 * definitions (regex and split) on generated patterns.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasWildcard, wholeServicePattern } from '../src/policy/glob.js';

/** The definition wildcard-resource and permissions-management used before (regex and split). */
function byDefinition(a: string): boolean {
  return a === '*' || /^[^:]+:\*$/.test(a) || hasWildcard(a.split(':')[0] ?? '');
}

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
