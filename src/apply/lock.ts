/**
 * One writer per directory: .charter/apply.lock (created with O_EXCL, holding the pid) keeps two
 * applies of the same checkout from racing (two plans have different client tokens, so EC2 could
 * not dedupe their launches). A lock whose process is gone (kill -9, crash) is taken over.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../diagnostics.js';
import { redactSecrets } from '../secrets.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Lock {
  release(): void;
}

export function acquireLock(dir: string, what: string): Lock {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'apply.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, redactSecrets(JSON.stringify({ pid: process.pid, what, since: new Date().toISOString() })) + '\n');
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid?: number; what?: string; since?: string } = {};
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as typeof holder;
      } catch {
        holder = {};
      }
      if (typeof holder.pid === 'number' && holder.pid !== process.pid && alive(holder.pid)) {
        throw new RuntimeError(`another charter run (pid ${holder.pid}: ${holder.what ?? '?'}, since ${holder.since ?? '?'}) is writing from this directory; wait for it to finish (or delete ${file} if that process is gone)`);
      }
      rmSync(file, { force: true }); // left by a dead process (or by ourselves): take it over
    }
  }
  throw new RuntimeError(`could not take the lock ${file}`);
}
