/**
 * Read live AWS state once, in bulk, for the planner (src/apply/plan.ts).
 *
 * Bulk path: GetAccountAuthorizationDetails (Filter Role + LocalManagedPolicy, every page, documents
 * URL-decoded: the JS SDK does not decode them), ListRoles (descriptions and session durations, which
 * GAAD does not return; one call per 1,000 roles), ListInstanceProfiles (profiles without a role are
 * invisible to GAAD), DescribeInstances filtered on `tag:{prefix}:managed` and `tag:{prefix}:spec`.
 * IAM list calls never return tags of policies and instance profiles, so those are fetched one by
 * one, only for the few that matter (names the spec wants, or named like charter's). A charter
 * profile (inferred from its role) is fetched only when the spec's tags for it differ from its
 * role's live tags (see profileTagsNeeded): a converged spec costs no per-profile reads.
 *
 * Per-resource path (GAAD denied, or a small spec in a large account): ListRoles, then GetRole,
 * ListRolePolicies/GetRolePolicy and ListAttachedRolePolicies for the roles that matter (names the
 * spec wants and roles named `{prefix}-...`).
 *
 * `readResources` re-reads just a plan's fingerprint targets (apply's stale-plan check).
 */
import { actionEndpoint, type AwsClients } from './clients.js';
import { sortedTags } from '../policy/tags.js';
import type { FingerprintTarget, LiveInstance, LiveInstanceProfile, LiveManagedPolicy, LiveRole, LiveState } from '../policy/live-types.js';
import type { PolicyDocument } from '../policy/types.js';
import { explainAwsError, isAccessDenied, isNotFound } from './errors.js';
import { RuntimeError } from '../diagnostics.js';

export type ReadMode = 'auto' | 'gaad' | 'per-resource';

export interface ReadOptions {
  prefix: string;
  specName: string;
  /** Role names the spec wants (read even when unmanaged: collisions). */
  roleNames: string[];
  /** Instance profile names the spec wants. */
  profileNames: string[];
  /**
   * Whether a charter profile's tags (which GetAccountAuthorizationDetails does not return) must be
   * fetched (GetInstanceProfile), given the live tags of its role: the caller says, from what it
   * wants (charter writes the same tags on both, and apply tags the profile before the role, so a
   * role already at the wanted tags means its profile is too). Absent: never fetched for tags.
   */
  profileTagsNeeded?: (profileName: string, roleTags: Record<string, string>) => boolean;
  /** Customer-managed policy names the spec wants. */
  policyNames: string[];
  mode?: ReadMode;
  /** Parallel calls for per-resource reads. Default 8. */
  concurrency?: number;
  /** IAM MaxItems per page (default 1000, the APIs' maximum; tests use small pages). */
  pageSize?: number;
  /** EC2 DescribeInstances MaxResults (default 1000; minimum 5). */
  ec2PageSize?: number;
}

/** Specs with at most this many roles consider per-role reads in `auto` mode. */
export const SMALL_SPEC_ROLES = 3;
/** Conservative GAAD page size used to estimate its cost (AWS pages may be short). */
const GAAD_PAGE_ESTIMATE = 100;
const PAGE = 1000;

interface Sendable {
  send(command: never): Promise<unknown>;
}

/** Counts calls and explains errors. */
export class Reader {
  calls = 0;
  readonly byAction: Record<string, number> = {};
  principal = '';
  constructor(readonly clients: AwsClients, readonly concurrency = 8, readonly page = PAGE, readonly ec2Page = PAGE) {}

  async send<O>(client: Sendable, command: object, action: string): Promise<O> {
    this.calls++;
    this.byAction[action] = (this.byAction[action] ?? 0) + 1;
    try {
      return (await client.send(command as never)) as O;
    } catch (e) {
      throw Object.assign(e instanceof Error ? e : new Error(String(e)), { charterAction: action });
    }
  }

