/**
 * IAM (awsQuery, Version 2010-05-08): roles, inline and managed policies, instance profiles,
 * GetAccountAuthorizationDetails and GetAccountSummary, with the real service's validation,
 * error codes and quotas. Handlers return the content of `<ActionResult>` (undefined: no Result).
 */
import { policySize } from '../policy/canonical.js';
import type { Ctx } from './context.js';
import { deleteConflict, invalidInput, limitExceeded, noSuchEntity, alreadyExists, validationError } from './errors.js';
import { encodeDoc, policyXml, profileXml, roleXml } from './iam-shapes.js';
import { AWS_POLICY_DATE, awsManagedAttached, awsManagedExists, awsPolicyXml, isAwsManaged, policyPathOf } from './iam-aws-managed.js';
import {
  INLINE_AGGREGATE_QUOTA, checkDescription, checkManagedSize, checkMaxItems, checkName, checkPath, checkPathPrefix, checkTags,
  mergeTags, validateIdentityPolicy, validateTrustPolicy,
} from './iam-validate.js';
import { invalidMarker, paginate } from './paging.js';
import { qMembers, qStr, qStrings, type QTree } from './query.js';
import { nameKey, newId, type ManagedPolicyRec, type ProfileRec, type RoleRec, type TagRec } from './state.js';
import { XmlList, type XmlValue } from './xml.js';

export type IamHandler = (ctx: Ctx, p: QTree) => XmlValue | undefined;

/** AWS's default account quotas (GetAccountSummary reports the same numbers). */
export const ACCOUNT_QUOTAS = { roles: 1000, policies: 1500, profiles: 1000 };

function tagsParam(p: QTree, key = 'Tags'): TagRec[] {
  return qMembers(p, key).map((t) => ({ Key: qStr(t, 'Key') ?? '', Value: qStr(t, 'Value') ?? '' }));
}

