/** IAM roles: create/get/update/delete/list, tags, trust, boundaries, inline policies, attachments. */
import { policySize } from '../policy/canonical.js';
import type { Ctx } from './context.js';
import { deleteConflict, limitExceeded, noSuchEntity, alreadyExists } from './errors.js';
import { encodeDoc, roleXml } from './iam-shapes.js';
import {
  INLINE_AGGREGATE_QUOTA, checkDescription, checkName, checkPath, checkPathPrefix, checkTags, validateIdentityPolicy, validateTrustPolicy,
} from './iam-validate.js';
import { qStr } from './query.js';
import { nameKey, newId, type RoleRec } from './state.js';
import {
  type IamHandler, ACCOUNT_QUOTAS, tagsParam, findRole, checkPolicyArn, req, checkMaxSession, listPage, sortedRoles, readable, tagHandlers, policyNameOf, attachable,
} from './iam-common.js';

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

const { tag: TagRole, untag: UntagRole, list: ListRoleTags } = tagHandlers((ctx, p) => findRole(ctx, req(p, 'RoleName', 'roleName')));

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

export const ROLE_ACTIONS: Record<string, IamHandler> = {
  CreateRole, GetRole, DeleteRole, ListRoles, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy, PutRolePermissionsBoundary, DeleteRolePermissionsBoundary, TagRole, UntagRole, ListRoleTags, PutRolePolicy, GetRolePolicy, DeleteRolePolicy, ListRolePolicies, AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies, DetachUserPolicy, DetachGroupPolicy,
};