  /** `send`, or undefined when the resource does not exist. */
  async sendIfExists<O>(client: Sendable, command: object, action: string): Promise<O | undefined> {
    try {
      return await this.send<O>(client, command, action);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Every page of an IAM list call that pages with Marker / IsTruncated, `MaxItems: this.page` a page. */
  async *pages<O extends { IsTruncated?: boolean; Marker?: string }>(client: Sendable, command: (page: { MaxItems: number; Marker?: string }) => object, action: string): AsyncGenerator<O> {
    let marker: string | undefined;
    do {
      const out = await this.send<O>(client, command({ MaxItems: this.page, ...(marker ? { Marker: marker } : {}) }), action);
      yield out;
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
  }

  explain(e: unknown, fallbackAction: string): Error {
    const action = (e as { charterAction?: string }).charterAction ?? fallbackAction;
    return explainAwsError(e, action, this.principal, actionEndpoint(this.clients.options, action));
  }
}

/** URL-decoded, parsed IAM document (GAAD and Get* return them URL-encoded). */
export function decodeDocument(s: string | undefined): PolicyDocument {
  if (!s) return { Statement: [] };
  let text = s;
  if (!s.trimStart().startsWith('{')) {
    try {
      text = decodeURIComponent(s);
    } catch {
      text = s;
    }
  }
  try {
    return JSON.parse(text) as PolicyDocument;
  } catch {
    // Some tools double-encode; one more round, then give up loudly.
    try {
      return JSON.parse(decodeURIComponent(text)) as PolicyDocument;
    } catch {
      throw new RuntimeError(`could not parse a policy document read from AWS: ${s.slice(0, 80)}...`);
    }
  }
}

interface SdkTag {
  Key?: string;
  Value?: string;
}
function tagMap(tags: SdkTag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return sortedTags(out);
}

/** Run `fn` over items with at most `n` in flight. */
export async function pool<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

function lc(s: string): string {
  return s.toLowerCase();
}

/** Whether a name is one charter might own or the spec wants. */
function relevant(name: string, wanted: Set<string>, prefix: string): boolean {
  return wanted.has(lc(name)) || lc(name).startsWith(lc(prefix) + '-');
}

function arnPartition(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

async function identity(r: Reader): Promise<{ account: string; arn: string }> {
  const sts = await r.clients.sts();
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  try {
    const out = await r.send<{ Account?: string; Arn?: string }>(sts, new GetCallerIdentityCommand({}), 'sts:GetCallerIdentity');
    r.principal = out.Arn ?? '';
    return { account: out.Account ?? '', arn: out.Arn ?? '' };
  } catch (e) {
    throw r.explain(e, 'sts:GetCallerIdentity');
  }
}

// ---------------------------------------------------------------------------------------------
// IAM via GetAccountAuthorizationDetails

/** A role as GetRole returns it. */
interface SdkRole {
  RoleName?: string;
  Arn?: string;
  Path?: string;
  RoleId?: string;
  Description?: string;
  MaxSessionDuration?: number;
  AssumeRolePolicyDocument?: string;
  PermissionsBoundary?: { PermissionsBoundaryArn?: string };
  Tags?: SdkTag[];
}

/** A customer-managed policy as GetPolicy / ListPolicies return it. */
interface SdkPolicy {
  PolicyName?: string;
  Arn?: string;
  Path?: string;
  DefaultVersionId?: string;
  AttachmentCount?: number;
  Tags?: SdkTag[];
}

/** A role in GetAccountAuthorizationDetails: no description or session duration, its policies and profiles inline. */
interface GaadRole extends Omit<SdkRole, 'Description' | 'MaxSessionDuration'> {
  RolePolicyList?: Array<{ PolicyName?: string; PolicyDocument?: string }>;
  AttachedManagedPolicies?: Array<{ PolicyArn?: string }>;
  InstanceProfileList?: Array<{ InstanceProfileName?: string }>;
}
/** A policy in GetAccountAuthorizationDetails: no tags, every version inline. */
interface GaadPolicy extends Omit<SdkPolicy, 'Tags'> {
  PolicyVersionList?: Array<{ Document?: string; VersionId?: string; IsDefaultVersion?: boolean }>;
}

function roleFromGaad(x: GaadRole): LiveRole {
  const inline: Record<string, PolicyDocument> = {};
  for (const p of x.RolePolicyList ?? []) if (p.PolicyName) inline[p.PolicyName] = decodeDocument(p.PolicyDocument);
  return {
    name: x.RoleName ?? '',
    arn: x.Arn ?? '',
    path: x.Path ?? '/',
    ...(x.RoleId ? { roleId: x.RoleId } : {}),
    ...(x.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundary: x.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    trust: decodeDocument(x.AssumeRolePolicyDocument),
    inline,
    attached: (x.AttachedManagedPolicies ?? []).map((a) => a.PolicyArn ?? '').filter(Boolean).sort(),
    instanceProfiles: (x.InstanceProfileList ?? []).map((p) => p.InstanceProfileName ?? '').filter(Boolean).sort(),
    tags: tagMap(x.Tags),
  };
}

async function readGaad(r: Reader): Promise<{ roles: LiveRole[]; policies: GaadPolicy[] }> {
  const iam = await r.clients.iam();
  const { GetAccountAuthorizationDetailsCommand } = await import('@aws-sdk/client-iam');
  const roles: LiveRole[] = [];
  const policies: GaadPolicy[] = [];
  type Page = { RoleDetailList?: GaadRole[]; Policies?: GaadPolicy[]; IsTruncated?: boolean; Marker?: string };
  for await (const out of r.pages<Page>(iam, (page) => new GetAccountAuthorizationDetailsCommand({ Filter: ['Role', 'LocalManagedPolicy'], ...page }), 'iam:GetAccountAuthorizationDetails')) {
    for (const x of out.RoleDetailList ?? []) roles.push(roleFromGaad(x));
    policies.push(...(out.Policies ?? []));
  }
  return { roles, policies };
}

// ---------------------------------------------------------------------------------------------
// IAM one resource at a time

/** Every role as ListRoles returns it: name, description and session duration (no tags, no boundary). */
async function listRoles(r: Reader): Promise<SdkRole[]> {
  const iam = await r.clients.iam();
  const { ListRolesCommand } = await import('@aws-sdk/client-iam');
  const roles: SdkRole[] = [];
  for await (const out of r.pages<{ Roles?: SdkRole[]; IsTruncated?: boolean; Marker?: string }>(iam, (page) => new ListRolesCommand(page), 'iam:ListRoles')) {
    for (const x of out.Roles ?? []) if (x.RoleName) roles.push(x);
  }
  return roles;
}

/**
 * GetAccountAuthorizationDetails returns neither a role's description nor its session duration;
 * ListRoles does (one call per 1,000 roles): fill them in by name. A role GAAD saw that the listing
 * did not (created in between) is marked as not known.
 */
function withListedSettings(roles: LiveRole[], listed: SdkRole[] | undefined): LiveRole[] {
  const byName = new Map((listed ?? []).map((x) => [lc(x.RoleName ?? ''), x] as const));
  return roles.map((role) => {
    const x = byName.get(lc(role.name));
    if (!x) return { ...role, settingsKnown: false };
    return {
      ...role,
      ...(x.Description ? { description: x.Description } : {}),
      ...(x.MaxSessionDuration !== undefined ? { maxSessionDuration: x.MaxSessionDuration } : {}),
    };
  });
}

/** One role with its inline and attached policies; undefined when it does not exist. */
export async function readRole(r: Reader, name: string): Promise<LiveRole | undefined> {
  const iam = await r.clients.iam();
  const m = await import('@aws-sdk/client-iam');
  const role = (await r.sendIfExists<{ Role?: SdkRole }>(iam, new m.GetRoleCommand({ RoleName: name }), 'iam:GetRole'))?.Role;
  if (!role) return undefined;
  const inlineNames: string[] = [];
  for await (const out of r.pages<{ PolicyNames?: string[]; IsTruncated?: boolean; Marker?: string }>(iam, (page) => new m.ListRolePoliciesCommand({ RoleName: name, ...page }), 'iam:ListRolePolicies')) {
    inlineNames.push(...(out.PolicyNames ?? []));
  }
  const inline: Record<string, PolicyDocument> = {};
  for (const pn of inlineNames) {
    const out = await r.send<{ PolicyDocument?: string }>(iam, new m.GetRolePolicyCommand({ RoleName: name, PolicyName: pn }), 'iam:GetRolePolicy');
    inline[pn] = decodeDocument(out.PolicyDocument);
  }
  const attached: string[] = [];
  type AttachedPage = { AttachedPolicies?: Array<{ PolicyArn?: string }>; IsTruncated?: boolean; Marker?: string };
  for await (const out of r.pages<AttachedPage>(iam, (page) => new m.ListAttachedRolePoliciesCommand({ RoleName: name, ...page }), 'iam:ListAttachedRolePolicies')) {
    for (const a of out.AttachedPolicies ?? []) if (a.PolicyArn) attached.push(a.PolicyArn);
  }
  return {
    name: role.RoleName ?? name,
    arn: role.Arn ?? '',
    path: role.Path ?? '/',
    ...(role.RoleId ? { roleId: role.RoleId } : {}),
    ...(role.Description !== undefined ? { description: role.Description } : {}),
    ...(role.MaxSessionDuration !== undefined ? { maxSessionDuration: role.MaxSessionDuration } : {}),
    ...(role.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundary: role.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    trust: decodeDocument(role.AssumeRolePolicyDocument),
    inline,
    attached: attached.sort(),
    instanceProfiles: [],
    tags: tagMap(role.Tags),
  };
}

interface SdkProfile {
  InstanceProfileName?: string;
  Arn?: string;
  Path?: string;
  Roles?: Array<{ RoleName?: string }>;
  Tags?: SdkTag[];
}

function profileFromSdk(x: SdkProfile, tagsKnown: boolean): LiveInstanceProfile {
  return {
    name: x.InstanceProfileName ?? '',
    arn: x.Arn ?? '',
    path: x.Path ?? '/',
    roles: (x.Roles ?? []).map((y) => y.RoleName ?? '').filter(Boolean).sort(),
    tags: tagsKnown ? tagMap(x.Tags) : {},
    tagsKnown,
  };
}

async function listProfiles(r: Reader): Promise<LiveInstanceProfile[]> {
  const iam = await r.clients.iam();
  const { ListInstanceProfilesCommand } = await import('@aws-sdk/client-iam');
  const out: LiveInstanceProfile[] = [];
  for await (const page of r.pages<{ InstanceProfiles?: SdkProfile[]; IsTruncated?: boolean; Marker?: string }>(iam, (p) => new ListInstanceProfilesCommand(p), 'iam:ListInstanceProfiles')) {
    // IAM list calls do not return tags (even when a response carries an empty list).
    for (const x of page.InstanceProfiles ?? []) out.push(profileFromSdk(x, false));
  }
  return out;
}

/** One instance profile with its tags; undefined when it does not exist. */
export async function readProfile(r: Reader, name: string): Promise<LiveInstanceProfile | undefined> {
  const iam = await r.clients.iam();
  const { GetInstanceProfileCommand } = await import('@aws-sdk/client-iam');
  const out = await r.sendIfExists<{ InstanceProfile?: SdkProfile }>(iam, new GetInstanceProfileCommand({ InstanceProfileName: name }), 'iam:GetInstanceProfile');
  return out?.InstanceProfile ? profileFromSdk(out.InstanceProfile, true) : undefined;
}

/** One customer-managed policy with its default version and tags; undefined when absent. */
export async function readPolicy(r: Reader, arn: string, knownDoc?: { versionId: string; document: PolicyDocument }): Promise<LiveManagedPolicy | undefined> {
  const iam = await r.clients.iam();
  const m = await import('@aws-sdk/client-iam');
  const p = (await r.sendIfExists<{ Policy?: SdkPolicy }>(iam, new m.GetPolicyCommand({ PolicyArn: arn }), 'iam:GetPolicy'))?.Policy;
  if (!p) return undefined;
  const versionId = p.DefaultVersionId ?? 'v1';
  let document: PolicyDocument;
  if (knownDoc && knownDoc.versionId === versionId) document = knownDoc.document;
  else {
    const v = await r.send<{ PolicyVersion?: { Document?: string } }>(iam, new m.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }), 'iam:GetPolicyVersion');
    document = decodeDocument(v.PolicyVersion?.Document);
  }
  return {
    name: p.PolicyName ?? '',
    arn: p.Arn ?? arn,
    path: p.Path ?? '/',
    defaultVersionId: versionId,
    document,
    ...(p.AttachmentCount !== undefined ? { attachmentCount: p.AttachmentCount } : {}),
    tags: tagMap(p.Tags),
  };
}

async function listLocalPolicies(r: Reader): Promise<SdkPolicy[]> {
  const iam = await r.clients.iam();
  const { ListPoliciesCommand } = await import('@aws-sdk/client-iam');
  const out: SdkPolicy[] = [];
  for await (const page of r.pages<{ Policies?: SdkPolicy[]; IsTruncated?: boolean; Marker?: string }>(iam, (p) => new ListPoliciesCommand({ Scope: 'Local', ...p }), 'iam:ListPolicies')) {
    out.push(...(page.Policies ?? []));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// EC2

interface SdkInstance {
  InstanceId?: string;
  State?: { Name?: string };
  ClientToken?: string;
  InstanceType?: string;
  ImageId?: string;
  LaunchTime?: Date | string;
  IamInstanceProfile?: { Arn?: string };
  Tags?: SdkTag[];
}

const STATES = new Set(['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped']);

function instanceFromSdk(x: SdkInstance): LiveInstance {
  const st = x.State?.Name ?? 'pending';
  const lt = x.LaunchTime instanceof Date ? x.LaunchTime.toISOString() : x.LaunchTime;
  return {
    instanceId: x.InstanceId ?? '',
    state: (STATES.has(st) ? st : 'pending') as LiveInstance['state'],
    ...(x.ClientToken ? { clientToken: x.ClientToken } : {}),
    ...(x.InstanceType ? { instanceType: x.InstanceType } : {}),
    ...(x.ImageId ? { imageId: x.ImageId } : {}),
    ...(lt ? { launchTime: lt } : {}),
    ...(x.IamInstanceProfile?.Arn ? { instanceProfileArn: x.IamInstanceProfile.Arn } : {}),
    tags: tagMap(x.Tags),
  };
}

/** Managed instances of one spec, every state (terminated ones tell the plan a group expired). */
export async function readInstances(r: Reader, prefix: string, specName: string, group?: string): Promise<LiveInstance[]> {
  const ec2 = await r.clients.ec2();
  const { DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
  const filters = [
    { Name: `tag:${prefix}:managed`, Values: ['true'] },
    { Name: `tag:${prefix}:spec`, Values: [specName] },
    ...(group !== undefined ? [{ Name: `tag:${prefix}:group`, Values: [group] }] : []),
  ];
  const out: LiveInstance[] = [];
  let token: string | undefined;
  do {
    const page = await r.send<{ Reservations?: Array<{ Instances?: SdkInstance[] }>; NextToken?: string }>(
      ec2,
      new DescribeInstancesCommand({ Filters: filters, MaxResults: Math.max(5, r.ec2Page), ...(token ? { NextToken: token } : {}) }),
      'ec2:DescribeInstances',
    );
    for (const res of page.Reservations ?? []) for (const x of res.Instances ?? []) out.push(instanceFromSdk(x));
    token = page.NextToken || undefined;
  } while (token);
  return out.sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------

function attachProfilesToRoles(roles: LiveRole[], profiles: LiveInstanceProfile[]): void {
  const byRole = new Map<string, string[]>();
  for (const p of profiles) for (const rn of p.roles) {
    const l = byRole.get(lc(rn));
    if (l) l.push(p.name);
    else byRole.set(lc(rn), [p.name]);
  }
  for (const r of roles) r.instanceProfiles = [...new Set([...(byRole.get(lc(r.name)) ?? []), ...r.instanceProfiles])].sort();
}

/** Whether charter owns this profile, inferred when its tags are unknown. */
function profileOwnershipKnown(p: LiveInstanceProfile, roles: Map<string, LiveRole>, prefix: string): boolean {
  if (p.tagsKnown !== false) return true;
  // Charter's profile carries the name of its (charter-managed) role.
  return p.roles.some((rn) => lc(rn) === lc(p.name) && roles.get(lc(rn))?.tags[`${prefix}:managed`] === 'true');
}

/**
 * Whether a profile's unread tags are needed: charter's profile (inferred from its role) whose role's
 * live tags differ from the tags the spec wants on the profile. Charter writes the same tags on a
 * profile and its role, and apply tags the profile first, so a role already at the spec's tags means
 * its profile is too; only a profile tag changed outside charter alone goes unseen this way.
 */
function profileTagsNeeded(p: LiveInstanceProfile, roles: Map<string, LiveRole>, o: ReadOptions): boolean {
  if (p.tagsKnown !== false || !o.profileTagsNeeded) return false;
  const role = roles.get(lc(p.name));
  return role !== undefined && o.profileTagsNeeded(p.name, role.tags);
}

async function completeProfiles(r: Reader, o: ReadOptions, profiles: LiveInstanceProfile[], roles: LiveRole[]): Promise<LiveInstanceProfile[]> {
  const wanted = new Set(o.profileNames.map(lc));
  const roleMap = new Map(roles.map((x) => [lc(x.name), x] as const));
  const fetch = profiles.filter((p) => relevant(p.name, wanted, o.prefix) && (!profileOwnershipKnown(p, roleMap, o.prefix) || profileTagsNeeded(p, roleMap, o)));
  const fetched = await pool(fetch, r.concurrency, (p) => readProfile(r, p.name));
  const byName = new Map(fetched.filter((x): x is LiveInstanceProfile => x !== undefined).map((x) => [lc(x.name), x] as const));
  return profiles.map((p) => byName.get(lc(p.name)) ?? p);
}

async function policiesFromGaad(r: Reader, o: ReadOptions, gp: GaadPolicy[]): Promise<LiveManagedPolicy[]> {
  const wanted = new Set(o.policyNames.map(lc));
  const todo = gp.filter((p) => p.Arn && p.PolicyName && relevant(p.PolicyName, wanted, o.prefix));
  const out = await pool(todo, r.concurrency, (p) => {
    const def = (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? (p.PolicyVersionList ?? []).find((v) => v.VersionId === p.DefaultVersionId);
    return readPolicy(r, p.Arn!, def?.VersionId ? { versionId: def.VersionId, document: decodeDocument(def.Document) } : undefined);
  });
  return out.filter((x): x is LiveManagedPolicy => x !== undefined);
}

async function policiesPerResource(r: Reader, o: ReadOptions): Promise<LiveManagedPolicy[]> {
  const wanted = new Set(o.policyNames.map(lc));
  const listed = (await listLocalPolicies(r)).filter((p) => p.Arn && p.PolicyName && relevant(p.PolicyName, wanted, o.prefix));
  const out = await pool(listed, r.concurrency, (p) => readPolicy(r, p.Arn!));
  return out.filter((x): x is LiveManagedPolicy => x !== undefined);
}

/**
 * Estimated calls of the two IAM read paths, beyond what both share (identity, instance profiles,
 * instances): per role GetRole, ListRolePolicies, GetRolePolicy, ListAttachedRolePolicies, plus one
 * ListPolicies; GetAccountAuthorizationDetails pages hold about 100 roles on a real account (AWS
 * returns short pages when the documents are large), so ceil(roles / 100).
 */
export function readCosts(accountRoles: number, candidateRoles: number): { perRole: number; gaadPages: number } {
  return { perRole: 4 * candidateRoles + 1, gaadPages: Math.max(1, Math.ceil(accountRoles / GAAD_PAGE_ESTIMATE)) };
}

/** Read everything the planner needs. */
export async function readLiveState(clients: AwsClients, o: ReadOptions): Promise<LiveState> {
  const r = new Reader(clients, o.concurrency ?? 8, o.pageSize ?? PAGE, o.ec2PageSize ?? PAGE);
  const notes: string[] = [];
  const id = await identity(r);
  const mode = o.mode ?? 'auto';
  let roles: LiveRole[] = [];
  let policies: LiveManagedPolicy[] = [];
  let readMode: LiveState['readMode'] = 'gaad';
  try {
    let listed: SdkRole[] | undefined;
    let listedNames: string[] | undefined;
    let useGaad = mode !== 'per-resource';
    if (mode === 'auto' && o.roleNames.length <= SMALL_SPEC_ROLES) {
      // Cheap probe: a small spec in a large account reads fewer calls role by role.
      try {
        listed = await listRoles(r);
        listedNames = listed.map((x) => x.RoleName ?? '');
        const wanted = new Set(o.roleNames.map(lc));
        const candidates = listedNames.filter((n) => relevant(n, wanted, o.prefix)).length;
        const { perRole, gaadPages } = readCosts(listedNames.length, candidates);
        if (perRole < gaadPages) {
          useGaad = false;
          notes.push(`per-resource reads: ${candidates} candidate roles among ${listedNames.length} (about ${perRole} calls vs ${gaadPages} for GetAccountAuthorizationDetails)`);
        }
      } catch (e) {
        if (!isAccessDenied(e)) throw e;
        listedNames = undefined;
      }
    }
    let gaadPolicies: GaadPolicy[] | undefined;
    if (useGaad) {
      try {
        const g = await readGaad(r);
        roles = g.roles;
        gaadPolicies = g.policies;
      } catch (e) {
        if (!isAccessDenied(e) || mode === 'gaad') throw e;
        notes.push(`GetAccountAuthorizationDetails denied for ${r.principal || 'the caller'}: fell back to per-resource reads`);
        useGaad = false;
      }
    }
    const profilesListed = await listProfiles(r);
    if (useGaad) {
      if (!listed) {
        try {
          listed = await listRoles(r);
        } catch (e) {
          if (!isAccessDenied(e)) throw e;
          notes.push(`ListRoles denied for ${r.principal || 'the caller'}: role descriptions and session durations were not read (GetAccountAuthorizationDetails does not return them), so changes to them are not planned`);
        }
      }
      roles = withListedSettings(roles, listed);
      policies = await policiesFromGaad(r, o, gaadPolicies ?? []);
    } else {
      readMode = 'per-resource';
      const names = listedNames ?? (await listRoles(r)).map((x) => x.RoleName ?? '');
      const wanted = new Set(o.roleNames.map(lc));
      const candidates = names.filter((n) => relevant(n, wanted, o.prefix)).sort();
      roles = (await pool(candidates, r.concurrency, (n) => readRole(r, n))).filter((x): x is LiveRole => x !== undefined);
      notes.push(`per-resource reads see only roles the spec names and roles named ${o.prefix}-*: managed orphans with other explicit names are not listed`);
      policies = await policiesPerResource(r, o);
    }
    attachProfilesToRoles(roles, profilesListed);
    const instanceProfiles = await completeProfiles(r, o, profilesListed, roles);
    const instances = await readInstances(r, o.prefix, o.specName);
    return {
      account: id.account,
      callerArn: id.arn,
      region: clients.options.region,
      partition: arnPartition(id.arn),
      roles: roles.sort((a, b) => (lc(a.name) < lc(b.name) ? -1 : 1)),
      policies: policies.sort((a, b) => (a.arn < b.arn ? -1 : 1)),
      instanceProfiles: instanceProfiles.sort((a, b) => (lc(a.name) < lc(b.name) ? -1 : 1)),
      instances,
      readMode,
      readCalls: r.calls,
      readCallsByAction: { ...r.byAction },
      notes,
    };
  } catch (e) {
    throw r.explain(e, 'iam:GetAccountAuthorizationDetails');
  }
}

/**
 * Re-read just the resources these fingerprint targets name (apply's stale-plan check), one call
 * or a few each. The result holds only those resources; compare with fingerprintsOf().
 */
export async function readResources(clients: AwsClients, targets: readonly FingerprintTarget[], o: { prefix: string; specName: string; concurrency?: number }): Promise<LiveState> {
  const r = new Reader(clients, o.concurrency ?? 8);
  const id = await identity(r);
  try {
    const roleNames = [...new Set(targets.flatMap((t) => (t.kind === 'role' ? [t.name] : [])))];
    const profileNames = [...new Set(targets.flatMap((t) => (t.kind === 'profile' ? [t.name] : [])))];
    const policyArns = [...new Set(targets.flatMap((t) => (t.kind === 'policy' ? [t.arn] : [])))];
    const [roles, profiles, policies] = await Promise.all([
      pool(roleNames, r.concurrency, (n) => readRole(r, n)),
      pool(profileNames, r.concurrency, (n) => readProfile(r, n)),
      pool(policyArns, r.concurrency, (a) => readPolicy(r, a.replace('{accountId}', id.account))),
    ]);
    const liveRoles = roles.filter((x): x is LiveRole => x !== undefined);
    const liveProfiles = profiles.filter((x): x is LiveInstanceProfile => x !== undefined);
    attachProfilesToRoles(liveRoles, liveProfiles);
    const instances = targets.some((t) => t.kind === 'instances') ? await readInstances(r, o.prefix, o.specName) : [];
    return {
      account: id.account,
      callerArn: id.arn,
      region: clients.options.region,
      partition: arnPartition(id.arn),
      roles: liveRoles,
      policies: policies.filter((x): x is LiveManagedPolicy => x !== undefined),
      instanceProfiles: liveProfiles,
      instances,
      readMode: 'per-resource',
      readCalls: r.calls,
      readCallsByAction: { ...r.byAction },
      notes: [],
    };
  } catch (e) {
    throw r.explain(e, 'iam:GetRole');
  }
}
