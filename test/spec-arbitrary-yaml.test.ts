/**
 * Totality of the loader (issue 13): arbitrary YAML documents — not only mutations of valid specs —
 * through parseSpec, compileSpec and the lint engine. Every outcome is a value or an InputError
 * whose problems each carry a file, line and column; anything else is a crash.
 *
 * The generator builds random trees of mappings, sequences and scalars of every YAML type (ints,
 * floats, hex/octal, .inf/.nan, booleans, nulls, quoted/unicode/huge strings, block scalars), with
 * anchors, aliases and merge keys, keys drawn from the spec schema so deep positions are reached,
 * rendered in block or flow style, then wrapped in BOM / CRLF / tabs / extra documents. A fraction
 * of the cases are mutations of the shipped fixtures (fixtures/*.yaml).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { lint } from '../src/linter/engine.js';
import { InputError } from '../src/diagnostics.js';
import type { LoadedSpec } from '../src/spec/types.js';
import type { Bundle } from '../src/compiler/types.js';
import { mulberry32 } from '../src/sandbox/rng.js';

const ROOT = new URL('..', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'fixtures');
const fixtureTexts = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

/** Keys of the spec schema, so random mappings land on real paths (tags, lint, trust, services, ...). */
const schemaKeys = (() => {
  const keys = new Set<string>();
  const walk = (s: unknown): void => {
    if (Array.isArray(s)) s.forEach(walk);
    else if (s && typeof s === 'object') {
      for (const [k, v] of Object.entries(s)) {
        if (k === 'properties' && v && typeof v === 'object') Object.keys(v).forEach((p) => keys.add(p));
        walk(v);
      }
    }
  };
  walk(JSON.parse(readFileSync(join(ROOT, 'schemas/spec.schema.json'), 'utf8')));
  return [...keys].sort();
})();

const plainScalar = fc.oneof(
  fc.constantFrom('1', '4410', '-0', '0x1F', '0o17', '1e400', '.inf', '-.Inf', '.nan', '3.14', 'true', 'False', 'null', '~', '', 'yes', 'on'),
  fc.constantFrom('us-east-1', 'us-east1', 't3.micro', 't3micro', 'ami-12345678', '2h', '1h30m', 'ec2', 's3:ReadOnly', 'web', 'arn:aws:s3:::b/*', 'arn:aws:s3:bkt/*', '123456789012', 'builtin', 'binary'),
  fc.stringMatching(/^[a-z][a-z0-9._:-]{0,12}$/),
);
const quotedScalar = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => `'${s.replace(/'/g, "''")}'`),
  fc.constantFrom('"\\u0000"', '"\\uD800"', '"é ü 中文 🚀"', '"\\t\\r\\n"'),
  fc.integer({ min: 1, max: 70_000 }).map((n) => `"${'x'.repeat(n)}"`),
);
const taggedScalar = fc.constantFrom('!!str 12', '!!int "7"', '!!binary aGk=', '!custom x', '!!float 1', '! bare');

type Node = { kind: 'scalar'; text: string } | { kind: 'seq'; items: Node[] } | { kind: 'map'; entries: Array<[string, Node]> } | { kind: 'alias' } | { kind: 'block'; text: string };

const keyArb = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...schemaKeys) }, { weight: 1, arbitrary: fc.constantFrom('<<', '? complex', '"quoted key"', '1', 'true', '', 'a b', 'ключ') }, { weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/) });

const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(plainScalar, quotedScalar, taggedScalar).map((text): Node => ({ kind: 'scalar', text })),
    fc.array(tie('node'), { maxLength: 4 }).map((items): Node => ({ kind: 'seq', items })),
    fc.array(fc.tuple(keyArb, tie('node')), { maxLength: 5 }).map((entries): Node => ({ kind: 'map', entries })),
    fc.constant<Node>({ kind: 'alias' }),
    fc.constantFrom('|\n  line one\n  line two', '>-\n  folded\n  text', '|+\n  keep\n\n').map((text): Node => ({ kind: 'block', text })),
  ),
}));