export function findRole(ctx: Ctx, name: string): RoleRec {
  checkName(name, 'roleName', 64);
  const r = ctx.state.roles[nameKey(name)];
  if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

function findProfile(ctx: Ctx, name: string): ProfileRec {
  checkName(name, 'instanceProfileName', 128);
  const pr = ctx.state.profiles[nameKey(name)];
  if (!pr) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return pr;
}

const POLICY_ARN_RE = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy(\/|\/[\u0021-\u007E]+\/)([\w+=,.@-]+)$/;

function checkPolicyArn(arn: string | undefined): RegExpExecArray {
  if (arn === undefined) throw validationError(`1 validation error detected: Value null at 'policyArn' failed to satisfy constraint: Member must not be null`);
  const m = POLICY_ARN_RE.exec(arn);
  if (!m) throw invalidInput(`ARN ${arn} is not valid.`);
  return m;
}

function findPolicy(ctx: Ctx, arn: string | undefined): ManagedPolicyRec {
  checkPolicyArn(arn);
  const pol = ctx.state.policies[arn!];
  if (!pol) throw noSuchEntity(`Policy ${arn} was not found.`);
  return pol;
}

function req(p: QTree, key: string, field: string): string {
  const v = qStr(p, key);
  if (v === undefined) throw validationError(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function checkMaxSession(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 3600 || n > 43200) {
    throw validationError(`1 validation error detected: Value '${v}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`);
  }
  return n;
}

function listPage<T>(items: T[], key: (t: T) => string, p: QTree) {
  const page = paginate(items, key, qStr(p, 'Marker'), checkMaxItems(qStr(p, 'MaxItems')), invalidMarker);
  return { page, tail: { IsTruncated: page.next !== undefined, Marker: page.next } };
}

const sortedRoles = (ctx: Ctx): RoleRec[] => Object.values(ctx.state.roles).sort((a, b) => (nameKey(a.name) < nameKey(b.name) ? -1 : 1));

// ---- roles ----

const CreateRole: IamHandler = (ctx, p) => {
  const name = checkName(qStr(p, 'RoleName'), 'roleName', 64);
  const path = checkPath(qStr(p, 'Path'));
  const description = checkDescription(qStr(p, 'Description'));
  const maxSession = checkMaxSession(qStr(p, 'MaxSessionDuration')) ?? 3600;
  const tags = tagsParam(p);
  checkTags(tags);
  const trust = qStr(p, 'AssumeRolePolicyDocument');
  validateTrustPolicy(trust, ctx);
  const boundary = qStr(p, 'PermissionsBoundary');
  if (boundary !== undefined) boundaryPolicy(ctx, boundary);
  if (ctx.state.roles[nameKey(name)]) throw alreadyExists(`Role with name ${name} already exists.`);
  if (Object.keys(ctx.state.roles).length >= ACCOUNT_QUOTAS.roles) throw limitExceeded(`Cannot exceed quota for RolesPerAccount: ${ACCOUNT_QUOTAS.roles}`);
  const role: RoleRec = {
    name, path, id: newId(ctx.state, ctx.opts.accountId, 'AROA', 17, 'upper'), createdAt: ctx.now, trust: trust!, description,
    maxSessionDuration: maxSession, permissionsBoundary: boundary, tags, inline: [], attached: [],
  };
  ctx.state.roles[nameKey(name)] = role;
  return { Role: roleXml(ctx, role, 'full') };
};

/** IAM reads are eventually consistent: with iamReadDelayMs, a new entity is invisible to Get/List for that long. */
export function readable(ctx: Ctx, createdAt: number): boolean {
  return ctx.now >= createdAt + ctx.opts.iamReadDelayMs;
}

const GetRole: IamHandler = (ctx, p) => {
  const name = req(p, 'RoleName', 'roleName');
  const role = findRole(ctx, name);
  if (!readable(ctx, role.createdAt)) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return { Role: roleXml(ctx, role, 'full') };
};

const DeleteRole: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  if (role.inline.length) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (role.attached.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (Object.values(ctx.state.profiles).some((pr) => pr.roles.some((r) => nameKey(r.name) === nameKey(role.name)))) {
    throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  }
  delete ctx.state.roles[nameKey(role.name)];
  return undefined;
};

const ListRoles: IamHandler = (ctx, p) => {
  const prefix = checkPathPrefix(qStr(p, 'PathPrefix'));
  const roles = sortedRoles(ctx).filter((r) => r.path.startsWith(prefix) && readable(ctx, r.createdAt));
  const { page, tail } = listPage(roles, (r) => nameKey(r.name), p);
  return { Roles: page.items.map((r) => roleXml(ctx, r, 'list')), ...tail };
};

const UpdateRole: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const description = checkDescription(qStr(p, 'Description'));
  const maxSession = checkMaxSession(qStr(p, 'MaxSessionDuration'));
  if (description !== undefined) role.description = description;
  if (maxSession !== undefined) role.maxSessionDuration = maxSession;
  return {};
};

const UpdateRoleDescription: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  role.description = checkDescription(req(p, 'Description', 'description'));
  return { Role: roleXml(ctx, role, 'full') };
};

const UpdateAssumeRolePolicy: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const doc = qStr(p, 'PolicyDocument');
  validateTrustPolicy(doc, ctx, 'policyDocument');
  role.trust = doc!;
  return undefined;
};

const PutRolePermissionsBoundary: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const arn = req(p, 'PermissionsBoundary', 'permissionsBoundary');
  role.permissionsBoundary = boundaryPolicy(ctx, arn);
  return undefined;
};

const DeleteRolePermissionsBoundary: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  if (!role.permissionsBoundary) throw noSuchEntity(`The role with name ${role.name} does not have a permissions boundary.`);
  delete role.permissionsBoundary;
  return undefined;
};

const TagRole: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const tags = tagsParam(p);
  checkTags(tags, role.tags);
  role.tags = mergeTags(role.tags, tags);
  return undefined;
};

function untag(existing: TagRec[], p: QTree): TagRec[] {
  const keys = new Set(qStrings(qMembers(p, 'TagKeys')).map((k) => k.toLowerCase()));
  return existing.filter((t) => !keys.has(t.Key.toLowerCase()));
}

const UntagRole: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  role.tags = untag(role.tags, p);
  return undefined;
};

function tagList(tags: TagRec[], p: QTree): XmlValue {
  const { page, tail } = listPage(tags, (t) => t.Key, p);
  return { Tags: page.items.map((t) => ({ Key: t.Key, Value: t.Value })), ...tail };
}

const ListRoleTags: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  return tagList([...role.tags].sort((a, b) => (a.Key < b.Key ? -1 : 1)), p);
};

