/**
 * A YAML syntax error is reported where the mistake is (issue 13 §3): an unclosed [ { " ' at the
 * bracket or quote that opens it (the parser itself notices a line late), with a sentence; other
 * errors at the parser's position, in plainer words. The table: spec text → the problems, as
 * `line:col message`; rows that must NOT be blamed on a bracket or quote are in it too.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { specProblems } from './spec-support.js';
import { unclosedAt } from '../src/spec/yaml-unclosed.js';

const head = 'version: 1\nname: demo\nregion: us-east-1\n';
const svc = (line: string) => `${head}services:\n  web:\n${line}\n    trust: [ec2]\n`;

const ROWS: Array<[name: string, text: string, expected: string]> = [
  ['unclosed [ of a flow list', svc('    policies: [s3:ReadOnly'), '6:15 YAML syntax: this [ is never closed'],
  ['unclosed [ at the end of the file', `${head}tags: [a, b`, '4:7 YAML syntax: this [ is never closed'],
  ['unclosed { of a flow mapping', `${head}tags: {owner: alice\nprefix: x\n`, '4:7 YAML syntax: this { is never closed'],
  ['unclosed "', `version: 1\nname: "demo\nregion: us-east-1\n`, '2:7 YAML syntax: this " is never closed'],
  ["unclosed '", `version: 1\nname: 'demo\nregion: us-east-1\n`, "2:7 YAML syntax: this ' is never closed"],
  ['unclosed { inside a list item', `${head}services:\n  web:\n    use:\n      - { template: x, bucket: b\n    trust: [ec2]\n`, '7:9 YAML syntax: this { is never closed'],
  ['a [ in a comment is not an opener', `${head}# tags: [a\ntags: {a: b\nprefix: x\n`, '5:7 YAML syntax: this { is never closed'],
  ["an apostrophe inside a plain value is not a quote", `${head}tags: { note: it's, x: a\nprefix: x\n`, '4:7 YAML syntax: this { is never closed'],
  ['a block scalar holding a [ is not an opener', `${head}instances:\n  a:\n    userDataScript: |\n      echo [\n    tags: [a\n  b: c\n`, '8:11 YAML syntax: this [ is never closed'],
  ['a key without its colon', `version: 1\nname\nregion: us-east-1\n`, '2:1 YAML syntax: this line has no ":", so it is not a key: value'],
  ['a nested key without its colon', `${head}\nservices:\n  web:\n    policies [logs:WriteOnly]\n    trust: [ec2]\n`, '7:5 YAML syntax: this line has no ":"'],
  ['the first key without its colon', `version 1\nname: demo\nregion: us-east-1\n`, '1:1 YAML syntax: this line has no ":"'],
  ['a missing comma in a flow list', `${head}tags: { a: "x" "y" }\n`, '4:16 YAML syntax: a "," is missing'],
  ['a tab in the indentation', `${head}services:\n\tweb: {}\n`, '5:1 YAML syntax: a tab indents this line; YAML indents with spaces only'],
  ['an error inside a closed flow list is where the parser says', `${head}tags: [a, b: c: d]\n`, '4:'],
];

describe('YAML syntax errors are reported where the mistake is', () => {
  for (const [name, text, expected] of ROWS) {
    it(name, () => {
      const out = specProblems(text);
      expect(out).toHaveLength(1);
      expect(out[0]).toContain(expected);
    });
  }

  it('brackets open inside each other are each a problem, outermost first', () => {
    expect(specProblems(`${head}tags: {a: [b\nprefix: x\n`).map((p) => p.slice(0, 4))).toEqual(['4:7 ', '4:11']);
  });

  it('an error inside a flow list closed on the same line is not blamed on its [', () => {
    const out = specProblems(`${head}tags: [a, b: c: d]\n`);
    expect(out[0]).not.toContain('never closed');
  });

  it('what is open where the scanner stops: quotes with escapes, nested flow, a tag before a bracket', () => {
    expect(unclosedAt('a: "x\\"y" \nb: [1, {c: [2]}', 100)).toEqual([{ offset: 14, char: '[' }]);
    expect(unclosedAt("a: 'it''s\n", 100)).toEqual([{ offset: 3, char: "'" }]);
    expect(unclosedAt('a: !!seq [1,\n', 100)).toEqual([{ offset: 9, char: '[' }]);
    expect(unclosedAt('a: x[1\n- [y]\n', 100)).toEqual([]);
  });
});

describe('every bracket and quote of the shipped specs, left unclosed, is reported at its line', () => {
  const dir = new URL('../fixtures/', import.meta.url);
  const cases: Array<{ name: string; text: string; line: number }> = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
    const lines = readFileSync(new URL(f, dir), 'utf8').split('\n');
    lines.forEach((line, k) => {
      if (/^\s*#/.test(line)) return;
      for (const [open, close] of [['[', ']'], ['{', '}'], ['"', '"']] as const) {
        const o = line.indexOf(open);
        const c = line.lastIndexOf(close);
        if (o < 0 || c <= o) continue;
        cases.push({ name: `${f}:${k + 1} without its last ${close}`, text: [...lines.slice(0, k), line.slice(0, c) + line.slice(c + 1), ...lines.slice(k + 1)].join('\n'), line: k + 1 });
      }
    });
  }

  it('there are cases (the fixtures have flow lists, mappings and quoted strings)', () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it('each is reported at the line of the opener with "never closed", or is still valid YAML (a quoted string may go on over lines)', () => {
    const misplaced: string[] = [];
    let reported = 0;
    for (const c of cases) {
      const out = specProblems(c.text);
      const syntax = out.filter((p) => p.includes('YAML syntax'));
      if (syntax.length === 0) continue;
      reported++;
      if (!syntax.some((p) => p.startsWith(`${c.line}:`) && p.includes('never closed'))) misplaced.push(`${c.name}: ${syntax.join(' | ')}`);
    }
    expect(misplaced).toEqual([]);
    expect(reported).toBeGreaterThan(100);
  });
});

describe('every key: value line of the shipped specs, without its colon, is reported at its line', () => {
  it('each one that is a YAML error is reported at the line that lost its colon', () => {
    const dir = new URL('../fixtures/', import.meta.url);
    let tried = 0;
    let syntax = 0;
    const misplaced: string[] = [];
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
      const lines = readFileSync(new URL(f, dir), 'utf8').split('\n');
      lines.forEach((line, k) => {
        const m = /^( *)([A-Za-z][\w-]*): (\S.*)$/.exec(line);
        if (!m) return;
        tried++;
        const out = specProblems([...lines.slice(0, k), `${m[1]}${m[2]} ${m[3]}`, ...lines.slice(k + 1)].join('\n')).filter((p) => p.includes('YAML syntax'));
        if (!out.length) return;
        syntax++;
        if (!out.some((p) => p.startsWith(`${k + 1}:`))) misplaced.push(`${f}:${k + 1}: ${out.join(' | ')}`);
      });
    }
    expect(misplaced).toEqual([]);
    expect(tried).toBeGreaterThan(150);
    expect(syntax).toBeGreaterThan(150);
  });
});
