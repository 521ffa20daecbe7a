/**
 * IAM writes, each idempotent under retry and re-run: a create that finds the resource already
 * there checks it is charter's (managed tag) and then reconciles it instead of failing, a delete
 * that finds nothing succeeds, and nothing unmanaged is ever written unless adoption was approved.
 * Only differences are written, so a converged resource costs zero writes.
 */
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteRoleCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListInstanceProfilesForRoleCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagInstanceProfileCommand,
  TagPolicyCommand,
  TagRoleCommand,
  UntagInstanceProfileCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import type {
  GetInstanceProfileCommandOutput,
  GetPolicyCommandOutput,
  GetPolicyVersionCommandOutput,
  GetRoleCommandOutput,
  ListAttachedRolePoliciesCommandOutput,
  ListEntitiesForPolicyCommandOutput,
  ListInstanceProfilesForRoleCommandOutput,
  ListPolicyVersionsCommandOutput,
  ListRolePoliciesCommandOutput,
  Tag,
} from '@aws-sdk/client-iam';
import type { InstanceProfile, ManagedPolicy, Role } from '../compiler/types.js';
import { managedTagKeys } from '../compiler/types.js';
import { tagDelta } from '../policy/tags.js';
import { canonicalJson, canonicalPolicy } from '../policy/canonical.js';
import type { PolicyDocument } from '../policy/types.js';
import { RuntimeError } from '../diagnostics.js';
import { type ApplyContext, send } from './context.js';
import { errorCode } from '../aws/errors.js';
import { sleep } from './retry.js';

const W = { write: true } as const;
const R = { write: false } as const;

export function toTags(tags: Record<string, string>): Tag[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key]! }));
}

export function fromTags(tags: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** A document as IAM returns it (URL-encoded JSON string) or as we hold it, in canonical form. */
export function docKey(doc: string | PolicyDocument | undefined): string {
  if (doc === undefined) return '';
  let v: unknown = doc;
  if (typeof doc === 'string') {
    let s = doc;
    if (!s.trimStart().startsWith('{')) {
      try {
        s = decodeURIComponent(s);
      } catch {
        /* keep as is */
      }
    }
    try {
      v = JSON.parse(s);
    } catch {
      return s;
    }
  }
  return canonicalJson(canonicalPolicy(v as PolicyDocument));
}

export function docString(doc: PolicyDocument): string {
  return canonicalJson(doc);
}

function isManaged(ctx: ApplyContext, tags: Record<string, string>): boolean {
  return tags[managedTagKeys(ctx.bundle.prefix).managed] === 'true';
}

function notOurs(kind: string, name: string): RuntimeError {
  return new RuntimeError(`${kind} ${name} exists and is not managed by charter (no managed tag): left untouched; re-plan with --adopt to take it over`);
}


/**
 * IAM is eventually consistent: a write naming a role or profile created a moment ago can get
 * NoSuchEntity. Retry those briefly (never for deletes, where NoSuchEntity means "already gone").
 */
async function settled<T>(ctx: ApplyContext, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (errorCode(e) !== 'NoSuchEntity' || Date.now() > deadline) throw e;
      await sleep(Math.min(3_000, 200 * 2 ** i), ctx.signal);
    }
  }
}

/** Read until the entity shows up (IAM reads lag writes); an error if it never does. */
async function visible<T>(ctx: ApplyContext, read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (let i = 0; ; i++) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new RuntimeError(`${what} exists (IAM said so) but cannot be read after 30 s`);
    await sleep(Math.min(3_000, 200 * 2 ** i), ctx.signal);
  }
}

/** Tag differences: what to set, and which of our prefix's keys to remove. */
// ---------------------------------------------------------------- roles

export async function getRole(ctx: ApplyContext, name: string): Promise<GetRoleCommandOutput['Role'] | undefined> {
  try {
    const r = await send<GetRoleCommandOutput>(ctx, ctx.iam, new GetRoleCommand({ RoleName: name }), { action: 'iam:GetRole', ...R });
    return r.Role;
  } catch (e) {
    if (errorCode(e) === 'NoSuchEntity' || errorCode(e) === 'NoSuchEntityException') return undefined;
    throw e;
  }
}