/** Render a tree as YAML text; `flow` and anchors are chosen by the seed stream `r`. */
function render(n: Node, indent: number, r: () => number, anchors: string[]): string {
  const pad = ' '.repeat(indent);
  const anchor = (): string => {
    if (r() < 0.15) {
      const a = `a${anchors.length}`;
      anchors.push(a);
      return `&${a} `;
    }
    return '';
  };
  switch (n.kind) {
    case 'scalar':
      return anchor() + n.text;
    case 'block':
      return n.text.replace(/\n/g, '\n' + pad);
    case 'alias':
      return anchors.length && r() < 0.8 ? `*${anchors[Math.floor(r() * anchors.length)]}` : '*missing';
    case 'seq': {
      if (n.items.length === 0 || r() < 0.3) return anchor() + '[' + n.items.map((c) => render(c, indent + 2, r, anchors).replace(/\n/g, ' ')).join(', ') + ']';
      const a = anchor();
      return a + n.items.map((c) => `\n${pad}- ${render(c, indent + 2, r, anchors)}`).join('');
    }
    case 'map': {
      if (n.entries.length === 0 || r() < 0.25) return anchor() + '{' + n.entries.map(([k, v]) => `${k}: ${render(v, indent + 2, r, anchors).replace(/\n/g, ' ')}`).join(', ') + '}';
      const a = anchor();
      return a + n.entries.map(([k, v]) => `\n${pad}${k}: ${render(v, indent + 2, r, anchors)}`).join('');
    }
  }
}

const wrap = fc.record({
  bom: fc.boolean(),
  crlf: fc.boolean(),
  tabs: fc.boolean(),
  extraDoc: fc.boolean(),
  header: fc.boolean(),
  trailingComment: fc.boolean(),
});

function wrapText(body: string, w: { bom: boolean; crlf: boolean; tabs: boolean; extraDoc: boolean; header: boolean; trailingComment: boolean }, r: () => number): string {
  let t = body;
  if (w.header) t = 'version: 1\nname: demo\nregion: us-east-1\n' + t;
  if (w.tabs && t.includes('\n')) {
    const lines = t.split('\n');
    const k = Math.floor(r() * lines.length);
    lines[k] = lines[k]!.replace(/^ {2}/, '\t');
    t = lines.join('\n');
  }
  if (w.trailingComment) t += '\n# trailing comment 🚀\n';
  if (w.extraDoc) t = r() < 0.5 ? '---\n' + t + '\n---\n' + t : '%YAML 1.2\n---\n' + t + '\n...\n';
  if (w.crlf) t = t.replace(/\n/g, '\r\n');
  if (w.bom) t = '\uFEFF' + t;
  return t;
}

const generated = fc.tuple(node, wrap, fc.integer()).map(([n, w, seed]) => {
  const r = mulberry32(seed);
  const body = n.kind === 'map' && r() < 0.9 ? render(n, 0, r, []).replace(/^\n/, '') : render(n, 0, r, []);
  return wrapText(body, w, r);
});

const tokens = fc.constantFrom(':', '- ', ' ', '\n', '\n  ', '[', ']', '{', '}', '&a ', '*a', '<<: *a', '"', "'", '#', '!!int ', 'x', '\t', '|', '4410', 'true', '', '\uFEFF', '\r\n', '---\n', 'é', '𝕏', 'x'.repeat(300));
const mutated = fc.tuple(fc.nat(fixtureTexts.length - 1), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(40), fc.array(tokens, { maxLength: 4 })), { minLength: 1, maxLength: 3 })).map(([fi, edits]) => {
  let t = fixtureTexts[fi]!;
  for (const [where, del, ins] of edits) {
    const at = Math.floor(where * t.length);
    t = t.slice(0, at) + ins.join('') + t.slice(at + del);
  }
  return t;
});