// ---- inline policies ----

const PutRolePolicy: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const name = checkName(qStr(p, 'PolicyName'), 'policyName', 128);
  const doc = qStr(p, 'PolicyDocument');
  validateIdentityPolicy(doc);
  const others = role.inline.filter((i) => i.name !== name);
  const total = others.reduce((n, i) => n + policySize(i.doc), 0) + policySize(doc!);
  if (total > INLINE_AGGREGATE_QUOTA) throw limitExceeded(`Maximum policy size of ${INLINE_AGGREGATE_QUOTA} bytes exceeded for role ${role.name}`);
  const existing = role.inline.find((i) => i.name === name);
  if (existing) existing.doc = doc!;
  else role.inline.push({ name, doc: doc! });
  return undefined;
};

function findInline(role: RoleRec, name: string) {
  checkName(name, 'policyName', 128);
  const i = role.inline.find((x) => x.name === name);
  if (!i) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
  return i;
}

const GetRolePolicy: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const i = findInline(role, req(p, 'PolicyName', 'policyName'));
  return { RoleName: role.name, PolicyName: i.name, PolicyDocument: encodeDoc(i.doc) };
};

const DeleteRolePolicy: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const i = findInline(role, req(p, 'PolicyName', 'policyName'));
  role.inline = role.inline.filter((x) => x !== i);
  return undefined;
};

const ListRolePolicies: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const names = role.inline.map((i) => i.name).sort();
  const { page, tail } = listPage(names, (n) => n, p);
  return { PolicyNames: page.items, ...tail };
};

// ---- attached managed policies ----

function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function attachable(ctx: Ctx, arn: string | undefined): string {
  const m = checkPolicyArn(arn);
  if (m[1] === 'aws') {
    if (!awsManagedExists(ctx, arn!)) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    return arn!;
  }
  if (m[1] !== ctx.opts.accountId || !ctx.state.policies[arn!]) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return arn!;
}

/** A permissions boundary must be an existing managed policy (customer or AWS). */
function boundaryPolicy(ctx: Ctx, arn: string): string {
  try {
    return attachable(ctx, arn);
  } catch (e) {
    if (e instanceof Error && e.name === 'AwsError' && /does not exist/.test(e.message)) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
    throw e;
  }
}

