/**
 * The files a spec refers to (services.*.policyFiles, instances.*.userData), read once when the
 * spec file is loaded (loadSpecFile): compile and lint work from these texts, so what was checked
 * is what was read, and no rule reads the disk again. A spec parsed from text (parseSpec, as tests
 * and in-memory callers do) has no `files`; its references are read when first asked for.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LoadedSpec, Spec } from './types.js';

/** The largest referenced file held in memory (policy files are refused above 1 MB, user-data far below). */
export const MAX_REFERENCED_BYTES = 1024 * 1024;

export type ReferencedFile =
  | { kind: 'file'; text: string; size: number }
  | { kind: 'too-large'; size: number }
  | { kind: 'not-a-file' }
  | { kind: 'unreadable'; code: string };

/** Read one referenced file (bytes measured before reading; larger than MAX_REFERENCED_BYTES is not read). */
export function readReferenced(abs: string): ReferencedFile {
  try {
    const st = statSync(abs);
    if (!st.isFile()) return { kind: 'not-a-file' };
    if (st.size > MAX_REFERENCED_BYTES) return { kind: 'too-large', size: st.size };
    return { kind: 'file', text: readFileSync(abs, 'utf8'), size: st.size };
  } catch (e) {
    return { kind: 'unreadable', code: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}

/** Absolute path of a file the spec at `specPath` names (relative to the spec's directory). */
export function referencedPath(specPath: string, rel: string): string {
  return resolve(dirname(specPath), rel);
}

/** Every file the spec refers to, read once, by absolute path. */
export function readReferencedFiles(spec: Spec, specPath: string): ReadonlyMap<string, ReferencedFile> {
  const rels = [...Object.values(spec.services ?? {}).flatMap((s) => s.policyFiles ?? []), ...Object.values(spec.instances ?? {}).flatMap((i) => (i.userData !== undefined ? [i.userData] : []))];
  const out = new Map<string, ReferencedFile>();
  for (const rel of rels) {
    const abs = referencedPath(specPath, rel);
    if (!out.has(abs)) out.set(abs, readReferenced(abs));
  }
  return out;
}

/** A file the spec refers to, as the loader read it (read now for a spec parsed from text). */
export function referencedFile(loaded: LoadedSpec, rel: string): { abs: string; file: ReferencedFile } {
  const abs = referencedPath(loaded.path, rel);
  return { abs, file: loaded.files?.get(abs) ?? readReferenced(abs) };
}
