/**
 * `--out` values are checked before any work: a path that cannot be written (a directory where a
 * file goes, a file where a directory goes or in the way of one) is bad input (exit 2), not a
 * runtime error after the plan or compile ran.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../diagnostics.js';

export function checkOutPath(flag: string, path: string, kind: 'file' | 'dir'): void {
  const abs = resolve(path);
  if (existsSync(abs)) {
    const isDir = statSync(abs).isDirectory();
    if (kind === 'file' && isDir) throw new InputError([{ message: `${flag} ${path}: is a directory`, hint: 'give a file name' }]);
    if (kind === 'dir' && !isDir) throw new InputError([{ message: `${flag} ${path}: exists and is not a directory` }]);
    return;
  }
  // The nearest existing ancestor must be a directory.
  for (let p = dirname(abs); ; p = dirname(p)) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory()) throw new InputError([{ message: `${flag} ${path}: ${p} is a file, not a directory` }]);
      return;
    }
    if (dirname(p) === p) return;
  }
}
