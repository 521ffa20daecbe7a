/** EC2 tags on instances and their volumes: CreateTags (all or nothing), DeleteTags, DescribeTags. */
import type { Ctx } from './context.js';
import { AwsError } from './errors.js';
import { decodeMarker, paginate } from './paging.js';
import { qItems, qStr, qStrings } from './query.js';
import { type TagRec } from './state.js';
import { invalidValue, missing, intParam, tagsOf, checkEc2Tags, any, filters, invalidToken } from './ec2-params.js';
import type { Ec2Handler } from './ec2.js';

interface Taggable {
  id: string;
  type: 'instance' | 'volume';
  get: () => TagRec[];
  set: (t: TagRec[]) => void;
}

function taggables(ctx: Ctx): Taggable[] {
  const out: Taggable[] = [];
  for (const i of Object.values(ctx.state.instances)) {
    out.push({ id: i.id, type: 'instance', get: () => i.tags, set: (t) => (i.tags = t) });
    for (const b of i.blockDevices) out.push({ id: b.volumeId, type: 'volume', get: () => b.tags ?? [], set: (t) => (b.tags = t) });
  }
  return out;
}

function findTaggables(ctx: Ctx, ids: string[]): Taggable[] {
  if (!ids.length) throw missing('ResourceId');
  const all = new Map(taggables(ctx).map((t) => [t.id, t]));
  return ids.map((id) => {
    const t = all.get(id);
    if (t) return t;
    if (id.startsWith('i-')) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`, 400);
    if (id.startsWith('vol-')) throw new AwsError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`, 400);
    throw new AwsError('InvalidID', `The ID '${id}' is not valid`, 400);
  });
}

const CreateTags: Ec2Handler = (ctx, p) => {
  const tags = tagsOf(p);
  const targets = findTaggables(ctx, qStrings(qItems(p, 'ResourceId')));
  // All or nothing: validate every target's result before changing any.
  const merged = targets.map((t) => [...t.get().filter((x) => !tags.some((n) => n.Key === x.Key)), ...tags.map((x) => ({ ...x }))]);
  merged.forEach(checkEc2Tags);
  targets.forEach((t, i) => t.set(merged[i]!));
  return { return: true };
};

const DeleteTags: Ec2Handler = (ctx, p) => {
  const tags = qItems(p, 'Tag').map((t) => ({ key: qStr(t, 'Key') ?? '', value: qStr(t, 'Value') }));
  for (const t of findTaggables(ctx, qStrings(qItems(p, 'ResourceId')))) {
    t.set(tags.length === 0 ? [] : t.get().filter((x) => !tags.some((d) => d.key === x.Key && (d.value === undefined || d.value === x.Value))));
  }
  return { return: true };
};

const TAG_FILTERS: Record<string, (t: { id: string; type: string; key: string; value: string }, v: RegExp[]) => boolean> = {
  'resource-id': (t, v) => any(v, t.id),
  'resource-type': (t, v) => any(v, t.type),
  key: (t, v) => any(v, t.key),
  value: (t, v) => any(v, t.value),
};

const DescribeTags: Ec2Handler = (ctx, p) => {
  const fs = filters(p);
  for (const f of fs) if (!Object.hasOwn(TAG_FILTERS, f.name)) throw invalidValue(`The filter '${f.name}' is invalid`);
  const rows = taggables(ctx)
    .flatMap((t) => t.get().map((tag) => ({ id: t.id, type: t.type, key: tag.Key, value: tag.Value })))
    .filter((r) => fs.every((f) => TAG_FILTERS[f.name]!(r, f.values)))
    .sort((a, b) => (a.id + '\u0000' + a.key < b.id + '\u0000' + b.key ? -1 : 1));
  const max = intParam(p, 'MaxResults', 'maxResults', 5, 1000) ?? 1000;
  const token = qStr(p, 'NextToken');
  if (token !== undefined) decodeMarker(token, invalidToken);
  const page = paginate(rows, (r) => r.id + '\u0000' + r.key, token, max, invalidToken);
  return { tagSet: page.items.map((r) => ({ resourceId: r.id, resourceType: r.type, key: r.key, value: r.value })), nextToken: page.next };
};

export const TAG_ACTIONS: Record<string, Ec2Handler> = { CreateTags, DeleteTags, DescribeTags };
