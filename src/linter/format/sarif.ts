/**
 * SARIF 2.1.0 for GitHub code scanning: one run; the driver lists every rule (with its docs as
 * help); each result points at file/line/column relative to the repository root (uriBaseId
 * %SRCROOT%) whatever path style or working directory the files were named with, and carries a
 * partial fingerprint computed from that root-relative path, so alerts track across commits and
 * across `lint ./x`, `lint x`, `lint /abs/x` or a run from a subdirectory.
 *
 * GitHub's limits and rules, as data here:
 * - at most MAX_RESULTS results per run: the most severe are kept, and a tool execution
 *   notification says how many were left out and why;
 * - a file that failed to load is a tool execution notification (level error) at its location,
 *   and the invocation's executionSuccessful is false; the files that loaded keep their results;
 * - `security-severity` only on rules of a security category, at the level the rule's results in
 *   this run are reported at (a rule downgraded to warning scores as a warning);
 * - `helpUri` to the rule's page when the package declares where its docs live;
 * - columns count UTF-16 code units (JSON and YAML positions are JS string offsets).
 */
import { relative, resolve, sep } from 'node:path';
import type { InputProblem } from '../../diagnostics.js';
import { fingerprint } from '../baseline.js';
import { nestedJson } from './nested-json.js';
import { SEVERITY_RANK, type Category, type Finding, type Rule, type Severity } from '../types.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
/** GitHub's bands: critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };
/** Categories that are not about security: a grammar or size finding is not a vulnerability. */
const NOT_SECURITY: ReadonlySet<Category> = new Set<Category>(['grammar', 'size']);
/** GitHub code scanning rejects a run with more results than this. */
export const MAX_RESULTS = 25_000;
export const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  /** charter's version (tool.driver.version). */
  version: string;
  /** Absolute repository root (the git top level, or GITHUB_WORKSPACE): URIs are relative to it. */
  root: string;
  /** Absolute directory that relative finding paths were named from. */
  cwd: string;
  /** Inputs that failed to load (a file that is not JSON/YAML, a spec that does not compile). */
  failures?: InputProblem[];
  /** Base URL of the rule pages: helpUri is `${docsBase}${id}.md`. */
  docsBase?: string;
  /** A check that did not finish (an Access Analyzer call failed): a notification, and the run is not successful. */
  toolFailure?: string;
  /** Results per run (default MAX_RESULTS). */
  maxResults?: number;
}

export function isSecurityRule(category: Category): boolean {
  return !NOT_SECURITY.has(category);
}

/** A path as named on the command line → the repository-relative path with '/' separators. */
export function repoRelative(file: string, root: string, cwd: string): string {
  // A file named as a folder and a plain name in it (a corpus's files: one folder, a thousand
  // names) is the folder's path, worked out once, and the name (path.resolve and path.relative
  // read every character of both paths, some 12 µs a call cold).
  const slash = file.lastIndexOf('/');
  if (sep === '/' && slash > 0) {
    const name = file.slice(slash + 1);
    if (name !== '' && name !== '.' && name !== '..' && !name.includes('\\')) {
      const dir = folderOf(file.slice(0, slash), root, cwd);
      if (!dir.holdsRoot(name)) return dir.rel === '' ? name : `${dir.rel}/${name}`;
    }
  }
  return pathFromRoot(file, root, cwd);
}