const AttachRolePolicy: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const arn = attachable(ctx, qStr(p, 'PolicyArn'));
  if (role.attached.includes(arn)) return undefined;
  if (role.attached.length >= ctx.opts.managedPoliciesPerRole) throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${ctx.opts.managedPoliciesPerRole}`);
  role.attached.push(arn);
  return undefined;
};

const DetachRolePolicy: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const arn = qStr(p, 'PolicyArn');
  checkPolicyArn(arn);
  if (!role.attached.includes(arn!)) throw noSuchEntity(`Policy ${arn} was not found.`);
  role.attached = role.attached.filter((a) => a !== arn);
  return undefined;
};

const ListAttachedRolePolicies: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const prefix = checkPathPrefix(qStr(p, 'PathPrefix'));
  const arns = role.attached.filter((a) => a.slice(a.indexOf(':policy') + 7).startsWith(prefix)).sort();
  const { page, tail } = listPage(arns, (a) => a, p);
  return { AttachedPolicies: page.items.map((a) => ({ PolicyName: policyNameOf(a), PolicyArn: a })), ...tail };
};

// The sandbox has no IAM users or groups (ListEntitiesForPolicy never reports any).
const DetachUserPolicy: IamHandler = (_ctx, p) => {
  throw noSuchEntity(`The user with name ${checkName(qStr(p, 'UserName'), 'userName', 64)} cannot be found.`);
};
const DetachGroupPolicy: IamHandler = (_ctx, p) => {
  throw noSuchEntity(`The group with name ${checkName(qStr(p, 'GroupName'), 'groupName', 128)} cannot be found.`);
};

// ---- customer managed policies ----

const MAX_VERSIONS = 5;

const CreatePolicy: IamHandler = (ctx, p) => {
  const name = checkName(qStr(p, 'PolicyName'), 'policyName', 128);
  const path = checkPath(qStr(p, 'Path'));
  const description = checkDescription(qStr(p, 'Description'));
  const tags = tagsParam(p);
  checkTags(tags);
  const doc = qStr(p, 'PolicyDocument');
  validateIdentityPolicy(doc);
  checkManagedSize(doc!);
  const arn = `arn:aws:iam::${ctx.opts.accountId}:policy${path}${name}`;
  if (Object.values(ctx.state.policies).some((x) => nameKey(x.name) === nameKey(name))) {
    throw alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
  }
  if (Object.keys(ctx.state.policies).length >= ACCOUNT_QUOTAS.policies) throw limitExceeded(`Cannot exceed quota for PoliciesPerAccount: ${ACCOUNT_QUOTAS.policies}`);
  const pol: ManagedPolicyRec = {
    name, path, arn, id: newId(ctx.state, ctx.opts.accountId, 'ANPA', 17, 'upper'), createdAt: ctx.now, updatedAt: ctx.now, description,
    defaultVersion: 'v1', nextVersion: 2, versions: [{ id: 'v1', doc: doc!, createdAt: ctx.now }], tags,
  };
  ctx.state.policies[arn] = pol;
  return { Policy: policyXml(ctx, pol, true) };
};

function findAwsPolicy(ctx: Ctx, arn: string | undefined): string | undefined {
  if (arn === undefined || !isAwsManaged(arn)) return undefined;
  checkPolicyArn(arn);
  if (!awsManagedExists(ctx, arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  return arn;
}

const GetPolicy: IamHandler = (ctx, p) => {
  const aws = findAwsPolicy(ctx, qStr(p, 'PolicyArn'));
  if (aws) return { Policy: awsPolicyXml(ctx, aws) };
  const pol = findPolicy(ctx, qStr(p, 'PolicyArn'));
  if (!readable(ctx, pol.createdAt)) throw noSuchEntity(`Policy ${pol.arn} was not found.`);
  return { Policy: policyXml(ctx, pol, true) };
};

const DeletePolicy: IamHandler = (ctx, p) => {
  const pol = findPolicy(ctx, qStr(p, 'PolicyArn'));
  if (Object.values(ctx.state.roles).some((r) => r.attached.includes(pol.arn) || r.permissionsBoundary === pol.arn)) {
    throw deleteConflict('Cannot delete a policy attached to entities.');
  }
  if (pol.versions.length > 1) {
    throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
  }
  delete ctx.state.policies[pol.arn];
  return undefined;
};

const ListPolicies: IamHandler = (ctx, p) => {
  const scope = qStr(p, 'Scope') ?? 'All';
  if (!['All', 'AWS', 'Local'].includes(scope)) {
    throw validationError(`1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`);
  }
  const prefix = checkPathPrefix(qStr(p, 'PathPrefix'));
  const onlyAttached = qStr(p, 'OnlyAttached') === 'true';
  // AWS managed policies are not modelled beyond the ones attached to roles (see README).
  const local = scope === 'AWS' ? [] : Object.values(ctx.state.policies);
  let items = local.map((pol) => ({ key: pol.arn, xml: policyXml(ctx, pol, false), attached: policyXmlAttached(ctx, pol.arn), path: pol.path }));
  if (scope !== 'Local') {
    const attached = new Set(awsManagedAttached(ctx));
    const all = new Set([...attached, ...(ctx.opts.awsManaged?.arns() ?? [])]);
    for (const arn of all) items.push({ key: arn, xml: awsPolicyXml(ctx, arn), attached: attached.has(arn), path: policyPathOf(arn) });
  }
  items = items.filter((i) => i.path.startsWith(prefix) && (!onlyAttached || i.attached)).sort((a, b) => (a.key < b.key ? -1 : 1));
  const { page, tail } = listPage(items, (i) => i.key, p);
  return { Policies: page.items.map((i) => i.xml), ...tail };
};

function policyXmlAttached(ctx: Ctx, arn: string): boolean {
  return Object.values(ctx.state.roles).some((r) => r.attached.includes(arn));
}

const CreatePolicyVersion: IamHandler = (ctx, p) => {
  const pol = findPolicy(ctx, qStr(p, 'PolicyArn'));
  const doc = qStr(p, 'PolicyDocument');
  validateIdentityPolicy(doc);
  checkManagedSize(doc!);
  if (pol.versions.length >= MAX_VERSIONS) {
    throw limitExceeded('A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
  }
  const id = `v${pol.nextVersion++}`;
  pol.versions.push({ id, doc: doc!, createdAt: ctx.now });
  const setDefault = qStr(p, 'SetAsDefault') === 'true';
  if (setDefault) pol.defaultVersion = id;
  pol.updatedAt = ctx.now;
  return { PolicyVersion: { VersionId: id, IsDefaultVersion: setDefault, CreateDate: new Date(ctx.now) } };
};

function findVersion(pol: ManagedPolicyRec, id: string | undefined) {
  if (id === undefined || !/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(id)) {
    throw validationError(`1 validation error detected: Value '${id ?? 'null'}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?`);
  }
  const v = pol.versions.find((x) => x.id === id);
  if (!v) throw noSuchEntity(`Policy ${pol.arn} version ${id} does not exist or is not attachable.`);
  return v;
}