/** CreateRole with trust and tags in one call; an existing managed role is reconciled instead. */
export async function createRole(ctx: ApplyContext, role: Role, adopt: boolean): Promise<{ arn: string; created: boolean }> {
  try {
    const out = await send<{ Role?: { Arn?: string } }>(
      ctx,
      ctx.iam,
      new CreateRoleCommand({
        RoleName: role.name,
        Path: role.path,
        AssumeRolePolicyDocument: docString(role.trust.document),
        ...(role.description !== undefined ? { Description: role.description } : {}),
        ...(role.maxSessionDuration !== undefined ? { MaxSessionDuration: role.maxSessionDuration } : {}),
        ...(role.permissionsBoundary !== undefined ? { PermissionsBoundary: role.permissionsBoundary } : {}),
        Tags: toTags(role.tags),
      }),
      { action: 'iam:CreateRole', ...W },
    );
    return { arn: out.Role?.Arn ?? '', created: true };
  } catch (e) {
    if (errorCode(e) !== 'EntityAlreadyExists') throw e;
    // Our own earlier attempt (a reset connection, a killed run) or someone else's role.
    const arn = await reconcileRole(ctx, role, adopt, true);
    return { arn, created: false };
  }
}

/** Bring an existing role to the bundle's trust, settings and tags, writing only differences. */
export async function reconcileRole(ctx: ApplyContext, role: Role, adopt: boolean, exists = false): Promise<string> {
  // After EntityAlreadyExists the role is there even if a read does not show it yet (IAM reads lag).
  const live = exists ? await visible(ctx, () => getRole(ctx, role.name), `role ${role.name}`) : await getRole(ctx, role.name);
  if (!live) {
    const r = await createRole(ctx, role, adopt);
    return r.arn;
  }
  const tags = fromTags(live.Tags);
  if (!isManaged(ctx, tags) && !adopt) throw notOurs('role', role.name);
  if (docKey(live.AssumeRolePolicyDocument) !== docKey(role.trust.document)) {
    await send(ctx, ctx.iam, new UpdateAssumeRolePolicyCommand({ RoleName: role.name, PolicyDocument: docString(role.trust.document) }), { action: 'iam:UpdateAssumeRolePolicy', ...W });
  }
  const wantDesc = role.description ?? '';
  const wantMax = role.maxSessionDuration ?? 3600;
  if ((live.Description ?? '') !== wantDesc || (live.MaxSessionDuration ?? 3600) !== wantMax) {
    await send(ctx, ctx.iam, new UpdateRoleCommand({ RoleName: role.name, Description: wantDesc, MaxSessionDuration: wantMax }), { action: 'iam:UpdateRole', ...W });
  }
  const liveBoundary = live.PermissionsBoundary?.PermissionsBoundaryArn;
  if (liveBoundary !== role.permissionsBoundary) {
    if (role.permissionsBoundary) {
      await send(ctx, ctx.iam, new PutRolePermissionsBoundaryCommand({ RoleName: role.name, PermissionsBoundary: role.permissionsBoundary }), { action: 'iam:PutRolePermissionsBoundary', ...W });
    } else {
      await send(ctx, ctx.iam, new DeleteRolePermissionsBoundaryCommand({ RoleName: role.name }), { action: 'iam:DeleteRolePermissionsBoundary', ...W });
    }
  }
  const d = tagDelta(ctx.bundle.prefix, tags, role.tags);
  if (Object.keys(d.set).length) {
    await send(ctx, ctx.iam, new TagRoleCommand({ RoleName: role.name, Tags: toTags(d.set) }), { action: 'iam:TagRole', ...W });
  }
  if (d.remove.length) {
    await send(ctx, ctx.iam, new UntagRoleCommand({ RoleName: role.name, TagKeys: d.remove }), { action: 'iam:UntagRole', ...W });
  }
  return live.Arn ?? '';
}

