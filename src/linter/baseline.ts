/**
 * Baselines: a file listing findings that are known and accepted, so `--baseline FILE` fails only
 * on new ones. A finding's fingerprint is sha256 over rule, file, spec/JSON pointer (or subject)
 * and its stable key (the message unless the rule gives one) — not its line, so edits elsewhere
 * in the spec do not make old findings "new".
 *
 * Format (written by `charter lint --write-baseline FILE`):
 *   { "version": 1, "tool": "charter", "findings": [ { "fingerprint", "rule", "file", "message" } ] }
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { InputError } from '../diagnostics.js';
import { sha256Hex } from '../policy/canonical.js';
import type { Finding } from './types.js';

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file: string;
  message: string;
}

export interface Baseline {
  version: 1;
  tool: 'charter';
  findings: BaselineEntry[];
}

export function fingerprint(f: Finding): string {
  const where = f.pointer ?? f.subject ?? '';
  return sha256Hex(`${f.rule}\u0000${f.file}\u0000${where}\u0000${f.key ?? f.message}`).slice(0, 32);
}

export function makeBaseline(findings: Finding[]): Baseline {
  return {
    version: 1,
    tool: 'charter',
    findings: findings.map((f) => ({ fingerprint: fingerprint(f), rule: f.rule, file: f.file, message: f.message })).sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)),
  };
}

export function writeBaseline(path: string, findings: Finding[]): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(makeBaseline(findings), null, 2) + '\n');
  renameSync(tmp, path);
}

export function readBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError([{ pos: { file: path, line: 1, col: 1 }, message: `cannot read baseline: ${(e as Error).message}`, hint: 'write one with --write-baseline FILE' }]);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError([{ pos: { file: path, line: 1, col: 1 }, message: `baseline is not JSON: ${(e as Error).message}` }]);
  }
  const b = v as Partial<Baseline>;
  if (!b || typeof b !== 'object' || b.version !== 1 || !Array.isArray(b.findings) || !b.findings.every((f) => f && typeof f.fingerprint === 'string')) {
    throw new InputError([{ pos: { file: path, line: 1, col: 1 }, message: 'not a charter baseline (expected {"version": 1, "findings": [{"fingerprint": ...}]})', hint: 'write one with --write-baseline FILE' }]);
  }
  return b as Baseline;
}

/** Split findings into new ones and those the baseline accepts (as a multiset: two equal findings need two entries). */
export function applyBaseline(findings: Finding[], baseline: Baseline): { fresh: Finding[]; known: Finding[] } {
  const counts = new Map<string, number>();
  for (const e of baseline.findings) counts.set(e.fingerprint, (counts.get(e.fingerprint) ?? 0) + 1);
  const fresh: Finding[] = [];
  const known: Finding[] = [];
  for (const f of findings) {
    const fp = fingerprint(f);
    const c = counts.get(fp) ?? 0;
    if (c > 0) {
      counts.set(fp, c - 1);
      known.push(f);
    } else fresh.push(f);
  }
  return { fresh, known };
}
