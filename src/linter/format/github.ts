/**
 * GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.
 *
 * GitHub shows at most ANNOTATION_CAP annotations of each level per step and drops the rest
 * silently, so: inputs that failed to load first (as ::error at their file and line), then
 * findings most severe first, each level stopped at the cap, and one plain line saying how many
 * more there are and where they are (the job summary when $GITHUB_STEP_SUMMARY is set, written by
 * formatGithubSummary as markdown with every finding).
 */
import type { InputProblem } from '../../diagnostics.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../types.js';

/** Annotations of one level GitHub displays per step. */
export const ANNOTATION_CAP = 10;

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

export interface GithubOptions {
  failures?: InputProblem[];
  /** The full findings go to the job summary ($GITHUB_STEP_SUMMARY is set). */
  summary?: boolean;
  /** Annotations per level (default ANNOTATION_CAP). */
  cap?: number;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function formatGithub(findings: Finding[], o: GithubOptions = {}): string {
  const w = githubWriter(o);
  w.add(findings);
  return w.end();
}

const LEVELS: Severity[] = (['error', 'warning', 'info'] as const).slice().sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a]);

/**
 * formatGithub made as findings come (issue 14: a large lint does not hold every finding): `add`
 * takes findings in their final order; only the annotations shown (the cap of each level) are
 * kept, the others counted; `end` gives the text. The same text as formatGithub of them all.
 */
export function githubWriter(o: GithubOptions = {}): { add(findings: Finding[]): void; end(): string } {
  const cap = o.cap ?? ANNOTATION_CAP;
  const shown: Record<Severity, string[]> = { error: [], warning: [], info: [] };
  const hidden: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const failures: string[] = [];
  for (const p of o.failures ?? []) {
    const msg = p.hint ? `${p.message} (${p.hint})` : p.message;
    if (failures.length >= cap) {
      hidden.error++;
      continue;
    }
    const where = p.pos ? `file=${escapeProp(p.pos.file)},line=${p.pos.line},col=${p.pos.col},` : '';
    failures.push(`::error ${where}title=${escapeProp('charter: cannot load')}::${escapeData(msg)}\n`);
  }
  const room = (s: Severity) => cap - shown[s].length - (s === 'error' ? failures.length : 0);
  return {
    add(findings) {
      for (const f of findings) {
        if (room(f.severity) <= 0) {
          hidden[f.severity]++;
          continue;
        }
        const msg = f.hint ? `${f.message} (${f.hint})` : f.message;
        shown[f.severity].push(`::${COMMAND[f.severity]} file=${escapeProp(f.file)},line=${f.line},col=${f.column},title=${escapeProp(`charter ${f.rule}`)}::${escapeData(msg)}\n`);
      }
    },
    end() {
      const out = [...failures, ...LEVELS.flatMap((s) => shown[s])];
      const more = hidden.error + hidden.warning + hidden.info;
      if (more > 0) {
        const parts = [hidden.error ? plural(hidden.error, 'error') : '', hidden.warning ? plural(hidden.warning, 'warning') : '', hidden.info ? `${hidden.info} info` : ''].filter(Boolean).join(', ');
        const where = o.summary ? 'every finding is in the job summary' : 'run charter lint --format text for every finding';
        out.push(`charter: ${more} more not annotated (${parts}): GitHub shows ${cap} annotations of each level per step; ${where}\n`);
      }
      return out.join('');
    },
  };
}

/** Markdown table cell: one line, pipes and backticks escaped. */
const cell = (s: string) => s.replace(/\r?\n/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`').replace(/</g, '&lt;');

/** Every finding as markdown for $GITHUB_STEP_SUMMARY: counts, load failures, then a table, most severe first. */
export function formatGithubSummary(findings: Finding[], o: { failures?: InputProblem[]; suppressed?: number; baselined?: number } = {}): string {
  const parts: string[] = [];
  const rows: Record<Severity, string[]> = { error: [], warning: [], info: [] };
  const w = githubSummaryWriter(o, (s, row) => rows[s].push(row));
  w.add(findings);
  w.end((s) => parts.push(s), (s) => parts.push(...rows[s]));
  return parts.join('');
}

/**
 * formatGithubSummary made as findings come: `add` takes findings in their final order and hands
 * each one's table row (a piece of text) to `row` with its level; `end` writes the summary through
 * `write`, asking `rows` to write the rows of each level, most severe first, where they go. The
 * caller keeps the rows (a large lint: outside memory); the pieces joined are formatGithubSummary.
 */
export function githubSummaryWriter(o: { failures?: InputProblem[]; suppressed?: number; baselined?: number }, row: (s: Severity, text: string) => void): { add(findings: Finding[]): void; end(write: (s: string) => void, rows: (s: Severity) => void): void } {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  return {
    add(findings) {
      for (const f of findings) {
        counts[f.severity]++;
        row(f.severity, `\n| ${f.severity} | ${cell(f.rule)} | ${cell(`${f.file}:${f.line}:${f.column}`)} | ${cell(f.message)}${f.hint ? `<br>hint: ${cell(f.hint)}` : ''} |`);
      }
    },
    end(write, rows) {
      const n = counts.error + counts.warning + counts.info;
      const out: string[] = ['## charter lint', ''];
      const extra = [o.suppressed ? `${o.suppressed} suppressed` : '', o.baselined ? `${o.baselined} in baseline` : ''].filter(Boolean).join(', ');
      out.push(n === 0 ? `No findings${extra ? ` (${extra})` : ''}.` : `${plural(n, 'finding')}: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info${extra ? ` (${extra})` : ''}.`, '');
      const failures = o.failures ?? [];
      if (failures.length) {
        out.push(`**${plural(failures.length, 'input')} could not be loaded** (their findings are missing):`, '');
        for (const p of failures) out.push(`- ${p.pos ? `${cell(`${p.pos.file}:${p.pos.line}:${p.pos.col}`)}: ` : ''}${cell(p.message)}${p.hint ? ` (${cell(p.hint)})` : ''}`);
        out.push('');
      }
      if (n === 0) return write(out.join('\n') + '\n');
      write(out.join('\n') + '\n| severity | rule | where | finding |\n| --- | --- | --- | --- |');
      for (const s of LEVELS) if (counts[s]) rows(s);
      write('\n\n');
    },
  };
}
