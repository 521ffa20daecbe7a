/** IAM instance profiles (one role each), their tags, and the profiles of a role. */
import { deleteConflict, limitExceeded, noSuchEntity, alreadyExists } from './errors.js';
import { profileXml } from './iam-shapes.js';
import { checkName, checkPath, checkPathPrefix, checkTags } from './iam-validate.js';
import { qStr } from './query.js';
import { nameKey, newId, type ProfileRec } from './state.js';
import {
  type IamHandler, ACCOUNT_QUOTAS, tagsParam, findRole, findProfile, req, listPage, readable, tagHandlers, sortedProfiles, profilesForRole,
} from './iam-common.js';

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

const ListInstanceProfilesForRole: IamHandler = (ctx, p) => {
  const role = findRole(ctx, req(p, 'RoleName', 'roleName'));
  const { page, tail } = listPage(profilesForRole(ctx, role), (x) => nameKey(x.name), p);
  return { InstanceProfiles: page.items.map((x) => profileXml(ctx, x, false)), ...tail };
};

const { tag: TagInstanceProfile, untag: UntagInstanceProfile, list: ListInstanceProfileTags } = tagHandlers((ctx, p) => findProfile(ctx, req(p, 'InstanceProfileName', 'instanceProfileName')));

export const PROFILE_ACTIONS: Record<string, IamHandler> = {
  CreateInstanceProfile, GetInstanceProfile, DeleteInstanceProfile, ListInstanceProfiles, AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile, ListInstanceProfilesForRole, TagInstanceProfile, UntagInstanceProfile, ListInstanceProfileTags,
};
