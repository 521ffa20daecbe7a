/**
 * Directory creation that always ends. Node's `mkdirSync(p, { recursive: true })` walks back to the
 * parent on ENOENT and forward again on EEXIST; where a parent exists but cannot hold children
 * (/proc, other pseudo file systems) that walk never ends. Here each missing level is created once,
 * top down, without `recursive`, so the first failure is thrown as is (ENOENT, EACCES, EROFS, EPERM,
 * ENOTDIR), and the caller learns which directories were created so it can remove them again.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest path at or above `path` that exists (following symlinks); the root at worst. */
export function nearestExisting(path: string): string {
  let p = resolve(path);
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return p;
}

/** A path at or above `path`, below its nearest existing ancestor, that is a symlink to nothing. */
export function danglingLink(path: string): string | undefined {
  const stop = nearestExisting(path);
  for (let p = resolve(path); p !== stop; p = dirname(p)) {
    try {
      if (lstatSync(p).isSymbolicLink()) return p;
    } catch {
      // absent: keep walking up
    }
  }
  return undefined;
}

/**
 * Create `dir` and its missing parents. Returns the directories created, outermost first (empty when
 * `dir` existed). Throws the first mkdir error, after removing what this call created.
 */
export function makeDirs(dir: string): string[] {
  const abs = resolve(dir);
  const missing: string[] = [];
  for (let p = abs; !existsSync(p); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  const created: string[] = [];
  try {
    for (const p of missing) {
      mkdirSync(p);
      created.push(p);
    }
  } catch (e) {
    removeDirs(created);
    throw e;
  }
  return created;
}

/** Remove directories makeDirs created (innermost first); ignores ones no longer empty or gone. */
export function removeDirs(created: string[]): void {
  for (const p of [...created].reverse()) {
    try {
      rmdirSync(p);
    } catch {
      // not empty or already gone: leave it
    }
  }
}

/**
 * Whether a new entry can be created in the existing directory `dir`: create and remove a temporary
 * directory there. Throws the file system error (EACCES, EROFS, EPERM, ENOENT on /proc...) when not.
 * A real attempt, not access(2): root passes access(2) on a mode 555 directory and on procfs.
 */
export function probeWritable(dir: string): void {
  const probe = mkdtempSync(join(dir, '.charter-probe-'));
  rmdirSync(probe);
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'cannot create entries there',
  ENOTDIR: 'not a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
};

/** A file system error in a few words: "read-only file system (EROFS)". */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return e instanceof Error ? e.message : String(e);
}

/** Errors that say the path cannot be written (bad input), as opposed to the disk failing. */
export function isPathError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOENT' || code === 'ENOTDIR';
}
