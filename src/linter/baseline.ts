/**
 * Baselines: a file listing findings that are known and accepted, so `--baseline FILE` fails only
 * on new ones. A finding's fingerprint is sha256 over its identity: the rule, a location key for
 * its file that does not depend on how the path was typed (relative, absolute, from a sub-folder:
 * the path from the repository root: repoRelative in format/sarif.ts), the spec/JSON pointer (or subject), and the
 * message id with its data (rules with `meta.messages`) or the rule's stable key (the message
 * unless the rule gives one) — not the line, so edits elsewhere in the spec do not make old
 * findings "new", and not the wording of a message.
 *
 * Format (written by `charter lint --write-baseline FILE`):
 *   { "version": 1, "tool": "charter", "findings": [ { "fingerprint", "rule", "file", "message" } ] }
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { InputError } from '../diagnostics.js';
import { canonicalJson, sha256Hex } from '../policy/canonical.js';
import { parseJsonWithPositions } from '../policy/json-positions.js';
import { redactSecrets } from '../secrets.js';
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

/** Fingerprints of findings, given the location key of each finding's file. */
export type FingerprintOf = (f: Finding) => string;

/**
 * The fingerprint of a finding. `fileKey` is its file's location key (default: the file as
 * named); where the file's name as typed appears in the subject, the key or the data (a policy
 * file's findings name the file), the location key stands in for it.
 */
export function fingerprint(f: Finding, fileKey: string = f.file): string {
  const same = fileKey === f.file || f.file === '';
  const norm = (s: string) => (same || !s.includes(f.file) ? s : s.split(f.file).join(fileKey));
  const where = norm(f.pointer ?? f.subject ?? '');
  const data = f.data ?? {};
  // The data as is when no value names the file (nearly always): the same JSON as a copy with each value normalised.
  const named = same ? false : Object.keys(data).some((k) => data[k]!.includes(f.file));
  const what = f.messageId !== undefined ? `${f.messageId}\u0000${canonicalJson(named ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, norm(v)])) : data)}` : norm(f.message);
  return sha256Hex(`${f.rule}\u0000${fileKey}\u0000${where}\u0000${what}`).slice(0, 32);
}

/** Fingerprints with each file's location key (`keyOf`: the repository-relative path, see run.ts). */
export function fingerprintsWith(keyOf: (file: string) => string): FingerprintOf {
  // The last file's key kept: findings come file by file.
  let last: { file: string; key: string } | undefined;
  return (f) => {
    if (last?.file !== f.file) last = { file: f.file, key: keyOf(f.file) };
    return fingerprint(f, last.key);
  };
}

export function makeBaseline(findings: Finding[], fp: FingerprintOf = (f) => fingerprint(f)): Baseline {
  return baselineOf(findings.map((f) => baselineEntry(f, fp)));
}

/** What a baseline keeps of a finding (a large lint keeps only this of each, issue 14). */
export function baselineEntry(f: Finding, fp: FingerprintOf = (x) => fingerprint(x)): BaselineEntry {
  return { fingerprint: fp(f), rule: f.rule, file: f.file, message: f.message };
}

/** The baseline of these entries (sorted by fingerprint; `entries` is sorted in place). */
export function baselineOf(entries: BaselineEntry[]): Baseline {
  return { version: 1, tool: 'charter', findings: entries.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)) };
}

export function writeBaseline(path: string, findings: Finding[] | Baseline, fp?: FingerprintOf): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, redactSecrets(JSON.stringify(Array.isArray(findings) ? makeBaseline(findings, fp) : findings, null, 2)) + '\n');
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
    v = parseJsonWithPositions(text, path).value;
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, message: `baseline: ${p.message}`, hint: 'a baseline is the JSON file --write-baseline writes' })));
    throw e;
  }
  const b = v as Partial<Baseline>;
  if (!b || typeof b !== 'object' || b.version !== 1 || !Array.isArray(b.findings) || !b.findings.every((f) => f && typeof f.fingerprint === 'string')) {
    throw new InputError([{ pos: { file: path, line: 1, col: 1 }, message: 'not a charter baseline (expected {"version": 1, "findings": [{"fingerprint": ...}]})', hint: 'write one with --write-baseline FILE' }]);
  }
  return b as Baseline;
}

/** Split findings into new ones and those the baseline accepts (as a multiset: two equal findings need two entries). */
export function applyBaseline(findings: Finding[], baseline: Baseline, fp: FingerprintOf = (f) => fingerprint(f)): { fresh: Finding[]; known: Finding[] } {
  return baselineSplitter(baseline, fp)(findings);
}

/**
 * applyBaseline a piece at a time (a streamed lint, issue 14): give the findings in their final
 * order, in any number of calls; together the pieces split as applyBaseline splits them all.
 */
export function baselineSplitter(baseline: Baseline, fp: FingerprintOf = (f) => fingerprint(f)): (findings: Finding[]) => { fresh: Finding[]; known: Finding[] } {
  const counts = new Map<string, number>();
  for (const e of baseline.findings) counts.set(e.fingerprint, (counts.get(e.fingerprint) ?? 0) + 1);
  return (findings) => {
    const fresh: Finding[] = [];
    const known: Finding[] = [];
    for (const f of findings) {
      const k = fp(f);
      const c = counts.get(k) ?? 0;
      if (c > 0) {
        counts.set(k, c - 1);
        known.push(f);
      } else fresh.push(f);
    }
    return { fresh, known };
  };
}
