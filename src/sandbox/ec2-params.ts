/** EC2 request parameters: typed reads with EC2's errors, tags, filters with wildcards. */
import { AwsError } from './errors.js';
import { qItems, qStr, qStrings, type QNode, type QTree } from './query.js';
import { type TagRec } from './state.js';
import type { Ctx } from './context.js';

export const invalidValue = (msg: string) => new AwsError('InvalidParameterValue', msg, 400);

export const missing = (name: string) => new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400);

export function intParam(p: QNode | undefined, key: string, field: string, min: number, max: number): number | undefined {
  const v = qStr(p, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw invalidValue(`Value (${v}) for parameter ${field} is invalid. Expected an integer between ${min} and ${max}.`);
  return n;
}

export function enumParam<T extends string>(p: QNode | undefined, key: string, field: string, allowed: readonly T[], def: T): T {
  const v = qStr(p, key);
  if (v === undefined) return def;
  if (!(allowed as readonly string[]).includes(v)) throw invalidValue(`Value (${v}) for parameter ${field} is invalid. Valid values: ${allowed.join(', ')}`);
  return v as T;
}

export function tagsOf(node: QNode | undefined): TagRec[] {
  return qItems(node, 'Tag').map((t) => ({ Key: qStr(t, 'Key') ?? '', Value: qStr(t, 'Value') ?? '' }));
}

export function checkEc2Tags(tags: TagRec[]): void {
  if (tags.length > 50) throw new AwsError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.', 400);
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key === '') throw invalidValue('Tag key cannot be empty');
    if (t.Key.length > 128) throw invalidValue(`Tag key exceeds the maximum length of 128 characters`);
    if (t.Value.length > 256) throw invalidValue(`Tag value exceeds the maximum length of 256 characters`);
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidValue(`Tag keys starting with 'aws:' are reserved for internal use`);
    if (seen.has(t.Key)) throw invalidValue(`Duplicate tag key '${t.Key}' specified`);
    seen.add(t.Key);
  }
}

export function wildcard(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('') + '$');
}

export const any = (vals: RegExp[], s: string | undefined) => s !== undefined && vals.some((re) => re.test(s));

export function filters(p: QTree): Array<{ name: string; values: RegExp[] }> {
  return qItems(p, 'Filter').map((f) => ({ name: qStr(f, 'Name') ?? '', values: qStrings(qItems(f, 'Value')).map(wildcard) }));
}

/** A filter of a resource kind: does resource `x` match any of the values? */
export type ResourceFilter<T> = (ctx: Ctx, x: T, values: RegExp[]) => boolean;

/**
 * The request's filters (Filter.N) as one predicate over a tagged resource kind: the kind's own
 * filters, plus `tag:KEY`, `tag-key` and `tag-value` on the resource's tags. An unknown filter
 * name is refused (InvalidParameterValue), as EC2 does.
 */
export function tagFilterMatcher<T>(ctx: Ctx, p: QTree, table: Readonly<Record<string, ResourceFilter<T>>>, tagsOf: (x: T) => readonly TagRec[]): (x: T) => boolean {
  const fs = filters(p);
  for (const f of fs) if (!f.name.startsWith('tag:') && f.name !== 'tag-key' && f.name !== 'tag-value' && !Object.hasOwn(table, f.name)) throw invalidValue(`The filter '${f.name}' is invalid`);
  return (x) =>
    fs.every((f) => {
      if (f.name.startsWith('tag:')) {
        const key = f.name.slice(4);
        return tagsOf(x).some((t) => t.Key === key && any(f.values, t.Value));
      }
      if (f.name === 'tag-key') return tagsOf(x).some((t) => any(f.values, t.Key));
      if (f.name === 'tag-value') return tagsOf(x).some((t) => any(f.values, t.Value));
      return table[f.name]!(ctx, x, f.values);
    });
}

export const invalidToken = () => invalidValue('Invalid value for parameter nextToken');
