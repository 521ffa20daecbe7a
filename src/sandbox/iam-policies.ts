/** IAM customer managed policies (versions, tags, entities) and the AWS managed ones the sandbox knows. */
import type { Ctx } from './context.js';
import { deleteConflict, limitExceeded, noSuchEntity, alreadyExists, validationError } from './errors.js';
import { encodeDoc, policyXml } from './iam-shapes.js';
import { AWS_POLICY_DATE, awsManagedAttached, awsPolicyXml, policyPathOf } from './iam-aws-managed.js';
import {
  checkDescription, checkManagedSize, checkName, checkPath, checkPathPrefix, checkTags, validateIdentityPolicy,
} from './iam-validate.js';
import { qStr } from './query.js';
import { nameKey, newId, type ManagedPolicyRec } from './state.js';
import {
  type IamHandler, ACCOUNT_QUOTAS, tagsParam, checkPolicyArn, findPolicy, listPage, sortedRoles, readable, tagHandlers, findAwsPolicy,
} from './iam-common.js';

export const MAX_VERSIONS = 5;

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

const { tag: TagPolicy, untag: UntagPolicy, list: ListPolicyTags } = tagHandlers((ctx, p) => findPolicy(ctx, qStr(p, 'PolicyArn')));

const ListEntitiesForPolicy: IamHandler = (ctx, p) => {
  const arn = qStr(p, 'PolicyArn');
  const m = checkPolicyArn(arn);
  if (m[1] !== 'aws') findPolicy(ctx, arn);
  else findAwsPolicy(ctx, arn);
  const roles = sortedRoles(ctx).filter((r) => r.attached.includes(arn!));
  const { page, tail } = listPage(roles, (r) => nameKey(r.name), p);
  return { PolicyGroups: [], PolicyUsers: [], PolicyRoles: page.items.map((r) => ({ RoleName: r.name, RoleId: r.id })), ...tail };
};

export const POLICY_ACTIONS: Record<string, IamHandler> = {
  CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, CreatePolicyVersion, GetPolicyVersion, DeletePolicyVersion, SetDefaultPolicyVersion, ListPolicyVersions, TagPolicy, UntagPolicy, ListPolicyTags, ListEntitiesForPolicy,
};