function awsVersion(ctx: Ctx, arn: string, id: string | undefined): string {
  const doc = ctx.opts.awsManaged?.document(arn);
  if (doc === undefined) throw noSuchEntity(`Policy ${arn} version ${id} does not exist or is not attachable. (The sandbox has no document for it: start it with awsManagedPolicies.)`);
  if (id !== 'v1') throw noSuchEntity(`Policy ${arn} version ${id} does not exist or is not attachable.`);
  return doc;
}

const GetPolicyVersion: IamHandler = (ctx, p) => {
  const aws = findAwsPolicy(ctx, qStr(p, 'PolicyArn'));
  if (aws) {
    const doc = awsVersion(ctx, aws, qStr(p, 'VersionId'));
    return { PolicyVersion: { Document: encodeDoc(doc), VersionId: 'v1', IsDefaultVersion: true, CreateDate: new Date(AWS_POLICY_DATE) } };
  }
  const pol = findPolicy(ctx, qStr(p, 'PolicyArn'));
  const v = findVersion(pol, qStr(p, 'VersionId'));
  return { PolicyVersion: { Document: encodeDoc(v.doc), VersionId: v.id, IsDefaultVersion: v.id === pol.defaultVersion, CreateDate: new Date(v.createdAt) } };
};

const DeletePolicyVersion: IamHandler = (ctx, p) => {
  const pol = findPolicy(ctx, qStr(p, 'PolicyArn'));
  const v = findVersion(pol, qStr(p, 'VersionId'));
  if (v.id === pol.defaultVersion) throw deleteConflict('Cannot delete the default version of a policy.');
  pol.versions = pol.versions.filter((x) => x !== v);
  return undefined;
};

const SetDefaultPolicyVersion: IamHandler = (ctx, p) => {
  const pol = findPolicy(ctx, qStr(p, 'PolicyArn'));
  const v = findVersion(pol, qStr(p, 'VersionId'));
  pol.defaultVersion = v.id;
  pol.updatedAt = ctx.now;
  return undefined;
};

const ListPolicyVersions: IamHandler = (ctx, p) => {
  const aws = findAwsPolicy(ctx, qStr(p, 'PolicyArn'));
  if (aws) return { Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: new Date(AWS_POLICY_DATE) }], IsTruncated: false };
  const pol = findPolicy(ctx, qStr(p, 'PolicyArn'));
  const versions = [...pol.versions].sort((a, b) => b.createdAt - a.createdAt || Number(b.id.slice(1)) - Number(a.id.slice(1)));
  const keyed = versions.map((v, i) => ({ v, key: String(i).padStart(4, '0') }));
  const { page, tail } = listPage(keyed, (k) => k.key, p);
  return { Versions: page.items.map(({ v }) => ({ VersionId: v.id, IsDefaultVersion: v.id === pol.defaultVersion, CreateDate: new Date(v.createdAt) })), ...tail };
};

const TagPolicy: IamHandler = (ctx, p) => {
  const pol = findPolicy(ctx, qStr(p, 'PolicyArn'));
  const tags = tagsParam(p);
  checkTags(tags, pol.tags);
  pol.tags = mergeTags(pol.tags, tags);
  return undefined;
};

const UntagPolicy: IamHandler = (ctx, p) => {
  const pol = findPolicy(ctx, qStr(p, 'PolicyArn'));
  pol.tags = untag(pol.tags, p);
  return undefined;
};

