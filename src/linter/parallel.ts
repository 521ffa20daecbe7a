/**
 * Large sets of plain policy files (each file is its own principal, so files are independent) are
 * linted on two worker threads when the machine has two or more cores: same findings, same order
 * (the engine sorts), about half the wall time for a corpus. Specs always lint in-process.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LintResult } from './engine.js';
import type { PolicyFile } from './file-source.js';
import { cmpFindings } from './engine.js';

/** Below this many files a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_FILES = 300;

export function parallelism(files: number): number {
  if (files < PARALLEL_MIN_FILES || process.env.CHARTER_LINT_THREADS === '1') return 1;
  const forced = Number(process.env.CHARTER_LINT_THREADS);
  return Math.max(1, Math.min(forced > 0 ? forced : availableParallelism(), 4));
}

interface WorkerReply {
  ok: boolean;
  result?: LintResult;
  error?: string;
}

/** The compiled worker module (from src/ under the test runner, the built copy in dist/). */
export function workerUrl(): URL | undefined {
  const here = new URL('./parallel-worker.js', import.meta.url);
  if (existsSync(here)) return here;
  const built = new URL('../../dist/linter/parallel-worker.js', import.meta.url);
  return existsSync(built) ? built : undefined;
}

function runWorker(url: URL, files: PolicyFile[]): Promise<LintResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(url, { workerData: { files }, execArgv: [] });
    w.once('message', (m: WorkerReply) => {
      void w.terminate();
      if (m.ok && m.result) resolve(m.result);
      else reject(new Error(m.error ?? 'lint worker failed'));
    });
    w.once('error', reject);
  });
}

/** Lint policy files split across `n` workers; results merged as one run would give them. */
export async function lintFilesInParallel(files: PolicyFile[], n: number): Promise<LintResult> {
  // Contiguous halves balanced by size (big documents cost most).
  const total = files.reduce((s, f) => s + f.text.length, 0);
  const parts: PolicyFile[][] = Array.from({ length: n }, () => []);
  let acc = 0;
  for (const f of files) {
    const k = Math.min(n - 1, Math.floor((acc / total) * n));
    parts[k]!.push(f);
    acc += f.text.length;
  }
  const url = workerUrl();
  if (!url) {
    const { lint } = await import('./engine.js');
    return lint({ files }, { threads: 1 });
  }
  const results = await Promise.all(parts.filter((p) => p.length).map((p) => runWorker(url, p)));
  const findings = results.flatMap((r) => r.findings).sort(cmpFindings);
  return {
    findings,
    suppressed: results.flatMap((r) => r.suppressed),
    stats: {
      documents: results.reduce((s, r) => s + r.stats.documents, 0),
      principals: results.reduce((s, r) => s + r.stats.principals, 0),
      specs: 0,
      dataMs: Math.max(...results.map((r) => r.stats.dataMs)),
      rulesMs: Math.max(...results.map((r) => r.stats.rulesMs)),
    },
  };
}
