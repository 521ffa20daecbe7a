/**
 * Secrets in the user-data of each launch group: the one detection behind lint's
 * secret-in-user-data rule and the gates of `compile --out` and `apply` (which refuse such
 * user-data unless --allow-secrets-in-user-data). Each hit names its kind and its place (the line
 * of the user-data file, of the spec for an inline script, or the group's key for what charter
 * adds), never the value.
 */
import { dirname, relative } from 'node:path';
import { InputError, LineIndex, type InputProblem, type SourcePos } from '../diagnostics.js';
import { sha256Hex } from '../policy/canonical.js';
import { findSecrets } from '../secrets.js';
import { referencedFile } from '../spec/referenced-files.js';
import type { LoadedSpec } from '../spec/types.js';
import { pointer, positionOf } from '../spec/yaml.js';
import type { LaunchGroup } from './types.js';

export interface UserDataSecret {
  group: string;
  pos: SourcePos;
  /** JSON pointer of the spec entry the secret belongs to (`lint.ignore` paths match it). */
  pointer: string;
  /** The kind: "AWS access key id", "credentials in a URL", … */
  description: string;
  /** The place in words: "scripts/boot.sh line 3", "userDataScript line 2", "compiled user-data". */
  where: string;
  /** sha256 of the value (one report per secret per group); never the value itself. */
  valueHash: string;
}

/** Every secret in the user-data of every launch group of a spec, in spec order, each once per group. */
export function userDataSecrets(loaded: LoadedSpec, launches: readonly LaunchGroup[]): UserDataSecret[] {
  const out: UserDataSecret[] = [];
  const specText = loaded.yaml.text;
  const specIdx = new LineIndex(specText);
  const specDir = dirname(loaded.path);
  const displayDir = dirname(loaded.displayPath);
  const byGroup = new Map(launches.map((l) => [l.group, l]));
  for (const [group, inst] of Object.entries(loaded.spec.instances ?? {})) {
    const groupPtr = pointer('instances', group);
    const seen = new Set<string>();
    const add = (pos: SourcePos, ptr: string, description: string, where: string, value: string) => {
      const valueHash = sha256Hex(value);
      if (seen.has(valueHash)) return;
      seen.add(valueHash);
      out.push({ group, pos, pointer: ptr, description, where, valueHash });
    };
    if (inst.userData !== undefined) {
      // The text the loader read (never the disk again): what was checked is what is launched.
      const { abs, file } = referencedFile(loaded, inst.userData);
      const rel = relative(specDir, abs);
      const display = displayDir === '.' ? rel : `${displayDir}/${rel}`;
      const text = file.kind === 'file' ? file.text : undefined; // the compiler reports a missing file
      if (text !== undefined) {
        const idx = new LineIndex(text);
        for (const h of findSecrets(text)) {
          const p = idx.pos(display, h.index);
          add(p, `${groupPtr}/userData`, h.description, `${display} line ${p.line}`, text.slice(h.index, h.index + h.length));
        }
      }
    } else if (inst.userDataScript !== undefined) {
      const script = inst.userDataScript;
      const ptr = pointer('instances', group, 'userDataScript');
      const idx = new LineIndex(script);
      for (const h of findSecrets(script)) {
        const value = script.slice(h.index, h.index + h.length);
        const off = specText.indexOf(value);
        add(off >= 0 ? specIdx.pos(loaded.yaml.file, off) : positionOf(loaded.yaml, ptr), ptr, h.description, `userDataScript line ${idx.pos('', h.index).line}`, value);
      }
    }
    // What charter adds (agent config, wrapper) is scanned too, through the compiled launch.
    const l = byGroup.get(group);
    if (l) for (const h of findSecrets(l.userData)) add(positionOf(loaded.yaml, groupPtr, 'key'), groupPtr, h.description, 'compiled user-data', l.userData.slice(h.index, h.index + h.length));
  }
  return out;
}

/** The sentence lint and the gates say about a secret: its kind and place, never its value. */
export function userDataSecretProblem(s: UserDataSecret): { message: string; hint: string } {
  return { message: `${s.description} in user-data of launch ${s.group} (${s.where})`, hint: 'fetch it at boot from Secrets Manager or SSM Parameter Store, and rotate it' };
}

/**
 * The gate of `compile --out` and `apply`: user-data holding a secret is refused (exit 2, one line
 * per secret at its place) unless the user passed --allow-secrets-in-user-data.
 */
export function refuseUserDataSecrets(found: readonly UserDataSecret[], what: string): void {
  if (!found.length) return;
  const problems: InputProblem[] = found.map((s) => ({ pos: s.pos, ...userDataSecretProblem(s) }));
  const groups = new Set(found.map((s) => s.group)).size;
  problems.push({ message: `${what} refused: the user-data of ${groups} launch group${groups === 1 ? '' : 's'} holds ${found.length} secret${found.length === 1 ? '' : 's'}`, hint: 'move them out of the user-data, or pass --allow-secrets-in-user-data to send them to EC2 anyway' });
  throw new InputError(problems);
}
