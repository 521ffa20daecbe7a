/** What the IAM handlers share: lookups with IAM's errors, parameters, paging, visibility. */
import type { Ctx } from './context.js';
import { invalidInput, noSuchEntity, validationError } from './errors.js';
import { awsManagedExists, isAwsManaged } from './iam-aws-managed.js';
import { checkMaxItems, checkName, checkTags, mergeTags } from './iam-validate.js';
import { invalidMarker, paginate } from './paging.js';
import { qMembers, qStr, qStrings, type QTree } from './query.js';
import { nameKey, type ManagedPolicyRec, type ProfileRec, type RoleRec, type TagRec } from './state.js';
import { type XmlValue } from './xml.js';

export type IamHandler = (ctx: Ctx, p: QTree) => XmlValue | undefined;

/** AWS's default account quotas (GetAccountSummary reports the same numbers). */
export const ACCOUNT_QUOTAS = { roles: 1000, policies: 1500, profiles: 1000 };

export function tagsParam(p: QTree, key = 'Tags'): TagRec[] {
  return qMembers(p, key).map((t) => ({ Key: qStr(t, 'Key') ?? '', Value: qStr(t, 'Value') ?? '' }));
}

export function findRole(ctx: Ctx, name: string): RoleRec {
  checkName(name, 'roleName', 64);
  const r = ctx.state.roles[nameKey(name)];
  if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

export function findProfile(ctx: Ctx, name: string): ProfileRec {
  checkName(name, 'instanceProfileName', 128);
  const pr = ctx.state.profiles[nameKey(name)];
  if (!pr) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return pr;
}

export const POLICY_ARN_RE = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy(\/|\/[\u0021-\u007E]+\/)([\w+=,.@-]+)$/;

export function checkPolicyArn(arn: string | undefined): RegExpExecArray {
  if (arn === undefined) throw validationError(`1 validation error detected: Value null at 'policyArn' failed to satisfy constraint: Member must not be null`);
  const m = POLICY_ARN_RE.exec(arn);
  if (!m) throw invalidInput(`ARN ${arn} is not valid.`);
  return m;
}

export function findPolicy(ctx: Ctx, arn: string | undefined): ManagedPolicyRec {
  checkPolicyArn(arn);
  const pol = ctx.state.policies[arn!];
  if (!pol) throw noSuchEntity(`Policy ${arn} was not found.`);
  return pol;
}

export function req(p: QTree, key: string, field: string): string {
  const v = qStr(p, key);
  if (v === undefined) throw validationError(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  return v;
}

export function checkMaxSession(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 3600 || n > 43200) {
    throw validationError(`1 validation error detected: Value '${v}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`);
  }
  return n;
}

export function listPage<T>(items: T[], key: (t: T) => string, p: QTree) {
  const page = paginate(items, key, qStr(p, 'Marker'), checkMaxItems(qStr(p, 'MaxItems')), invalidMarker);
  return { page, tail: { IsTruncated: page.next !== undefined, Marker: page.next } };
}

export const sortedRoles = (ctx: Ctx): RoleRec[] => Object.values(ctx.state.roles).sort((a, b) => (nameKey(a.name) < nameKey(b.name) ? -1 : 1));

/** IAM reads are eventually consistent: with iamReadDelayMs, a new entity is invisible to Get/List for that long. */
export function readable(ctx: Ctx, createdAt: number): boolean {
  return ctx.now >= createdAt + ctx.opts.iamReadDelayMs;
}

export function untag(existing: TagRec[], p: QTree): TagRec[] {
  const keys = new Set(qStrings(qMembers(p, 'TagKeys')).map((k) => k.toLowerCase()));
  return existing.filter((t) => !keys.has(t.Key.toLowerCase()));
}

export function tagList(tags: TagRec[], p: QTree): XmlValue {
  const { page, tail } = listPage(tags, (t) => t.Key, p);
  return { Tags: page.items.map((t) => ({ Key: t.Key, Value: t.Value })), ...tail };
}

/** Tag*, Untag* and List*Tags of one kind of entity (role, instance profile, managed policy), found by `find`. */
export function tagHandlers(find: (ctx: Ctx, p: QTree) => { tags: TagRec[] }): { tag: IamHandler; untag: IamHandler; list: IamHandler } {
  return {
    tag: (ctx, p) => {
      const entity = find(ctx, p);
      const tags = tagsParam(p);
      checkTags(tags, entity.tags);
      entity.tags = mergeTags(entity.tags, tags);
      return undefined;
    },
    untag: (ctx, p) => {
      const entity = find(ctx, p);
      entity.tags = untag(entity.tags, p);
      return undefined;
    },
    list: (ctx, p) => tagList([...find(ctx, p).tags].sort((a, b) => (a.Key < b.Key ? -1 : 1)), p),
  };
}

export function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function attachable(ctx: Ctx, arn: string | undefined): string {
  const m = checkPolicyArn(arn);
  if (m[1] === 'aws') {
    if (!awsManagedExists(ctx, arn!)) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    return arn!;
  }
  if (m[1] !== ctx.opts.accountId || !ctx.state.policies[arn!]) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return arn!;
}

export function findAwsPolicy(ctx: Ctx, arn: string | undefined): string | undefined {
  if (arn === undefined || !isAwsManaged(arn)) return undefined;
  checkPolicyArn(arn);
  if (!awsManagedExists(ctx, arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  return arn;
}

export const sortedProfiles = (ctx: Ctx): ProfileRec[] => Object.values(ctx.state.profiles).sort((a, b) => (nameKey(a.name) < nameKey(b.name) ? -1 : 1));

export function profilesForRole(ctx: Ctx, role: RoleRec): ProfileRec[] {
  return sortedProfiles(ctx).filter((x) => x.roles.some((r) => nameKey(r.name) === nameKey(role.name)));
}