export async function putInlinePolicy(ctx: ApplyContext, roleName: string, policyName: string, doc: PolicyDocument): Promise<void> {
  await settled(ctx, () => send(ctx, ctx.iam, new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: docString(doc) }), { action: 'iam:PutRolePolicy', ...W }));
}

export async function deleteInlinePolicy(ctx: ApplyContext, roleName: string, policyName: string): Promise<void> {
  try {
    await send(ctx, ctx.iam, new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }), { action: 'iam:DeleteRolePolicy', ...W });
  } catch (e) {
    if (errorCode(e) !== 'NoSuchEntity') throw e;
  }
}

/**
 * Attach a managed policy. NoSuchEntity names either the role or the policy: a role (or a policy of
 * this spec) created a moment ago may not be visible yet, so that is retried briefly; a policy that
 * is not this spec's and that GetPolicy does not find will never appear, so that fails at once,
 * naming the ARN.
 */
export async function attachPolicy(ctx: ApplyContext, roleName: string, arn: string): Promise<void> {
  const ours = ctx.bundle.managedPolicies.some((p) => policyArn(ctx, p) === arn);
  await settled(ctx, async () => {
    try {
      await send(ctx, ctx.iam, new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }), { action: 'iam:AttachRolePolicy', ...W });
    } catch (e) {
      if (errorCode(e) === 'NoSuchEntity' && !ours && !(await policyExists(ctx, arn))) {
        const aws = /^arn:[\w-]+:iam::aws:policy\//.test(arn);
        throw new RuntimeError(`policy ${arn} does not exist${aws ? ' (no AWS managed policy has that name and path)' : ''}: not attached to role ${roleName}; fix the ARN in the spec`);
      }
      throw e;
    }
  });
}

/** Does GetPolicy find the ARN? A denied read counts as "exists" (the attach error stands). */
async function policyExists(ctx: ApplyContext, arn: string): Promise<boolean> {
  try {
    await send(ctx, ctx.iam, new GetPolicyCommand({ PolicyArn: arn }), { action: 'iam:GetPolicy', ...R });
    return true;
  } catch (e) {
    if (errorCode(e) === 'NoSuchEntity') return false;
    return true;
  }
}

export async function detachPolicy(ctx: ApplyContext, roleName: string, arn: string): Promise<void> {
  try {
    await send(ctx, ctx.iam, new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }), { action: 'iam:DetachRolePolicy', ...W });
  } catch (e) {
    if (errorCode(e) !== 'NoSuchEntity') throw e;
  }
}

/** Retry a delete briefly while IAM reports DeleteConflict (a detach not yet visible). */
async function retryConflict<T>(ctx: ApplyContext, fn: () => Promise<T>, onConflict?: () => Promise<void>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (errorCode(e) !== 'DeleteConflict' || Date.now() > deadline) throw e;
      if (onConflict) await onConflict();
      await sleep(Math.min(2_000, 100 * 2 ** i), ctx.signal);
    }
  }
}

/**
 * Delete a role: remove it from its instance profiles, delete its inline policies, detach its
 * managed policies, then DeleteRole (retried briefly on DeleteConflict). Refuses an unmanaged role.
 */
