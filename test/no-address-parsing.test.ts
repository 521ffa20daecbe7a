/**
 * Issue 10 §1: apply decides from a change's typed fields (kind, target, before/after), never by
 * parsing its address or an output's prose. Addresses stay as stable ids (dependsOn, journal keys,
 * bundle lookups by address). Each pattern is a table row with must-fire and must-not-fire samples,
 * then src/apply and src/plan are read for it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '..', 'src');

const PATTERNS: Array<{ name: string; re: RegExp; fires: string[]; quiet: string[] }> = [
  {
    name: 'slicing or splitting an address',
    re: /(?:address|Address)\s*(?:\?\.|\.)\s*(?:slice|split|substring|substr|indexOf|lastIndexOf|match|replace)\s*\(/,
    fires: ['c.address.slice(5)', 'p.roleAddress.slice(5)', "c.address.split('.')", 'x.target?.roleAddress?.match(/role/)'],
    quiet: ['idx.roles.get(c.address)', 'byAddress.get(s.change.address)', 'const address = `${r.address}.inline.${n}`'],
  },
  {
    name: 'testing an address by its prefix or suffix',
    re: /\b(?:address|Address|id)\s*(?:\?\.|\.)\s*(?:startsWith|endsWith|includes)\s*\(\s*['"`](?:orphan|role|policy|profile|launch|instances)?\.?/,
    fires: ["c.address.startsWith('orphan.')", "c.address.endsWith('.extra')", "a.address.includes('.inline.')", "s.id.startsWith('launch.')"],
    quiet: ["c.kind === 'instances'", 'c.orphan === true', "l.startsWith('+')"],
  },
  {
    name: 'reading a step outcome or reason from its prose',
    re: /\b(?:detail|reason)\s*(?:\?\.|\.)\s*(?:split|match|startsWith|includes)\s*\(/,
    fires: ["out.detail.split(' ')", 'c.reason.match(/drift/)', "c.reason.startsWith('changed outside')"],
    quiet: ['s.terminated.push(...(out.terminated ?? []))', "c.reason.code === 'orphan'"],
  },
  {
    name: 'parsing a fingerprint key (its typed target says what it is of)',
    re: /\b(?:key|fpKey|Key)\s*(?:\?\.|\.)\s*(?:slice|split|substring|indexOf|lastIndexOf|startsWith|match)\s*\(/,
    fires: ["const i = key.indexOf(':')", 'fpKey.slice(fpKey.lastIndexOf(\'/\') + 1)', "f.key.startsWith('policy:')"],
    quiet: ["f.target.kind === 'policy'", 'cur.get(f.key)', 'seen.has(f.key)'],
  },
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

// The fingerprinting and re-reading of live state are in src/aws; they decide from targets too.
const AWS_FILES = ['fingerprints.ts', 'live-state.ts'].map((f) => join(SRC, 'aws', f));

describe('no address parsing in src/apply and src/plan', () => {
  it.each(PATTERNS)('$name: the pattern fires on its samples and not on the typed forms', ({ re, fires, quiet }) => {
    for (const s of fires) expect(re.test(s), s).toBe(true);
    for (const s of quiet) expect(re.test(s), s).toBe(false);
  });

  it.each(PATTERNS)('$name: no line of src/apply or src/plan does it', ({ re }) => {
    const hits: string[] = [];
    for (const f of [...files(join(SRC, 'apply')), ...files(join(SRC, 'plan')), ...AWS_FILES]) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (re.test(line)) hits.push(`${relative(SRC, f)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });
});
