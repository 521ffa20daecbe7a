/**
 * `charter lint --format github` for a streamed lint (issue 14): annotations keep only what GitHub
 * shows; the job summary's rows, which list every finding most severe first, wait in temporary
 * files by level (not in memory) until the summary is appended to $GITHUB_STEP_SUMMARY.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InputProblem } from '../diagnostics.js';
import { redactSecrets } from '../secrets.js';
import { githubSummaryWriter, githubWriter } from '../linter/format/github.js';
import type { Finding, Severity } from '../linter/types.js';

/** Rows by level in temporary files, written in pieces of about 64 KiB. */
function spill() {
  const dir = mkdtempSync(join(tmpdir(), 'charter-summary-'));
  const files = new Map<Severity, { fd: number; pending: string }>();
  const flush = (f: { fd: number; pending: string }) => {
    if (f.pending) writeSync(f.fd, f.pending);
    f.pending = '';
  };
  return {
    append(s: Severity, text: string) {
      let f = files.get(s);
      if (!f) files.set(s, (f = { fd: openSync(join(dir, s), 'w+'), pending: '' }));
      if ((f.pending += text).length >= 1 << 16) flush(f);
    },
    copyTo(s: Severity, out: number) {
      const f = files.get(s);
      if (!f) return;
      flush(f);
      const buf = Buffer.alloc(1 << 16);
      for (let pos = 0, n; (n = readSync(f.fd, buf, 0, buf.length, pos)) > 0; pos += n) writeSync(out, buf, 0, n);
    },
    remove() {
      for (const f of files.values()) closeSync(f.fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What the github format needs as findings come: `add` them in their final order; `end` appends
 * the job summary (when `summaryFile` is set, with the counts of findings not shown) and writes
 * the annotations to `out`; `close` removes the temporary files, whatever happened.
 */
export function githubStream(o: { failures: InputProblem[]; summaryFile?: string; out: (s: string) => void }): { add(findings: Finding[]): void; end(extra: { suppressed: number; baselined: number }): void; close(): void } {
  const annotations = githubWriter({ failures: o.failures, summary: Boolean(o.summaryFile) });
  const rows = o.summaryFile ? spill() : undefined;
  // The summary's counts of findings not shown are known at the end.
  const counts: { failures: InputProblem[]; suppressed?: number; baselined?: number } = { failures: o.failures };
  const summary = rows ? githubSummaryWriter(counts, (s, row) => rows.append(s, redactSecrets(row))) : undefined;
  return {
    add(findings) {
      annotations.add(findings);
      summary?.add(findings);
    },
    end(extra) {
      counts.suppressed = extra.suppressed;
      counts.baselined = extra.baselined;
      if (summary && rows && o.summaryFile) {
        const fd = openSync(o.summaryFile, 'a');
        try {
          summary.end(
            (s) => writeSync(fd, redactSecrets(s)),
            (s) => rows.copyTo(s, fd),
          );
        } finally {
          closeSync(fd);
        }
      }
      o.out(annotations.end());
    },
    close() {
      rows?.remove();
    },
  };
}
