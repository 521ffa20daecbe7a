/** Tags charter writes on roles and policies: spec tags, service tags, then the managed tags. */
import type { CompileContext } from './context.js';
import { managedTagKeys } from './types.js';
import type { SourcePos } from '../diagnostics.js';
import { sortedTags } from '../policy/tags.js';


export const MAX_TAGS = 50;
export const CREATED_BY = 'charter';

/** This spec's resource: tagged managed and with this spec's name. */
export function isOurs(bundle: { prefix: string; specName: string }, tags: Record<string, string>): boolean {
  const keys = managedTagKeys(bundle.prefix);
  return tags[keys.managed] === 'true' && tags[keys.spec] === bundle.specName;
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
