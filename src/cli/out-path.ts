/**
 * `--out` values are checked before any work: a path that cannot be written (a directory where a
 * file goes, a file where a directory goes or in the way of one, a dangling symlink on the way, a
 * directory that does not accept new entries: read-only, no permission, /proc) is bad input (exit 2),
 * not a runtime error (or a hang) after the plan or compile ran. Nothing is left behind.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../diagnostics.js';
import { danglingLink, fsReason, nearestExisting, probeWritable } from '../fs-dirs.js';

export function checkOutPath(flag: string, path: string, kind: 'file' | 'dir'): void {
  const abs = resolve(path);
  if (existsSync(abs)) {
    const isDir = statSync(abs).isDirectory();
    if (kind === 'file' && isDir) throw new InputError([{ message: `${flag} ${path}: is a directory`, hint: 'give a file name' }]);
    if (kind === 'dir' && !isDir) throw new InputError([{ message: `${flag} ${path}: exists and is not a directory` }]);
  } else {
    const link = danglingLink(abs);
    if (link) throw new InputError([{ message: `${flag} ${path}: ${link} is a symbolic link to a missing target` }]);
    // The nearest existing ancestor must be a directory.
    const p = nearestExisting(dirname(abs));
    if (!statSync(p).isDirectory()) throw new InputError([{ message: `${flag} ${path}: ${p} is a file, not a directory` }]);
  }
  // Writers create the missing directories and a temporary sibling of the target, then rename it into
  // place: the nearest existing directory above the target must accept new entries.
  const dir = nearestExisting(dirname(abs));
  try {
    probeWritable(dir);
  } catch (e) {
    throw new InputError([{ message: `${flag} ${path}: cannot write in ${dir}: ${fsReason(e)}`, hint: 'choose a writable directory' }]);
  }
}
