/**
 * Every rule's documented example is a test (issue 11 §4): docs.bad makes the rule fire, docs.good
 * keeps it quiet, run as its shape says (test/rules/doc-examples.ts). The examples that cannot run
 * are listed with the reason; the list may only shrink.
 */
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../src/linter/rules/index.js';
import { runDocExample } from './doc-examples.js';

/** rule:which → why the example cannot be run as it is written. */
const NOT_RUNNABLE: Record<string, string> = {
  'statement-principal:bad': 'a policy file with Principal is read as a trust/resource policy; the rule fires on identity documents (its cases cover it)',
  'policy-size:bad': 'prose: a role whose statements total 11,000 characters',
  'name-length:bad': 'the spec schema caps a written name at 64; only compiled names (prefix + service) exceed it (its cases change the bundle)',
  'tag-limits:bad': 'the compiler refuses an aws: tag key in a spec; the rule guards compiled bundles (its cases change the bundle)',
  'managed-policy-count:bad': 'elided: eleven managed policy ARNs',
  'user-data-size:bad': 'names a 40 KB user-data file beside the spec',
  'user-data-size:good': 'names a user-data file beside the spec',
  'imds-v2:bad': 'charter always writes HttpTokens: required; only a changed bundle has IMDSv1 (its cases change the bundle)',
  'aa-validate:bad': 'Access Analyzer findings (tested against the sandbox in lint-access-analyzer.test.ts)',
  'aa-new-access:bad': 'Access Analyzer findings (tested against the sandbox in lint-access-analyzer.test.ts)',
  'aa-access-granted:bad': 'Access Analyzer findings (tested against the sandbox in lint-access-analyzer.test.ts)',
};

describe('documented examples', () => {
  for (const rule of ALL_RULES) {
    for (const which of ['bad', 'good'] as const) {
      const key = `${rule.meta.id}:${which}`;
      it(`${key}: ${which === 'bad' ? 'fires' : 'stays quiet'}`, async () => {
        const r = await runDocExample(rule, which);
        const mine = (r.findings ?? []).filter((f) => f.rule === rule.meta.id);
        if (NOT_RUNNABLE[key]) {
          // Listed as not runnable: it must indeed not show what it documents (else drop it from the list).
          expect(which === 'bad' ? mine.length === 0 || r.error !== undefined : true, `${key} runs now: remove it from NOT_RUNNABLE`).toBe(true);
          return;
        }
        expect(r.error, `${key}: ${rule.meta.docs[which]}`).toBeUndefined();
        if (which === 'bad') {
          expect(r.kind, `${key} is prose: make it runnable or list it in NOT_RUNNABLE`).not.toBe('prose');
          expect(mine.length, `${key} does not fire: ${rule.meta.docs.bad}`).toBeGreaterThan(0);
        } else expect(mine.map((f) => f.message), `${key} fires: ${rule.meta.docs.good}`).toEqual([]);
      });
    }
  }
  it('the list of examples that cannot run may only shrink', () => {
    expect(Object.keys(NOT_RUNNABLE).length).toBeLessThanOrEqual(11);
  });
});
