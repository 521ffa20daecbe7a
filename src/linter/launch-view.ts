/** Instance groups as launch rules see them: the spec entry, its compiled launch (if any), its user-data source. */
import type { LaunchGroup } from '../compiler/types.js';
import type { InstanceSpec } from '../spec/types.js';
import { pointer } from '../spec/yaml.js';
import { referencedFile } from '../spec/referenced-files.js';
import type { SpecView } from './types.js';

export interface InstanceView {
  group: string;
  spec: InstanceSpec;
  ptr: string;
  launch?: LaunchGroup;
  /** User-data script text as written (file or inline), with where it lives. */
  userData?: { text: string; file?: { abs: string; display: string }; inlinePtr?: string };
}

export function instanceViews(s: SpecView): InstanceView[] {
  const out: InstanceView[] = [];
  const byGroup = new Map(s.launches.map((l) => [l.group, l]));
  for (const [group, spec] of Object.entries(s.loaded.spec.instances ?? {})) {
    const v: InstanceView = { group, spec, ptr: pointer('instances', group) };
    const l = byGroup.get(group);
    if (l) v.launch = l;
    if (spec.userData) {
      // As the loader read it (the compiler reports a file it could not read).
      const { abs, file } = referencedFile(s.loaded, spec.userData);
      if (file.kind === 'file') v.userData = { text: file.text, file: { abs, display: s.display(abs) } };
    } else if (spec.userDataScript !== undefined) {
      v.userData = { text: spec.userDataScript, inlinePtr: pointer('instances', group, 'userDataScript') };
    }
    out.push(v);
  }
  return out;
}

export function get(o: unknown, ...path: Array<string | number>): unknown {
  let v = o;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}