export async function deleteRole(ctx: ApplyContext, roleName: string, o: { force?: boolean } = {}): Promise<boolean> {
  const live = await getRole(ctx, roleName);
  if (!live) return false;
  if (!o.force && !isManaged(ctx, fromTags(live.Tags))) throw notOurs('role', roleName);
  const strip = async () => {
    const profiles = await send<ListInstanceProfilesForRoleCommandOutput>(ctx, ctx.iam, new ListInstanceProfilesForRoleCommand({ RoleName: roleName }), { action: 'iam:ListInstanceProfilesForRole', ...R });
    for (const p of profiles.InstanceProfiles ?? []) if (p.InstanceProfileName) await removeRoleFromProfile(ctx, p.InstanceProfileName, roleName);
    const inline = await send<ListRolePoliciesCommandOutput>(ctx, ctx.iam, new ListRolePoliciesCommand({ RoleName: roleName }), { action: 'iam:ListRolePolicies', ...R });
    for (const n of inline.PolicyNames ?? []) await deleteInlinePolicy(ctx, roleName, n);
    const attached = await send<ListAttachedRolePoliciesCommandOutput>(ctx, ctx.iam, new ListAttachedRolePoliciesCommand({ RoleName: roleName }), { action: 'iam:ListAttachedRolePolicies', ...R });
    for (const a of attached.AttachedPolicies ?? []) if (a.PolicyArn) await detachPolicy(ctx, roleName, a.PolicyArn);
  };
  await strip();
  try {
    await retryConflict(ctx, () => send(ctx, ctx.iam, new DeleteRoleCommand({ RoleName: roleName }), { action: 'iam:DeleteRole', ...W }), strip);
  } catch (e) {
    if (errorCode(e) !== 'NoSuchEntity') throw e;
  }
  return true;
}

// ---------------------------------------------------------------- instance profiles

export async function getProfile(ctx: ApplyContext, name: string): Promise<GetInstanceProfileCommandOutput['InstanceProfile'] | undefined> {
  try {
    const r = await send<GetInstanceProfileCommandOutput>(ctx, ctx.iam, new GetInstanceProfileCommand({ InstanceProfileName: name }), { action: 'iam:GetInstanceProfile', ...R });
    return r.InstanceProfile;
  } catch (e) {
    if (errorCode(e) === 'NoSuchEntity') return undefined;
    throw e;
  }
}

export async function createProfile(ctx: ApplyContext, p: InstanceProfile, adopt: boolean): Promise<{ arn: string; created: boolean }> {
  try {
    const out = await send<{ InstanceProfile?: { Arn?: string } }>(
      ctx,
      ctx.iam,
      new CreateInstanceProfileCommand({ InstanceProfileName: p.name, Path: p.path, Tags: toTags(p.tags) }),
      { action: 'iam:CreateInstanceProfile', ...W },
    );
    return { arn: out.InstanceProfile?.Arn ?? '', created: true };
  } catch (e) {
    if (errorCode(e) !== 'EntityAlreadyExists') throw e;
    return { arn: await reconcileProfile(ctx, p, adopt, true), created: false };
  }
}

export async function reconcileProfile(ctx: ApplyContext, p: InstanceProfile, adopt: boolean, exists = false): Promise<string> {
  const live = exists ? await visible(ctx, () => getProfile(ctx, p.name), `instance profile ${p.name}`) : await getProfile(ctx, p.name);
  if (!live) return (await createProfile(ctx, p, adopt)).arn;
  const tags = fromTags(live.Tags);
  if (!isManaged(ctx, tags) && !adopt) throw notOurs('instance profile', p.name);
  const d = tagDelta(ctx.bundle.prefix, tags, p.tags);
  if (Object.keys(d.set).length) {
    await send(ctx, ctx.iam, new TagInstanceProfileCommand({ InstanceProfileName: p.name, Tags: toTags(d.set) }), { action: 'iam:TagInstanceProfile', ...W });
  }
  if (d.remove.length) {
    await send(ctx, ctx.iam, new UntagInstanceProfileCommand({ InstanceProfileName: p.name, TagKeys: d.remove }), { action: 'iam:UntagInstanceProfile', ...W });
  }
  return live.Arn ?? '';
}

/** Put the role into the profile (a profile holds one role): swap out another role if present. */
export async function addRoleToProfile(ctx: ApplyContext, profileName: string, roleName: string): Promise<void> {
  try {
    await settled(ctx, () => send(ctx, ctx.iam, new AddRoleToInstanceProfileCommand({ InstanceProfileName: profileName, RoleName: roleName }), { action: 'iam:AddRoleToInstanceProfile', ...W }));
  } catch (e) {
    if (errorCode(e) !== 'LimitExceeded' && errorCode(e) !== 'EntityAlreadyExists') throw e;
    const live = await visible(ctx, () => getProfile(ctx, profileName), `instance profile ${profileName}`);
    const roles = (live.Roles ?? []).map((r) => r.RoleName ?? '');
    if (roles.includes(roleName)) return;
    if (!isManaged(ctx, fromTags(live.Tags))) throw notOurs('instance profile', profileName);
    for (const r of roles) await removeRoleFromProfile(ctx, profileName, r);
    await send(ctx, ctx.iam, new AddRoleToInstanceProfileCommand({ InstanceProfileName: profileName, RoleName: roleName }), { action: 'iam:AddRoleToInstanceProfile', ...W });
  }
}

