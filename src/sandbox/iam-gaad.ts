/**
 * GetAccountAuthorizationDetails: roles (with inline policies, attached policies, instance
 * profiles and tags), customer managed policies (every version) and the AWS managed policies in
 * use, in one paginated stream. Like AWS, a page may hold fewer than MaxItems while IsTruncated is
 * true (here: deterministically, derived from the seed and the marker), so callers must follow
 * Marker rather than count.
 */
import { validationError } from './errors.js';
import { profilesForRole, readable, type IamHandler } from './iam-common.js';
import { AWS_POLICY_DATE, awsManagedAttached, awsPolicyXml } from './iam-aws-managed.js';
import { encodeDoc, policyXml, profileXml, roleXml, tagsXml } from './iam-shapes.js';
import { checkMaxItems } from './iam-validate.js';
import { invalidMarker, paginate } from './paging.js';
import { qMembers, qStr, qStrings } from './query.js';
import { hash32 } from './rng.js';
import { nameKey } from './state.js';
import type { XmlValue } from './xml.js';

const FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];

interface Item {
  key: string;
  kind: 'role' | 'policy' | 'aws';
  xml: XmlValue;
}

export const gaad: IamHandler = (ctx, p) => {
  const filter = qStrings(qMembers(p, 'Filter'));
  for (const f of filter) {
    if (!FILTERS.includes(f)) {
      throw validationError(`1 validation error detected: Value '[${filter.join(', ')}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${FILTERS.join(', ')}]]`);
    }
  }
  const want = (f: string) => filter.length === 0 || filter.includes(f);
  const items: Item[] = [];
  if (want('Role')) {
    for (const r of Object.values(ctx.state.roles)) {
      if (!readable(ctx, r.createdAt)) continue;
      const full = roleXml(ctx, r, 'full') as { [k: string]: XmlValue };
      items.push({
        key: `1:${nameKey(r.name)}`,
        kind: 'role',
        xml: {
          Path: full.Path, RoleName: full.RoleName, RoleId: full.RoleId, Arn: full.Arn, CreateDate: full.CreateDate,
          AssumeRolePolicyDocument: full.AssumeRolePolicyDocument,
          InstanceProfileList: profilesForRole(ctx, r).map((x) => profileXml(ctx, x, false)),
          RolePolicyList: r.inline.map((i) => ({ PolicyName: i.name, PolicyDocument: encodeDoc(i.doc) })),
          AttachedManagedPolicies: r.attached.map((a) => ({ PolicyName: a.slice(a.lastIndexOf('/') + 1), PolicyArn: a })),
          PermissionsBoundary: full.PermissionsBoundary,
          Tags: tagsXml(r.tags),
          RoleLastUsed: {},
        },
      });
    }
  }
  if (want('LocalManagedPolicy')) {
    for (const pol of Object.values(ctx.state.policies)) {
      if (!readable(ctx, pol.createdAt)) continue;
      const base = policyXml(ctx, pol, false) as { [k: string]: XmlValue };
      delete base.Tags;
      items.push({
        key: `2:${pol.arn}`,
        kind: 'policy',
        xml: {
          ...base,
          PolicyVersionList: pol.versions.map((v) => ({
            Document: encodeDoc(v.doc), VersionId: v.id, IsDefaultVersion: v.id === pol.defaultVersion, CreateDate: new Date(v.createdAt),
          })),
        },
      });
    }
  }
  if (want('AWSManagedPolicy')) {
    for (const arn of awsManagedAttached(ctx)) {
      const doc = ctx.opts.awsManaged?.document(arn);
      const versions = doc === undefined ? undefined : [{ Document: encodeDoc(doc), VersionId: 'v1', IsDefaultVersion: true, CreateDate: new Date(AWS_POLICY_DATE) }];
      items.push({ key: `3:${arn}`, kind: 'aws', xml: { ...awsPolicyXml(ctx, arn), PolicyVersionList: versions } });
    }
  }
  items.sort((a, b) => (a.key < b.key ? -1 : 1));
  const marker = qStr(p, 'Marker');
  let max = checkMaxItems(qStr(p, 'MaxItems'));
  if (ctx.opts.gaadShortPages && max >= 4) max -= hash32(`${ctx.opts.seed}:${marker ?? ''}`) % Math.floor(max / 4 + 1);
  const page = paginate(items, (i) => i.key, marker, max, invalidMarker);
  return {
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: page.items.filter((i) => i.kind === 'role').map((i) => i.xml),
    Policies: page.items.filter((i) => i.kind !== 'role').map((i) => i.xml),
    IsTruncated: page.next !== undefined,
    Marker: page.next,
  };
};