function pathFromRoot(file: string, root: string, cwd: string): string {
  const rel = relative(root, resolve(cwd, file.replace(/\\/g, '/')));
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/**
 * Folders as repoRelative met them, for one root and working directory: the folder's path from
 * the root, and whether a name in it is the root or one of its ancestors (path.relative then
 * climbs out of the folder: the name is not simply appended).
 */
const folders = { root: '', cwd: '', of: new Map<string, { rel: string; holdsRoot(name: string): boolean }>() };

function folderOf(dir: string, root: string, cwd: string): { rel: string; holdsRoot(name: string): boolean } {
  if (folders.root !== root || folders.cwd !== cwd || folders.of.size >= 4096) {
    folders.root = root;
    folders.cwd = cwd;
    folders.of.clear();
  }
  let f = folders.of.get(dir);
  if (f === undefined) {
    const abs = resolve(cwd, dir.replace(/\\/g, '/'));
    const absRoot = resolve(root);
    const prefix = abs === '/' ? '/' : `${abs}/`;
    const rel = pathFromRoot(dir, root, cwd);
    f = { rel, holdsRoot: (name) => absRoot === prefix + name || absRoot.startsWith(`${prefix}${name}/`) };
    folders.of.set(dir, f);
  }
  return f;
}

const uriOf = (rel: string) => rel.split('/').map(encodeURIComponent).join('/');

function location(file: string, line: number, column: number, o: SarifOptions, uri = uriOf(repoRelative(file, o.root, o.cwd))) {
  return {
    physicalLocation: {
      artifactLocation: { uri, uriBaseId: SRCROOT },
      region: { startLine: Math.max(1, line), startColumn: Math.max(1, column) },
    },
  };
}

/** The findings a run keeps: the `max` most severe (ties in the given order), in the given order. */
export function keepMostSevere(findings: Finding[], max: number): Finding[] {
  if (findings.length <= max) return findings;
  const order = findings.map((f, i) => ({ r: SEVERITY_RANK[f.severity], i }));
  order.sort((a, b) => b.r - a.r || a.i - b.i);
  const keep = new Set(order.slice(0, max).map((x) => x.i));
  return findings.filter((_f, i) => keep.has(i));
}

/**
 * The baseline fingerprint of a finding, computed as if its file had been named by its
 * repository-relative path: the file field and the file's name inside the finding's identity (a
 * policy file's label "policy ./x.json") both become `rel`, so every way of naming a file gives one
 * fingerprint.
 */
export function stableFingerprint(f: Finding, rel: string): string {
  return fingerprint(f, rel);
}

export function formatSarif(findings: Finding[], rules: readonly Rule[], o: SarifOptions): string {
  const parts: string[] = [];
  writeSarif(findings, rules, o, (s) => parts.push(s));
  return parts.join('');
}

/** Where the results go in the log: a string JSON.stringify leaves as is and no result holds. */
const SLOT = '\u0001charter-results\u0001';
/** Results are written in pieces of about this many characters (whole results each). */
const PIECE = 1 << 16;

/**
 * formatSarif's text, written in pieces as it is made (issue 14: the log is not held as one
 * object tree and one string; only the findings are, since the rules' levels and the cap need all
 * of them before the first result). The pieces joined are formatSarif.
 */
export function writeSarif(findings: Finding[], rules: readonly Rule[], o: SarifOptions, write: (s: string) => void): void {
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const max = o.maxResults ?? MAX_RESULTS;
  const kept = keepMostSevere(findings, max);
  const left = findings.length - kept.length;
  // The level each rule is reported at in this run (its most severe result), for security-severity.
  const reported = new Map<string, Severity>();
  for (const f of kept) {
    const cur = reported.get(f.rule);
    if (!cur || SEVERITY_RANK[f.severity] > SEVERITY_RANK[cur]) reported.set(f.rule, f.severity);
  }
  const notifications: Array<Record<string, unknown>> = [];
  for (const p of o.failures ?? []) {
    notifications.push({
      descriptor: { id: 'load-failure' },
      level: 'error',
      message: { text: p.hint ? `${p.message} (${p.hint})` : p.message },
      ...(p.pos ? { locations: [location(p.pos.file, p.pos.line, p.pos.col, o)] } : {}),
    });
  }
  if (o.toolFailure) notifications.push({ descriptor: { id: 'check-failed' }, level: 'error', message: { text: o.toolFailure } });
  if (left > 0) {
    const byLevel = (['error', 'warning', 'info'] as const).map((s) => [s, findings.filter((f) => f.severity === s).length - kept.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    notifications.push({
      descriptor: { id: 'results-truncated' },
      level: 'warning',
      message: { text: `${left} of ${findings.length} results left out (${byLevel.map(([s, n]) => `${n} ${s}`).join(', ')}): GitHub code scanning accepts at most ${max} results per run, so the ${max} most severe are kept; run charter lint --format json for all of them` },
    });
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'charter',
            version: o.version,
            notifications: [
              { id: 'load-failure', shortDescription: { text: 'An input could not be loaded; its findings are missing from this run' } },
              { id: 'check-failed', shortDescription: { text: 'A check did not finish (an Access Analyzer call failed); its findings are missing from this run' } },
              { id: 'results-truncated', shortDescription: { text: 'More results than GitHub code scanning accepts in one run; the most severe were kept' } },
            ],
            rules: rules.map((r) => {
              const security = isSecurityRule(r.meta.category);
              return {
                id: r.meta.id,
                name: r.meta.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
                shortDescription: { text: r.meta.title },
                fullDescription: { text: r.meta.docs.what },
                ...(o.docsBase ? { helpUri: `${o.docsBase}${encodeURIComponent(r.meta.id)}.md` } : {}),
                help: {
                  text: `${r.meta.docs.why}\n\nFix: ${r.meta.docs.fix}`,
                  markdown: `${r.meta.docs.why}\n\n**Bad**\n\n\`\`\`\n${r.meta.docs.bad}\n\`\`\`\n\n**Good**\n\n\`\`\`\n${r.meta.docs.good}\n\`\`\`\n\n**Fix:** ${r.meta.docs.fix}`,
                },
                defaultConfiguration: { level: LEVEL[r.meta.severity] },
                properties: {
                  tags: security ? ['security', r.meta.category] : [r.meta.category],
                  ...(security ? { 'security-severity': SECURITY_SEVERITY[reported.get(r.meta.id) ?? r.meta.severity] } : {}),
                },
              };
            }),
          },
        },
        invocations: [{ executionSuccessful: (o.failures ?? []).length === 0 && !o.toolFailure, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
        columnKind: 'utf16CodeUnits',
        results: kept.length ? [SLOT] : [],
      },
    ],
  };
  // A file's path and URI, worked out once for its findings (they come file by file).
  let last: { file: string; rel: string; uri: string } | undefined;
  const result = (f: Finding) => {
    if (last?.file !== f.file) {
      const rel = repoRelative(f.file, o.root, o.cwd);
      last = { file: f.file, rel, uri: uriOf(rel) };
    }
    const rel = last.rel;
    const res: Record<string, unknown> = {
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: f.hint ? `${f.message}\nHint: ${f.hint}` : f.message },
      locations: [location(f.file, f.line, f.column, o, last.uri)],
      partialFingerprints: { 'charterFinding/v1': stableFingerprint(f, rel) },
    };
    const i = index.get(f.rule);
    if (i !== undefined) res.ruleIndex = i;
    return res;
  };
  const shell = JSON.stringify(log, null, 2) + '\n';
  if (kept.length === 0) return write(shell);
  const slot = JSON.stringify(SLOT);
  const at = shell.indexOf(slot);
  let piece = shell.slice(0, at);
  kept.forEach((f, k) => {
    // A result nested four levels deep (log, runs, run, results): JSON.stringify's own text of it, every line indented by 8.
    piece += (k ? ',\n        ' : '') + nestedJson(result(f), 4);
    if (piece.length >= PIECE) {
      write(piece);
      piece = '';
    }
  });
  write(piece + shell.slice(at + slot.length));
}