export async function removeRoleFromProfile(ctx: ApplyContext, profileName: string, roleName: string): Promise<void> {
  try {
    await send(ctx, ctx.iam, new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: profileName, RoleName: roleName }), { action: 'iam:RemoveRoleFromInstanceProfile', ...W });
  } catch (e) {
    if (errorCode(e) !== 'NoSuchEntity') throw e;
  }
}

export async function deleteProfile(ctx: ApplyContext, name: string, o: { force?: boolean } = {}): Promise<boolean> {
  const live = await getProfile(ctx, name);
  if (!live) return false;
  if (!o.force && !isManaged(ctx, fromTags(live.Tags))) throw notOurs('instance profile', name);
  for (const r of live.Roles ?? []) if (r.RoleName) await removeRoleFromProfile(ctx, name, r.RoleName);
  try {
    await retryConflict(ctx, () => send(ctx, ctx.iam, new DeleteInstanceProfileCommand({ InstanceProfileName: name }), { action: 'iam:DeleteInstanceProfile', ...W }));
  } catch (e) {
    if (errorCode(e) !== 'NoSuchEntity') throw e;
  }
  return true;
}

// ---------------------------------------------------------------- customer-managed policies

export function policyArn(ctx: ApplyContext, p: { name: string; path: string }): string {
  return `arn:${ctx.live.partition || ctx.bundle.partition}:iam::${ctx.live.account}:policy${p.path || '/'}${p.name}`;
}

/** Resolve {accountId}/{partition} placeholders left in a customer policy ARN. */
export function resolveArn(ctx: ApplyContext, arn: string): string {
  return arn.replaceAll('{accountId}', ctx.live.account).replaceAll('{partition}', ctx.live.partition || ctx.bundle.partition);
}

export async function createManagedPolicy(ctx: ApplyContext, p: ManagedPolicy, adopt: boolean): Promise<{ arn: string; created: boolean }> {
  try {
    const out = await send<{ Policy?: { Arn?: string } }>(
      ctx,
      ctx.iam,
      new CreatePolicyCommand({ PolicyName: p.name, Path: p.path, PolicyDocument: docString(p.document), Tags: toTags(p.tags) }),
      { action: 'iam:CreatePolicy', ...W },
    );
    return { arn: out.Policy?.Arn ?? policyArn(ctx, p), created: true };
  } catch (e) {
    if (errorCode(e) !== 'EntityAlreadyExists') throw e;
    return { arn: await reconcileManagedPolicy(ctx, p, adopt, true), created: false };
  }
}

export async function reconcileManagedPolicy(ctx: ApplyContext, p: ManagedPolicy, adopt: boolean, exists = false): Promise<string> {
  const arn = policyArn(ctx, p);
  const get = async () => {
    try {
      return (await send<GetPolicyCommandOutput>(ctx, ctx.iam, new GetPolicyCommand({ PolicyArn: arn }), { action: 'iam:GetPolicy', ...R })).Policy;
    } catch (e) {
      if (errorCode(e) === 'NoSuchEntity') return undefined;
      throw e;
    }
  };
  const live = exists ? await visible(ctx, get, `policy ${arn}`) : await get();
  if (!live) return (await createManagedPolicy(ctx, p, adopt)).arn;
  const tags = fromTags(live?.Tags);
  if (!isManaged(ctx, tags) && !adopt) throw notOurs('policy', p.name);
  const v = await send<GetPolicyVersionCommandOutput>(ctx, ctx.iam, new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: live?.DefaultVersionId ?? 'v1' }), { action: 'iam:GetPolicyVersion', ...R });
  if (docKey(v.PolicyVersion?.Document) !== docKey(p.document)) {
    try {
      await send(ctx, ctx.iam, new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: docString(p.document), SetAsDefault: true }), { action: 'iam:CreatePolicyVersion', ...W });
    } catch (e) {
      if (errorCode(e) !== 'LimitExceeded') throw e;
      await deleteOldestVersion(ctx, arn);
      await send(ctx, ctx.iam, new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: docString(p.document), SetAsDefault: true }), { action: 'iam:CreatePolicyVersion', ...W });
    }
  }
  const d = tagDelta(ctx.bundle.prefix, tags, p.tags);
  if (Object.keys(d.set).length) {
    await send(ctx, ctx.iam, new TagPolicyCommand({ PolicyArn: arn, Tags: toTags(d.set) }), { action: 'iam:TagPolicy', ...W });
  }
  return arn;
}

