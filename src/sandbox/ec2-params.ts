/** EC2 request parameters: typed reads with EC2's errors, tags, filters with wildcards. */
import { AwsError } from './errors.js';
import { qItems, qStr, qStrings, type QNode, type QTree } from './query.js';
import { type TagRec } from './state.js';

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

export const invalidToken = () => invalidValue('Invalid value for parameter nextToken');
