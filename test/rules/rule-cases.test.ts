/**
 * Every rule's own table of cases (test/rules/cases/<module>.ts, by rule id; issue 11 §4: they do
 * not ship in the build): each must fire or stay quiet as declared, with the whole rule set running
 * (so interactions such as suppressions are real).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_RULES } from '../../src/linter/rules/index.js';
import { lint } from '../../src/linter/engine.js';
import { loadSpecFile } from '../../src/spec/load.js';
import { compileSpec } from '../../src/compiler/index.js';
import type { Finding, Rule } from '../../src/linter/types.js';
import { RULE_CASES } from './cases/index.js';
import type { RuleCase } from './cases/types.js';

/** Rules whose findings come from Access Analyzer (tested in lint-access-analyzer.test.ts). */
const EXTERNAL = new Set(['aa-validate', 'aa-new-access', 'aa-access-granted']);

function casesOf(r: Rule): RuleCase[] {
  return RULE_CASES[r.meta.id] ?? [];
}

async function runCase(c: RuleCase): Promise<Finding[]> {
  if (c.policy !== undefined) {
    const r = await lint({ files: [{ file: 'case.json', text: JSON.stringify(c.policy, null, 2) }] });
    return r.findings;
  }
  const dir = mkdtempSync(join(tmpdir(), 'charter-case-'));
  try {
    writeFileSync(join(dir, 'spec.yaml'), c.spec!);
    for (const [name, text] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), text);
    const loaded = loadSpecFile(join(dir, 'spec.yaml'));
    if (c.compile === false) return (await lint({ specs: [{ loaded }] })).findings;
    const bundle = await compileSpec(loaded);
    c.mutate?.(bundle);
    const r = await lint({ specs: [{ loaded, bundle }] });
    return r.findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('rule tables', () => {
  it('every rule documents itself and has cases that fire and cases that do not', () => {
    const ids = new Set<string>();
    for (const r of ALL_RULES) {
      expect(ids.has(r.meta.id), `duplicate id ${r.meta.id}`).toBe(false);
      ids.add(r.meta.id);
      expect(r.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const k of ['what', 'why', 'bad', 'good', 'fix'] as const) expect(r.meta.docs[k].length, `${r.meta.id} docs.${k}`).toBeGreaterThan(5);
      if (EXTERNAL.has(r.meta.id)) continue;
      expect(casesOf(r).some((c) => c.fire), `${r.meta.id} has a case that fires`).toBe(true);
      expect(casesOf(r).some((c) => !c.fire), `${r.meta.id} has a case that stays quiet`).toBe(true);
    }
  });

  it('every case table belongs to a rule of the rule set (by id)', () => {
    const ids = new Set(ALL_RULES.map((r) => r.meta.id));
    expect(Object.keys(RULE_CASES).filter((id) => !ids.has(id))).toEqual([]);
    expect(ALL_RULES.filter((r) => !(r.meta.id in RULE_CASES)).map((r) => r.meta.id)).toEqual([]);
  });

  /** Rules reporting literal messages (their identity would be the message): none, issue 11 §4. */
  const LITERAL_MESSAGES = ALL_RULES.filter((r) => !r.meta.messages).map((r) => r.meta.id);

  it('rules with meta.messages report only through them, and every message is exercised by a case', async () => {
    // Access Analyzer rules' messages are exercised against the sandbox (lint-access-analyzer, lint-live-reference tests).
    const withMessages = ALL_RULES.filter((r) => r.meta.messages && !EXTERNAL.has(r.meta.id));
    expect(withMessages.map((r) => r.meta.id)).toEqual(expect.arrayContaining(['privesc-action', 'privesc-pass-role', 'trust-web-identity', 'wildcard-action', 'wildcard-resource']));
    for (const rule of withMessages) {
      const used = new Set<string>();
      for (const c of casesOf(rule).filter((x) => x.fire)) {
        for (const f of (await runCase(c)).filter((x) => x.rule === rule.meta.id)) {
          expect(f.messageId, `${rule.meta.id}: ${c.name}`).toBeDefined();
          expect(Object.keys(rule.meta.messages!), rule.meta.id).toContain(f.messageId);
          expect(f.data, `${rule.meta.id}: ${c.name}`).toBeDefined();
          used.add(f.messageId!);
        }
      }
      expect([...used].sort(), `${rule.meta.id}: messages no case reports`).toEqual(Object.keys(rule.meta.messages!).sort());
    }
  });

  it('rules with meta.messages say where each firing case finds (at: line and column)', () => {
    const unplaced = ALL_RULES.filter((r) => r.meta.messages).flatMap((r) => casesOf(r).filter((c) => c.fire && c.at?.column === undefined).map((c) => `${r.meta.id}: ${c.name}`));
    expect(unplaced).toEqual([]);
  });

  it('the rules not yet on meta.messages are known (shrink this list; never grow it)', () => {
    expect(LITERAL_MESSAGES).toEqual([]);
  });

  for (const rule of ALL_RULES) {
    if (casesOf(rule).length === 0) continue;
    describe(rule.meta.id, () => {
      for (const c of casesOf(rule)) {
        it(`${c.fire ? 'fires' : 'quiet'}: ${c.name}`, async () => {
          const findings = await runCase(c);
          const mine = findings.filter((f) => f.rule === rule.meta.id);
          if (c.fire) {
            expect(mine.length, JSON.stringify(findings.map((f) => `${f.rule}: ${f.message}`), null, 1)).toBeGreaterThan(0);
            if (c.message) expect(mine.map((f) => f.message).join('\n')).toContain(c.message);
            if (c.severity) expect(mine.filter((f) => !c.message || f.message.includes(c.message)).map((f) => f.severity)).toEqual(mine.filter((f) => !c.message || f.message.includes(c.message)).map(() => c.severity));
            if (c.at) expect(mine.map((f) => (c.at!.column === undefined ? { line: f.line } : { line: f.line, column: f.column }))).toContainEqual(c.at);
            for (const f of mine) {
              expect(f.category).toBe(rule.meta.category);
              expect(f.line).toBeGreaterThan(0);
              expect(f.column).toBeGreaterThan(0);
            }
          } else {
            expect(mine.map((f) => f.message)).toEqual([]);
          }
        });
      }
    });
  }
});
