/**
 * src/linter/grants.ts: an ActionTable (one walk over a statement's patterns for a whole table of
 * actions) and grantsOf must answer what asking action by action answers, pattern included (the
 * pattern is where a finding points). Checked against a plain definition on generated statements.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ActionTable, grantsOf, stmtCoversAction } from '../src/linter/grants.js';
import { normalizeStatements } from '../src/linter/doc-model.js';
import { ESCALATION_PATHS } from '../src/linter/escalation-paths.js';
import { globMatch, hasWildcard } from '../src/policy/glob.js';
import type { DocView, PrincipalView, Stmt } from '../src/linter/types.js';

/**
 * The pattern of `list` that covers `action`, by definition: a literal equal to it but for case
 * first, then a pattern of its service, then one with a wildcard in the service part; the first in
 * list order within each kind.
 */
function firstByDefinition(list: string[], action: string): string | undefined {
  const lower = action.toLowerCase();
  const svc = lower.split(':')[0];
  const svcOf = (p: string) => (p.includes(':') ? p.slice(0, p.indexOf(':')) : p);
  const literal = list.find((p) => !hasWildcard(p) && p.toLowerCase() === lower);
  if (literal !== undefined) return literal;
  const ofService = list.find((p) => p !== '*' && !hasWildcard(svcOf(p)) && hasWildcard(p) && svcOf(p).toLowerCase() === svc && globMatch(p, action));
  if (ofService !== undefined) return ofService;
  return list.find((p) => (p === '*' || hasWildcard(svcOf(p))) && globMatch(p, action));
}

/** stmtCoversAction by definition: the covering pattern, undefined through NotAction, false when not covered. */
function coversByDefinition(st: Stmt, action: string): string | undefined | false {
  if (st.action) return firstByDefinition(st.action, action) ?? false;
  if (st.notAction) return firstByDefinition(st.notAction, action) === undefined ? undefined : false;
  return false;
}

const TABLE_ACTIONS = [...new Set(ESCALATION_PATHS.flatMap((p) => p.needs.flat()))];

/** Patterns near the table's actions: as listed, other case, name prefixes, "?", wildcard services, the Kelvin sign, no ":" at all. */
const pattern = fc.tuple(fc.constantFrom(...TABLE_ACTIONS, 's3:GetObject', 'logs:PutLogEvents'), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 12 })).map(([a, how, n]) => {
  const [svc, name] = a.split(':') as [string, string];
  switch (how) {
    case 0:
      return a.toLowerCase();
    case 1:
      return a.toUpperCase();
    case 2:
      return `${svc}:${name.slice(0, n)}*`;
    case 3:
      return `${svc}:*`;
    case 4:
      return `${svc.slice(0, 1)}*:${name}`;
    case 5:
      return `${svc}:${name.slice(0, n)}?${name.slice(n + 1)}`;
    case 6:
      return '*';
    case 7:
      return `${svc.toUpperCase()}:${name.slice(0, n)}*`;
    case 8:
      return a.replace(/k/g, '\u212a');
    case 9:
      return `${svc}:*${name.slice(-n)}`;
    case 10:
      return svc;
    case 11:
      return `${svc}*`;
    default:
      return a;
  }
});

const statement = fc.record({
  Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
  notAction: fc.boolean(),
  // Up to 40: lists of more than 32 patterns are indexed (ActionTable.coveredBy), shorter ones read one by one.
  // Sometimes sorted, as long lists usually are: runs of one service (the index reads a run's service once).
  list: fc.tuple(fc.array(pattern, { minLength: 1, maxLength: 40 }), fc.boolean()).map(([l, sorted]) => (sorted ? [...l].sort() : l)),
  Resource: fc.constantFrom('*', 'arn:aws:iam::123456789012:role/app-*', 'arn:aws:lambda:*:*:function:Tracker*'),
});

function doc(raw: Array<{ Effect: string; notAction: boolean; list: string[]; Resource: string }>, id: string): DocView {
  const statements = normalizeStatements({ Statement: raw.map((s) => ({ Effect: s.Effect, [s.notAction ? 'NotAction' : 'Action']: s.list, Resource: s.Resource })) });
  return { id, label: id, kind: 'identity', statements } as unknown as DocView;
}

describe('ActionTable', () => {
  const table = new ActionTable(TABLE_ACTIONS);

  it('finds the actions a statement covers, with the pattern stmtCoversAction points at', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), (raw) => {
        const d = doc(raw, 'p.json');
        for (const st of d.statements) {
          // Asked first: stmtCoversAction indexes the list, and a short list not indexed yet is read without one.
          const got = table.covered(st);
          const expected = TABLE_ACTIONS.flatMap((a, k) => {
            const m = coversByDefinition(st, a);
            expect(stmtCoversAction(st, a)).toBe(m);
            return m === false ? [] : [{ k, pattern: m }];
          });
          expect(got).toEqual(expected);
          expect(table.covered(st)).toEqual(expected);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('grantsOf answers as Allow statements covering the action less those a Deny takes away', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.array(statement, { maxLength: 3 }), (a, b) => {
        const docs = [doc(a, 'a.json'), doc(b, 'b.json')];
        const p = { id: 'p', label: 'p', docs, managed: [] } as unknown as PrincipalView;
        for (const action of [...TABLE_ACTIONS, 'iam:PassRole', 'ec2:CreateTags']) {
          const expected = docs.flatMap((d) =>
            d.statements.flatMap((st) => {
              if (st.effect !== 'Allow') return [];
              const m = coversByDefinition(st, action);
              if (m === false) return [];
              // An unconditional Deny covering the action on "*", or on every resource of the Allow.
              const denied = docs.some((x) => x.statements.some((dst) => dst.effect === 'Deny' && coversByDefinition(dst, action) !== false && (dst.resource!.includes('*') || st.resource!.every((r) => dst.resource!.some((q) => globMatch(q, r))))));
              return denied ? [] : [m === undefined ? { doc: d.id, index: st.index } : { doc: d.id, index: st.index, pattern: m }];
            }),
          );
          expect(grantsOf(p, action).map((g) => (g.pattern === undefined ? { doc: g.doc.id, index: g.st.index } : { doc: g.doc.id, index: g.st.index, pattern: g.pattern }))).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