const ListPolicyTags: IamHandler = (ctx, p) => tagList([...findPolicy(ctx, qStr(p, 'PolicyArn')).tags].sort((a, b) => (a.Key < b.Key ? -1 : 1)), p);

const ListEntitiesForPolicy: IamHandler = (ctx, p) => {
  const arn = qStr(p, 'PolicyArn');
  const m = checkPolicyArn(arn);
  if (m[1] !== 'aws') findPolicy(ctx, arn);
  else findAwsPolicy(ctx, arn);
  const roles = sortedRoles(ctx).filter((r) => r.attached.includes(arn!));
  const { page, tail } = listPage(roles, (r) => nameKey(r.name), p);
  return { PolicyGroups: [], PolicyUsers: [], PolicyRoles: page.items.map((r) => ({ RoleName: r.name, RoleId: r.id })), ...tail };
};

// ---- instance profiles ----

const CreateInstanceProfile: IamHandler = (ctx, p) => {
  const name = checkName(qStr(p, 'InstanceProfileName'), 'instanceProfileName', 128);
  const path = checkPath(qStr(p, 'Path'));
  const tags = tagsParam(p);
  checkTags(tags);
  if (ctx.state.profiles[nameKey(name)]) throw alreadyExists(`Instance Profile ${name} already exists.`);
  if (Object.keys(ctx.state.profiles).length >= ACCOUNT_QUOTAS.profiles) {
    throw limitExceeded(`Cannot exceed quota for InstanceProfilesPerAccount: ${ACCOUNT_QUOTAS.profiles}`);
  }
  const pr: ProfileRec = { name, path, id: newId(ctx.state, ctx.opts.accountId, 'AIPA', 17, 'upper'), createdAt: ctx.now, roles: [], tags };
  ctx.state.profiles[nameKey(name)] = pr;
  return { InstanceProfile: profileXml(ctx, pr) };
};

const GetInstanceProfile: IamHandler = (ctx, p) => {
  const name = req(p, 'InstanceProfileName', 'instanceProfileName');
  const pr = findProfile(ctx, name);
  if (!readable(ctx, pr.createdAt)) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return { InstanceProfile: profileXml(ctx, pr) };
};

const DeleteInstanceProfile: IamHandler = (ctx, p) => {
  const pr = findProfile(ctx, req(p, 'InstanceProfileName', 'instanceProfileName'));
  if (pr.roles.length) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  delete ctx.state.profiles[nameKey(pr.name)];
  return undefined;
};

const sortedProfiles = (ctx: Ctx): ProfileRec[] => Object.values(ctx.state.profiles).sort((a, b) => (nameKey(a.name) < nameKey(b.name) ? -1 : 1));

const ListInstanceProfiles: IamHandler = (ctx, p) => {
  const prefix = checkPathPrefix(qStr(p, 'PathPrefix'));
  const { page, tail } = listPage(sortedProfiles(ctx).filter((x) => x.path.startsWith(prefix) && readable(ctx, x.createdAt)), (x) => nameKey(x.name), p);
  return { InstanceProfiles: page.items.map((x) => profileXml(ctx, x, false)), ...tail };
};

const AddRoleToInstanceProfile: IamHandler = (ctx, p) => {
  const pr = findProfile(ctx, req(p, 'InstanceProfileName', 'instanceProfileName'));
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  if (pr.roles.some((r) => nameKey(r.name) === nameKey(role.name))) throw alreadyExists(`Role ${role.name} is already associated with instance profile ${pr.name}.`);
  if (pr.roles.length >= 1) throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
  pr.roles.push({ name: role.name, addedAt: ctx.now });
  return undefined;
};

const RemoveRoleFromInstanceProfile: IamHandler = (ctx, p) => {
  const pr = findProfile(ctx, req(p, 'InstanceProfileName', 'instanceProfileName'));
  const name = req(p, 'RoleName', 'roleName');
  findRole(ctx, name);
  if (!pr.roles.some((r) => nameKey(r.name) === nameKey(name))) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  pr.roles = pr.roles.filter((r) => nameKey(r.name) !== nameKey(name));
  return undefined;
};

export function profilesForRole(ctx: Ctx, role: RoleRec): ProfileRec[] {
  return sortedProfiles(ctx).filter((x) => x.roles.some((r) => nameKey(r.name) === nameKey(role.name)));
}

