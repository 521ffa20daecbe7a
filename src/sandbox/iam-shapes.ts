/** IAM resources as the awsQuery XML shapes the SDK expects (see the SDK's Role$, InstanceProfile$, …). */
import type { Ctx } from './context.js';
import type { ManagedPolicyRec, ProfileRec, RoleRec, TagRec } from './state.js';
import type { XmlValue } from './xml.js';

/** AWS returns policy documents URL-encoded (RFC 3986). */
export const encodeDoc = (doc: string): string => encodeURIComponent(doc);

export const roleArn = (ctx: Ctx, r: RoleRec): string => `arn:aws:iam::${ctx.opts.accountId}:role${r.path}${r.name}`;
export const profileArn = (ctx: Ctx, p: ProfileRec): string => `arn:aws:iam::${ctx.opts.accountId}:instance-profile${p.path}${p.name}`;

export function tagsXml(tags: TagRec[]): XmlValue {
  return tags.length ? tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined;
}

export function roleXml(ctx: Ctx, r: RoleRec, detail: 'list' | 'full'): XmlValue {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id,
    Arn: roleArn(ctx, r),
    CreateDate: new Date(r.createdAt),
    AssumeRolePolicyDocument: encodeDoc(r.trust),
    // An empty description is not returned (as after UpdateRole with Description='').
    Description: r.description || undefined,
    MaxSessionDuration: r.maxSessionDuration,
    PermissionsBoundary:
      detail === 'full' && r.permissionsBoundary ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: r.permissionsBoundary } : undefined,
    Tags: detail === 'full' ? tagsXml(r.tags) : undefined,
    RoleLastUsed: detail === 'full' ? {} : undefined,
  };
}

export function profileXml(ctx: Ctx, p: ProfileRec, withTags = true): XmlValue {
  const roles = p.roles.map((x) => ctx.state.roles[x.name.toLowerCase()]).filter((r): r is RoleRec => r !== undefined);
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id,
    Arn: profileArn(ctx, p),
    CreateDate: new Date(p.createdAt),
    Roles: roles.map((r) => roleXml(ctx, r, 'list')),
    Tags: withTags ? tagsXml(p.tags) : undefined,
  };
}

export function attachmentCount(ctx: Ctx, arn: string): number {
  let n = 0;
  for (const r of Object.values(ctx.state.roles)) if (r.attached.includes(arn)) n++;
  return n;
}

export function boundaryCount(ctx: Ctx, arn: string): number {
  let n = 0;
  for (const r of Object.values(ctx.state.roles)) if (r.permissionsBoundary === arn) n++;
  return n;
}

export function policyXml(ctx: Ctx, p: ManagedPolicyRec, withTags: boolean): XmlValue {
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: attachmentCount(ctx, p.arn),
    PermissionsBoundaryUsageCount: boundaryCount(ctx, p.arn),
    IsAttachable: true,
    Description: p.description,
    CreateDate: new Date(p.createdAt),
    UpdateDate: new Date(p.updatedAt),
    Tags: withTags ? tagsXml(p.tags) : undefined,
  };
}
