/** Tags charter writes on roles and policies: spec tags, service tags, then the managed tags. */
import type { CompileContext } from './context.js';
import { managedTagKeys } from './types.js';
import type { SourcePos } from '../diagnostics.js';

export const MAX_TAGS = 50;
export const CREATED_BY = 'charter';

export function sortedTags(t: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(t).sort()) out[k] = t[k]!;
  return out;
}

/**
 * The tags apply reconciles on an existing resource: the spec's keys, and keys with charter's own
 * `{prefix}:` (removed when the spec no longer has them). Other keys (set by other tools, or a
 * user tag since dropped from the spec) are left as they are, so plan must not count them either.
 */
export function reconciledTags(live: Record<string, string>, want: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(live)) if (k in want || k.startsWith(`${prefix}:`)) out[k] = v;
  return sortedTags(out);
}

/** What apply writes to bring `live` tags to `want`: keys to set, and charter keys to remove. */
export function tagDelta(prefix: string, live: Record<string, string>, want: Record<string, string>): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(want)) if (live[k] !== v) set[k] = v;
  const remove = Object.keys(reconciledTags(live, want, prefix)).filter((k) => !(k in want)).sort();
  return { set, remove };
}

/** Whether apply would write any tag: the one test plan and the live reader use. */
export function tagsDiffer(prefix: string, live: Record<string, string>, want: Record<string, string>): boolean {
  const d = tagDelta(prefix, live, want);
  return Object.keys(d.set).length > 0 || d.remove.length > 0;
}

/** Merge user tags (later wins) and the managed tags; reserved keys in user tags are problems. */
export function entityTags(ctx: CompileContext, layers: Array<{ tags: Record<string, string> | undefined; path: Array<string | number> }>, managed: { hash: string; service?: string }, pos: SourcePos, what: string): Record<string, string> {
  const keys = managedTagKeys(ctx.prefix);
  const reservedPrefix = `${ctx.prefix}:`;
  const out: Record<string, string> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer.tags ?? {})) {
      if (k.startsWith(reservedPrefix) || k.toLowerCase().startsWith('aws:')) {
        ctx.problem(ctx.keyPos(...layer.path, k), `tag key "${k}" is reserved`, `keys starting with "${reservedPrefix}" are charter's own; "aws:" keys belong to AWS`);
        continue;
      }
      out[k] = v;
    }
  }
  out[keys.managed] = 'true';
  out[keys.spec] = ctx.loaded.spec.name;
  out[keys.hash] = managed.hash.slice(0, 8);
  out[keys.createdBy] = CREATED_BY;
  if (managed.service !== undefined) out[keys.service] = managed.service;
  const n = Object.keys(out).length;
  if (n > MAX_TAGS) ctx.problem(pos, `${what} would carry ${n} tags; IAM allows ${MAX_TAGS}`, 'remove some spec or service tags');
  return sortedTags(out);
}