async function deleteOldestVersion(ctx: ApplyContext, arn: string): Promise<void> {
  const vs = await send<ListPolicyVersionsCommandOutput>(ctx, ctx.iam, new ListPolicyVersionsCommand({ PolicyArn: arn }), { action: 'iam:ListPolicyVersions', ...R });
  const old = (vs.Versions ?? []).filter((v) => !v.IsDefaultVersion).sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0))[0];
  if (old?.VersionId) await send(ctx, ctx.iam, new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: old.VersionId }), { action: 'iam:DeletePolicyVersion', ...W });
}

/** Delete a customer-managed policy: detach it everywhere, delete old versions, delete it. */
export async function deleteManagedPolicy(ctx: ApplyContext, arn: string, o: { force?: boolean } = {}): Promise<boolean> {
  let live: GetPolicyCommandOutput['Policy'];
  try {
    live = (await send<GetPolicyCommandOutput>(ctx, ctx.iam, new GetPolicyCommand({ PolicyArn: arn }), { action: 'iam:GetPolicy', ...R })).Policy;
  } catch (e) {
    if (errorCode(e) === 'NoSuchEntity') return false;
    throw e;
  }
  if (!o.force && !isManaged(ctx, fromTags(live?.Tags))) throw notOurs('policy', arn);
  const strip = async () => {
    const ents = await send<ListEntitiesForPolicyCommandOutput>(ctx, ctx.iam, new ListEntitiesForPolicyCommand({ PolicyArn: arn }), { action: 'iam:ListEntitiesForPolicy', ...R });
    for (const r of ents.PolicyRoles ?? []) if (r.RoleName) await detachPolicy(ctx, r.RoleName, arn);
    for (const g of ents.PolicyGroups ?? []) if (g.GroupName) await send(ctx, ctx.iam, new DetachGroupPolicyCommand({ GroupName: g.GroupName, PolicyArn: arn }), { action: 'iam:DetachGroupPolicy', ...W });
    for (const u of ents.PolicyUsers ?? []) if (u.UserName) await send(ctx, ctx.iam, new DetachUserPolicyCommand({ UserName: u.UserName, PolicyArn: arn }), { action: 'iam:DetachUserPolicy', ...W });
    const vs = await send<ListPolicyVersionsCommandOutput>(ctx, ctx.iam, new ListPolicyVersionsCommand({ PolicyArn: arn }), { action: 'iam:ListPolicyVersions', ...R });
    for (const v of vs.Versions ?? []) {
      if (!v.IsDefaultVersion && v.VersionId) await send(ctx, ctx.iam, new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v.VersionId }), { action: 'iam:DeletePolicyVersion', ...W });
    }
  };
  if ((live?.AttachmentCount ?? 0) > 0) await strip();
  try {
    await retryConflict(ctx, () => send(ctx, ctx.iam, new DeletePolicyCommand({ PolicyArn: arn }), { action: 'iam:DeletePolicy', ...W }), strip);
  } catch (e) {
    if (errorCode(e) !== 'NoSuchEntity') throw e;
  }
  return true;
}
