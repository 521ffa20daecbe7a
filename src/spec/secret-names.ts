/**
 * Names cannot hold secrets: the spec name, the prefix, service and instance group names and role
 * names become AWS resource names, ARNs, tags, plan addresses and client tokens — public by design,
 * printed by every command and kept in plan files. A name in which findSecrets finds a secret is bad
 * input (exit 2, at the name, its kind named and never its value), not something to redact later:
 * a plan whose addresses were redacted could not be applied.
 */
import type { InputProblem } from '../diagnostics.js';
import { findSecrets } from '../secrets.js';
import type { Spec } from './types.js';
import { pointer, positionOf, type LoadedYaml } from './yaml.js';

export function secretNameProblems(spec: Spec, y: LoadedYaml): InputProblem[] {
  // [what, pointer, key or value, the name]
  const names: Array<[string, string, 'key' | 'value', unknown]> = [
    ['spec name', pointer('name'), 'value', spec.name],
    ['prefix', pointer('prefix'), 'value', spec.prefix],
  ];
  for (const [n, svc] of Object.entries(spec.services ?? {})) {
    names.push(['service name', pointer('services', n), 'key', n]);
    names.push(['role name', pointer('services', n, 'name'), 'value', svc.name]);
  }
  for (const n of Object.keys(spec.instances ?? {})) names.push(['instance group name', pointer('instances', n), 'key', n]);
  const out: InputProblem[] = [];
  for (const [what, ptr, which, name] of names) {
    const hit = typeof name === 'string' ? findSecrets(name)[0] : undefined;
    if (hit) out.push({ pos: positionOf(y, ptr, which), message: `${what} looks like a secret (${hit.description})`, hint: 'a name is public: it is part of ARNs, tags and every listing; rename it, and rotate the secret' });
  }
  return out;
}