/** Line-level edits that keep the YAML well formed more often: retype a value, delete or duplicate a line. */
const retyped = fc
  .tuple(fc.nat(fixtureTexts.length - 1), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('retype', 'delete', 'duplicate', 'empty'), fc.oneof(plainScalar, quotedScalar, fc.constantFrom('[]', '{}', '[1, 2]', '{a: 1}', '*nope', '&x 1'))), { minLength: 1, maxLength: 3 }))
  .map(([fi, edits]) => {
    const lines = fixtureTexts[fi]!.split('\n');
    for (const [where, op, value] of edits) {
      const k = Math.floor(where * lines.length);
      const line = lines[k] ?? '';
      if (op === 'delete') lines.splice(k, 1);
      else if (op === 'duplicate') lines.splice(k, 0, line);
      else {
        const m = /^(\s*(?:- )?[^:#]+:)\s+\S.*$/.exec(line) ?? /^(\s*- )\S.*$/.exec(line);
        if (m) lines[k] = op === 'empty' ? m[1]! : `${m[1]} ${value}`;
      }
    }
    return lines.join('\n');
  });

const documents = fc.oneof({ weight: 6, arbitrary: generated }, { weight: 2, arbitrary: mutated }, { weight: 2, arbitrary: retyped });

interface Tally {
  loaded: number;
  compiled: number;
  inputErrors: number;
}

function checkInputError(e: unknown, stage: string, text: string): void {
  if (!(e instanceof InputError)) {
    throw new Error(`${stage} threw ${(e as Error)?.name}: ${(e as Error)?.message}\n--- input ---\n${text.slice(0, 2000)}`);
  }
  expect(e.problems.length, `${stage}: an InputError lists its problems`).toBeGreaterThan(0);
  for (const p of e.problems) {
    expect(p.pos, `${stage}: "${p.message}" has a position`).toBeDefined();
    expect(p.pos!.line).toBeGreaterThanOrEqual(1);
    expect(p.pos!.col).toBeGreaterThanOrEqual(1);
    expect(p.message).not.toMatch(/\n/);
  }
}

/** One document through every entry point a spec goes through on its way to a lint report. */
async function exercise(text: string, tally: Tally): Promise<void> {
  let loaded: LoadedSpec;
  try {
    // Placed in fixtures/ so policyFiles: and userDataScript: resolve like the shipped specs.
    loaded = parseSpec(text, 'fuzz.yaml', join(FIXTURES, 'fuzz.yaml'));
  } catch (e) {
    tally.inputErrors++;
    return checkInputError(e, 'parseSpec', text);
  }
  tally.loaded++;
  let bundle: Bundle | undefined;
  try {
    bundle = await compileSpec(loaded);
    tally.compiled++;
  } catch (e) {
    tally.inputErrors++;
    checkInputError(e, 'compileSpec', text);
  }
  try {
    await lint({ specs: [{ loaded, bundle }] });
  } catch (e) {
    checkInputError(e, 'lint', text);
  }
}

describe('arbitrary YAML documents through parseSpec, compileSpec and lint', () => {
  it('10,000 seeded documents: no exception but InputError, every problem positioned', async () => {
    const tally: Tally = { loaded: 0, compiled: 0, inputErrors: 0 };
    const cpu0 = process.cpuUsage();
    await fc.assert(
      fc.asyncProperty(documents, async (text) => {
        await exercise(text, tally);
      }),
      { numRuns: 10_000, seed: 20261202, endOnFailure: true },
    );
    const cpu = process.cpuUsage(cpu0);
    console.log(`arbitrary YAML: ${JSON.stringify(tally)}, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);
    // The generator must reach past the loader, or the compile and lint stages are untested.
    expect(tally.loaded).toBeGreaterThan(500);
    expect(tally.compiled).toBeGreaterThan(100);
    expect(tally.inputErrors).toBeGreaterThan(1000);
  }, 120_000);
});