const ListInstanceProfilesForRole: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const { page, tail } = listPage(profilesForRole(ctx, role), (x) => nameKey(x.name), p);
  return { InstanceProfiles: page.items.map((x) => profileXml(ctx, x, false)), ...tail };
};

const TagInstanceProfile: IamHandler = (ctx, p) => {
  const pr = findProfile(ctx, req(p, 'InstanceProfileName', 'instanceProfileName'));
  const tags = tagsParam(p);
  checkTags(tags, pr.tags);
  pr.tags = mergeTags(pr.tags, tags);
  return undefined;
};

const UntagInstanceProfile: IamHandler = (ctx, p) => {
  const pr = findProfile(ctx, req(p, 'InstanceProfileName', 'instanceProfileName'));
  pr.tags = untag(pr.tags, p);
  return undefined;
};

const ListInstanceProfileTags: IamHandler = (ctx, p) =>
  tagList([...findProfile(ctx, req(p, 'InstanceProfileName', 'instanceProfileName')).tags].sort((a, b) => (a.Key < b.Key ? -1 : 1)), p);

// ---- account ----

const GetAccountSummary: IamHandler = (ctx) => {
  const s = ctx.state;
  const versions = Object.values(s.policies).reduce((n, x) => n + x.versions.length, 0);
  const summary: Array<[string, number]> = [
    ['Users', 0], ['UsersQuota', 5000], ['Groups', 0], ['GroupsQuota', 300], ['ServerCertificates', 0], ['ServerCertificatesQuota', 20],
    ['UserPolicySizeQuota', 2048], ['GroupPolicySizeQuota', 5120], ['GroupsPerUserQuota', 10], ['SigningCertificatesPerUserQuota', 2],
    ['AccessKeysPerUserQuota', 2], ['MFADevices', 0], ['MFADevicesInUse', 0], ['AccountMFAEnabled', 0], ['AccountAccessKeysPresent', 0],
    ['AccountSigningCertificatesPresent', 0], ['AttachedPoliciesPerGroupQuota', 10], ['AttachedPoliciesPerRoleQuota', ctx.opts.managedPoliciesPerRole],
    ['AttachedPoliciesPerUserQuota', 10], ['Policies', Object.keys(s.policies).length], ['PoliciesQuota', ACCOUNT_QUOTAS.policies], ['PolicySizeQuota', 6144],
    ['PolicyVersionsInUse', versions], ['PolicyVersionsInUseQuota', 10000], ['VersionsPerPolicyQuota', MAX_VERSIONS], ['GlobalEndpointTokenVersion', 1],
    ['Roles', Object.keys(s.roles).length], ['RolesQuota', ACCOUNT_QUOTAS.roles], ['RolePolicySizeQuota', INLINE_AGGREGATE_QUOTA],
    ['AssumeRolePolicySizePerRoleQuota', ctx.opts.trustPolicySize], ['InstanceProfiles', Object.keys(s.profiles).length], ['InstanceProfilesQuota', ACCOUNT_QUOTAS.profiles],
    ['Providers', 0],
  ];
  return { SummaryMap: new XmlList('entry', summary.map(([key, value]) => ({ key, value }))) };
};

export const IAM_ACTIONS: Record<string, IamHandler> = {
  CreateRole, GetRole, DeleteRole, ListRoles, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy, PutRolePermissionsBoundary,
  DeleteRolePermissionsBoundary, TagRole, UntagRole, ListRoleTags, PutRolePolicy, GetRolePolicy, DeleteRolePolicy, ListRolePolicies,
  AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies, DetachUserPolicy, DetachGroupPolicy, CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, CreatePolicyVersion,
  GetPolicyVersion, DeletePolicyVersion, SetDefaultPolicyVersion, ListPolicyVersions, TagPolicy, UntagPolicy, ListPolicyTags,
  ListEntitiesForPolicy, CreateInstanceProfile, GetInstanceProfile, DeleteInstanceProfile, ListInstanceProfiles, AddRoleToInstanceProfile,
  RemoveRoleFromInstanceProfile, ListInstanceProfilesForRole, TagInstanceProfile, UntagInstanceProfile, ListInstanceProfileTags,
  GetAccountSummary,
};

