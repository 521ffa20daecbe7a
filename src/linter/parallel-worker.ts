/** Worker thread body for parallel.ts: lint the files it is given and post the result back. */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../diagnostics.js';
import { lint } from './engine.js';
import type { PolicyFile } from './file-source.js';

const { files } = workerData as { files: PolicyFile[] };
lint({ files })
  .then((result) => parentPort!.postMessage({ ok: true, result }))
  .catch((e: unknown) => parentPort!.postMessage({ ok: false, error: e instanceof InputError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e) }));
