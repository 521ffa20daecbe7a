/**
 * `charter compile --out DIR`: manifest.json (every document's hash and every file's sha256) and one
 * file per role (trust + inline), per customer-managed policy, per launch group and its user-data.
 * Deterministic bytes; written into a temporary sibling directory and renamed into place, so a
 * reader sees the old tree or the new one, never a partial write. A non-empty directory that does
 * not hold a charter manifest is never replaced.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../diagnostics.js';
import { fsReason, isPathError, makeDirs, removeDirs } from '../fs-dirs.js';
import { prettyJson, sha256Hex } from '../policy/canonical.js';
import { redactSecrets } from '../secrets.js';
import type { Bundle } from './types.js';

/**
 * File name safe form of an address segment (service and group names are already [A-Za-z0-9_-]),
 * redacted like the contents: a name can hold a token (`ghp_…`, `AKIA…`).
 */
function safe(s: string): string {
  return redactSecrets(s).replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** The files of a bundle: relative path → content. Pure. */
export function bundleFiles(b: Bundle): Map<string, string> {
  const files = new Map<string, string>();
  const documents: Record<string, string> = {};
  for (const r of b.roles) {
    const rel = `roles/${safe(r.service)}.json`;
    files.set(
      rel,
      prettyJson({
        address: r.address,
        name: r.name,
        path: r.path,
        ...(r.description !== undefined ? { description: r.description } : {}),
        ...(r.maxSessionDuration !== undefined ? { maxSessionDuration: r.maxSessionDuration } : {}),
        ...(r.permissionsBoundary !== undefined ? { permissionsBoundary: r.permissionsBoundary } : {}),
        hash: r.hash,
        trust: r.trust.document,
        inline: Object.fromEntries(r.inline.map((p) => [p.name, p.document])),
        managed: r.managed.map((m) => m.arn),
        instanceProfile: r.needsInstanceProfile,
        tags: r.tags,
      }),
    );
    documents[`${r.address}.trust`] = r.trust.hash;
    for (const p of r.inline) documents[`${r.address}.inline.${p.name}`] = p.hash;
  }
  for (const m of b.managedPolicies) {
    files.set(`policies/${safe(m.name)}.json`, prettyJson({ address: m.address, name: m.name, path: m.path, role: m.roleAddress, hash: m.hash, document: m.document, tags: m.tags }));
    documents[m.address] = m.hash;
  }
  for (const l of b.launches) {
    files.set(`launches/${safe(l.group)}.json`, prettyJson({ address: l.address, group: l.group, service: l.service, count: l.count, instanceProfileName: l.instanceProfileName, ttlSeconds: l.ttlSeconds ?? null, idleTimeoutSeconds: l.idleTimeoutSeconds ?? null, hash: l.hash, tags: l.tags, ...(l.rootDeviceFromImage ? { rootDeviceFromImage: true } : {}), runInstances: l.runInstances }));
    files.set(`launches/${safe(l.group)}.user-data.sh`, l.userData);
    documents[l.address] = l.hash;
  }
  // The JSON files are for review and diffing: no secret in them. The user-data file is the
  // payload itself and stays as written.
  for (const [k, v] of files) if (k.endsWith('.json')) files.set(k, redactSecrets(v));
  const fileHashes: Record<string, string> = {};
  for (const k of [...files.keys()].sort()) fileHashes[k] = sha256Hex(files.get(k)!);
  const sortedDocs: Record<string, string> = {};
  for (const k of Object.keys(documents).sort()) sortedDocs[k] = documents[k]!;
  files.set('manifest.json', redactSecrets(prettyJson({ formatVersion: b.formatVersion, tool: 'charter', specName: b.specName, specHash: b.specHash, bundleHash: b.hash, documents: sortedDocs, files: fileHashes })));
  return files;
}

/** Write the bundle's files to `dir`, replacing a previous charter output there as a whole. */
export function writeBundleDir(b: Bundle, dir: string): { dir: string; files: number } {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new InputError([{ message: `--out ${dir}: exists and is not a directory` }]);
    const entries = readdirSync(target);
    if (entries.length && !entries.includes('manifest.json')) {
      throw new InputError([{ message: `--out ${dir}: directory is not empty and holds no charter manifest.json`, hint: 'choose an empty or new directory; charter only replaces its own output' }]);
    }
  }
  const parent = dirname(target);
  // Bounded directory creation (recursive mkdir never ends under /proc); a path that cannot be
  // written is bad input, and whatever this call created is removed again.
  const cannot = (e: unknown) => (isPathError(e) ? new InputError([{ message: `--out ${dir}: cannot write: ${fsReason(e)}`, hint: 'choose a writable directory' }]) : e);
  let created: string[];
  try {
    created = makeDirs(parent);
  } catch (e) {
    throw cannot(e);
  }
  const tmp = join(parent, `.${basename(target)}.tmp-${process.pid}`);
  const old = join(parent, `.${basename(target)}.old-${process.pid}`);
  let done = false;
  try {
    rmSync(tmp, { recursive: true, force: true });
    const files = bundleFiles(b);
    mkdirSync(tmp);
    for (const [rel, content] of files) {
      const p = join(tmp, rel);
      makeDirs(dirname(p));
      writeFileSync(p, content);
    }
    if (existsSync(target)) {
      renameSync(target, old);
      try {
        renameSync(tmp, target);
      } catch (e) {
        renameSync(old, target);
        throw e;
      }
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, target);
    done = true;
    return { dir, files: files.size };
  } catch (e) {
    throw cannot(e);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    if (!done) removeDirs(created);
  }
}
