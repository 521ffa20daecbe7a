/**
 * The planner: Bundle + LiveState → Plan. Pure and deterministic (no clock, no network, no
 * randomness); the only await is loading iam-data for broadening (read-only reference data).
 *
 * One change per resource address: role.<svc>, role.<svc>.inline.<name>, role.<svc>.attachment.<arn>,
 * policy.<svc>.<n>, profile.<svc>, profile.<svc>.role, launch.<group>; orphans (charter-managed,
 * this spec, absent from it) as orphan.role.<name>, orphan.profile.<name>, orphan.policy.<name>,
 * orphan.instances.<group>; instances beyond count or replaced as launch.<group>.extra (src/plan/launches.ts).
 *
 * Ownership: `{prefix}:managed=true` and `{prefix}:spec=<spec name>`. A live resource whose name the
 * spec wants but which is not this spec's is a conflict (action no-op, conflict: true) unless
 * --adopt, which turns it into an update that tags it.
 */
import { createTwoFilesPatch } from 'diff';
import type { Bundle, InstanceProfile, LaunchGroup, ManagedPolicy, Role } from '../compiler/types.js';
import { managedTagKeys } from '../compiler/types.js';
import { roleContentHash } from '../compiler/roles.js';
import { reconciledTags, sortedTags, tagsDiffer } from '../policy/tags.js';
import { isOurs as ownedBySpec } from '../compiler/tags.js';
import type { FingerprintTarget, LiveInstance, LiveInstanceProfile, LiveManagedPolicy, LiveRole, LiveState } from '../policy/live-types.js';
import { ACTIVE_STATES, fingerprintsOf } from '../aws/fingerprints.js';
import { liveCounterparts, livePolicyArn, profileNameOfArn, resolveLiveArn, type Counterparts } from './counterparts.js';
import { canonicalJson, canonicalPolicy, policyHash, prettyJson, sha256Hex } from '../policy/canonical.js';
import type { PolicyDocument } from '../policy/types.js';
import { redactSecrets } from '../secrets.js';
import {
  classifyAttachments,
  classifyBoundary,
  classifyDocuments,
  mergeResults,
  prepareIamData,
  type BroadeningResult,
} from './broadening.js';
import { statementRows } from './statements.js';
import { withDependencies } from './dependencies.js';
import { planLaunchGroup } from './launches.js';
import { PLAN_FORMAT_VERSION, type Change, type FullRoleView, type Plan, type ResourceKind, type RoleView } from './types.js';
import type { ChangedField, Owner, Reason } from './reasons.js';

export interface PlanOptions {
  prune: boolean;
  adopt: boolean;
}

const lc = (s: string) => s.toLowerCase();

/** Redact any secret inside a JSON value (plans never hold one). */
export function redactValue<T>(given: T): T {
  if (given === undefined) return given;
  const s = JSON.stringify(given);
  const r = redactSecrets(s);
  if (r === s) return given;
  try {
    return JSON.parse(r) as T;
  } catch {
    return r as unknown as T;
  }
}

/** Unified diff of canonical pretty JSON; undefined when equal. */
export function unifiedDiff(label: string, before: unknown, after: unknown): string | undefined {
  const a = before === undefined ? '' : prettyJson(before);
  const b = after === undefined ? '' : prettyJson(after);
  if (a === b) return undefined;
  const patch = createTwoFilesPatch(`${label} (live)`, `${label} (spec)`, a, b, '', '', { context: 3 });
  // Drop the "Index:"/"====" header lines: the ---/+++ lines say it all.
  return redactSecrets(
    patch
      .split('\n')
      .filter((l) => !/^=+$/.test(l) && !l.startsWith('Index:'))
      .join('\n')
      .replace(/\t$/gm, ''),
  );
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canon(doc: PolicyDocument): PolicyDocument {
  return canonicalPolicy(doc);
}

interface Ctx {
  bundle: Bundle;
  live: LiveState;
  opts: PlanOptions;
  keys: ReturnType<typeof managedTagKeys>;
  changes: Change[];
  /** What the plan read (or expected absent): fingerprinted at the end. */
  fpTargets: FingerprintTarget[];
  rolesByName: Map<string, LiveRole>;
  profilesByName: Map<string, LiveInstanceProfile>;
  policiesByArn: Map<string, LiveManagedPolicy>;
  /** The live role / policy each compiled one corresponds to (shared with lint --reference live). */
  counterparts: Counterparts;
  claimedProfiles: Set<string>;
  claimedPolicies: Set<string>;
  notes: string[];
}

function resolveArn(ctx: Ctx, arn: string): string {
  return resolveLiveArn(arn, ctx.live);
}

function isManaged(ctx: Ctx, tags: Record<string, string>): boolean {
  return tags[ctx.keys.managed] === 'true';
}

/** This spec's resource: managed and tagged with this spec's name. */
function isOurs(ctx: Ctx, tags: Record<string, string>): boolean {
  return ownedBySpec(ctx.bundle, tags);
}

function profileIsOurs(ctx: Ctx, p: LiveInstanceProfile): boolean {
  if (p.tagsKnown !== false) return isOurs(ctx, p.tags);
  // Tags unknown (list calls do not return them): charter's profile holds its role of the same name.
  return p.roles.some((rn) => lc(rn) === lc(p.name) && (() => {
    const r = ctx.rolesByName.get(lc(rn));
    return r !== undefined && isOurs(ctx, r.tags);
  })());
}

function ownerOf(ctx: Ctx, tags: Record<string, string>, tagsKnown = true): Owner {
  if (!tagsKnown) return { kind: 'tags-unreadable' };
  if (!isManaged(ctx, tags)) return { kind: 'unmanaged', tag: ctx.keys.managed };
  return { kind: 'other-spec', spec: tags[ctx.keys.spec] ?? '?' };
}

// ------------------------------------------------------------------------------------------------
// Role content as the plan shows it

/** IAM's MaxSessionDuration when none is set. */
const DEFAULT_MAX_SESSION = 3600;

function desiredRoleView(r: Role): RoleView {
  return { name: r.name, path: r.path, description: r.description || null, maxSessionDuration: r.maxSessionDuration ?? DEFAULT_MAX_SESSION, permissionsBoundary: r.permissionsBoundary ?? null, trust: r.trust.document, tags: sortedTags(r.tags) };
}

/** A live role as the plan shows it; with `reconcile`, only the tags apply would touch (compiler/tags.ts). */
function liveRoleView(r: LiveRole, reconcile?: { want: Record<string, string>; prefix: string }): RoleView {
  const tags = reconcile ? reconciledTags(r.tags, reconcile.want, reconcile.prefix) : sortedTags(r.tags);
  return { name: r.name, path: r.path, description: r.description || null, maxSessionDuration: r.maxSessionDuration ?? DEFAULT_MAX_SESSION, permissionsBoundary: r.permissionsBoundary ?? null, trust: canon(r.trust), tags };
}

/** What differs between two views of a role, in the words of the plan (the hash tag alone is named). */
function roleDifferences(ctx: Ctx, before: RoleView, after: RoleView): ChangedField[] {
  const what: ChangedField[] = [];
  if (!sameJson(before.trust, after.trust)) what.push('trust');
  if (before.permissionsBoundary !== after.permissionsBoundary) what.push('permissions-boundary');
  if (before.description !== after.description) what.push('description');
  if (before.maxSessionDuration !== after.maxSessionDuration) what.push('max-session-duration');
  if (!sameJson(before.tags, after.tags)) {
    const keys = new Set([...Object.keys(before.tags), ...Object.keys(after.tags)]);
    const changed = [...keys].filter((k) => before.tags[k] !== after.tags[k]);
    what.push(changed.length === 1 && changed[0] === ctx.keys.hash ? 'hash-tag' : 'tags');
  }
  return what;
}

/** Everything AWS holds for a role (for replace: old role vs new role in one diff). */
function fullDesired(ctx: Ctx, r: Role): FullRoleView {
  const inline: Record<string, PolicyDocument> = {};
  for (const p of r.inline) inline[p.name] = p.document;
  return { ...desiredRoleView(r), inline, attached: r.managed.map((m) => resolveArn(ctx, m.arn)).sort() };
}

function fullLive(r: LiveRole): FullRoleView {
  const inline: Record<string, PolicyDocument> = {};
  for (const n of Object.keys(r.inline).sort()) inline[n] = canon(r.inline[n]!);
  return { ...liveRoleView(r), inline, attached: [...r.attached].sort() };
}

/**
 * The role hash as the compiler computes it (src/compiler/roles.ts), from live content. Several
 * candidates: GetAccountAuthorizationDetails does not return MaxSessionDuration.
 */
function liveRoleHashes(ctx: Ctx, r: LiveRole): Set<string> {
  const noAccount = ctx.bundle.account === undefined;
  const placeholder = (arn: string) => (noAccount && ctx.live.account ? arn.replace(`:${ctx.live.account}:`, ':{accountId}:') : arn);
  const managed = r.attached
    .map((arn) => {
      const p = ctx.policiesByArn.get(arn);
      const key = placeholder(arn);
      return { key, v: p && isManaged(ctx, p.tags) ? `customer:${policyHash(p.document)}` : key };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.v);
  const inline = Object.keys(r.inline)
    .sort()
    .map((n): [string, string] => [n, policyHash(r.inline[n]!)]);
  const base = {
    path: r.path,
    permissionsBoundary: r.permissionsBoundary ? placeholder(r.permissionsBoundary) : null,
    trust: policyHash(r.trust),
    inline,
    managed,
  };
  const durations: Array<number | null> = r.maxSessionDuration !== undefined ? [r.maxSessionDuration, null] : [null];
  if (r.maxSessionDuration === undefined) for (let h = 1; h <= 12; h++) durations.push(h * 3600);
  const out = new Set<string>();
  for (const d of durations) out.add(roleContentHash({ ...base, maxSessionDuration: d }).slice(0, 8));
  return out;
}

/** Drift: the live role no longer matches the hash charter tagged it with. */
function roleDrifted(ctx: Ctx, r: LiveRole): boolean {
  const tag = r.tags[ctx.keys.hash];
  if (!tag || !isManaged(ctx, r.tags)) return false;
  return !liveRoleHashes(ctx, r).has(tag.slice(0, 8));
}

// ------------------------------------------------------------------------------------------------

function push(ctx: Ctx, c: Change): void {
  const out: Change = { ...c };
  if (out.before !== undefined) out.before = redactValue(out.before);
  if (out.after !== undefined) out.after = redactValue(out.after);
  // Profiles, role-in-profile and launches grant nothing by themselves.
  if (out.broadening === undefined && out.action !== 'no-op' && (out.kind === 'instance-profile' || out.kind === 'role-in-profile' || out.kind === 'instances')) out.broadening = 'neutral';
  if (out.broadening === undefined) delete out.broadening;
  // Every string of a change (reasons, details, diffs) is redacted before the plan id is computed.
  ctx.changes.push(redactValue(out));
}

/** At most this many broadening lines per change (the rest are counted). */
export const MAX_DETAILS = 25;

function withBroadening(c: Change, b: BroadeningResult | undefined): Change {
  if (!b) return c;
  const more = b.details.length - MAX_DETAILS;
  return { ...c, broadening: b.broadening, ...(b.details.length ? { broadeningDetails: b.details.slice(0, MAX_DETAILS) } : {}), ...(more > 0 ? { broadeningMore: more } : {}) };
}

function instancesUsingProfile(ctx: Ctx, profile: string): LiveInstance[] {
  return ctx.live.instances.filter((i) => ACTIVE_STATES.has(i.state) && i.instanceProfileArn && lc(profileNameOfArn(i.instanceProfileArn)) === lc(profile));
}

// ------------------------------------------------------------------------------------------------
// Customer-managed policies

function planPolicy(ctx: Ctx, p: ManagedPolicy): void {
  const liveArn = livePolicyArn(ctx.bundle, ctx.live, p);
  ctx.fpTargets.push({ kind: 'policy', name: p.name, arn: liveArn });
  ctx.claimedPolicies.add(liveArn);
  const live = ctx.policiesByArn.get(liveArn);
  const base = { address: p.address, kind: 'managed-policy' as const, name: p.name, target: { policyArn: liveArn }, pos: p.pos };
  if (!live) {
    push(ctx, withBroadening({ ...base, action: 'create', reason: { code: 'not-in-aws' }, after: p.document }, classifyDocuments(undefined, p.document)));
    return;
  }
  const liveDoc = canon(live.document);
  const same = sameJson(liveDoc, p.document);
  if (!isOurs(ctx, live.tags)) {
    if (!ctx.opts.adopt) {
      push(ctx, { ...base, action: 'no-op', conflict: true, reason: { code: 'conflict', resource: 'policy', name: p.name, owner: ownerOf(ctx, live.tags) }, before: liveDoc });
      return;
    }
    push(ctx, withBroadening({ ...base, action: 'update', adopt: true, conflict: true, reason: { code: 'adopted', resource: 'policy', ...(same ? {} : { documentReplaced: true }) }, before: liveDoc, after: p.document, ...(same ? {} : { diff: unifiedDiff(p.name, liveDoc, p.document) }) }, same ? undefined : classifyDocuments(liveDoc, p.document)));
    return;
  }
  if (same) {
    push(ctx, { ...base, action: 'no-op', reason: { code: 'up-to-date' } });
    return;
  }
  // Names are content-addressed: a different document under the same name was changed outside charter.
  push(ctx, withBroadening({ ...base, action: 'update', drift: true, reason: { code: 'changed', fields: ['document'], outsideCharter: true }, before: liveDoc, after: p.document, diff: unifiedDiff(p.name, liveDoc, p.document) }, classifyDocuments(liveDoc, p.document)));
}

// ------------------------------------------------------------------------------------------------
// Roles

function planInlineAndAttachments(ctx: Ctx, r: Role, live: LiveRole | undefined, reasonNew: Reason, classifyNew = live !== undefined): void {
  const liveInline = live?.inline ?? {};
  const wanted = new Set(r.inline.map((p) => p.name));
  for (const p of r.inline) {
    const address = `${r.address}.inline.${p.name}`;
    const base = { address, kind: 'inline-policy' as const, name: p.name, target: { roleName: r.name, roleAddress: r.address }, pos: p.origins[0]?.pos[0] ?? r.pos };
    const lv = liveInline[p.name];
    if (!lv) {
      push(ctx, withBroadening({ ...base, action: 'create', reason: reasonNew, after: { roleName: r.name, document: p.document } }, classifyNew ? classifyDocuments(undefined, p.document) : undefined));
      continue;
    }
    const ld = canon(lv);
    if (sameJson(ld, p.document)) {
      push(ctx, { ...base, action: 'no-op', reason: { code: 'up-to-date' } });
      continue;
    }
    push(ctx, withBroadening({ ...base, action: 'update', reason: { code: 'changed', fields: ['policy-document'] }, before: { roleName: r.name, document: ld }, after: { roleName: r.name, document: p.document }, diff: unifiedDiff(`${r.name}/${p.name}`, ld, p.document) }, classifyDocuments(ld, p.document)));
  }
  for (const n of Object.keys(liveInline).sort()) {
    if (wanted.has(n)) continue;
    const ld = canon(liveInline[n]!);
    push(ctx, withBroadening({ address: `${r.address}.inline.${n}`, kind: 'inline-policy', name: n, target: { roleName: r.name, roleAddress: r.address }, action: 'delete', reason: { code: 'not-in-spec', what: 'inline-policy' }, before: { roleName: r.name, document: ld }, pos: r.pos }, classifyDocuments(ld, undefined)));
  }
  const liveAttached = new Set(live?.attached ?? []);
  const want = new Map(r.managed.map((m) => [resolveArn(ctx, m.arn), m] as const));
  for (const [arn, m] of want) {
    const address = `${r.address}.attachment.${arn}`;
    const base = { address, kind: 'policy-attachment' as const, name: arn, target: { roleName: r.name, roleAddress: r.address, policyArn: arn }, pos: m.pos };
    if (liveAttached.has(arn)) push(ctx, { ...base, action: 'no-op', reason: { code: 'attached' } });
    else push(ctx, withBroadening({ ...base, action: 'create', reason: reasonNew, after: { roleName: r.name, policyArn: arn } }, classifyNew ? classifyAttachments([], [arn]) : undefined));
  }
  for (const arn of [...liveAttached].sort()) {
    if (want.has(arn)) continue;
    push(ctx, withBroadening({ address: `${r.address}.attachment.${arn}`, kind: 'policy-attachment', name: arn, target: { roleName: r.name, roleAddress: r.address, policyArn: arn }, action: 'delete', reason: { code: 'not-in-spec', what: 'attachment' }, before: { roleName: r.name, policyArn: arn }, pos: r.pos }, classifyAttachments([arn], [])));
  }
}

function roleBroadening(ctx: Ctx, before: LiveRole | undefined, r: Role, full: boolean): BroadeningResult {
  const parts: BroadeningResult[] = [classifyDocuments(before ? canon(before.trust) : undefined, r.trust.document), classifyBoundary(before?.permissionsBoundary, r.permissionsBoundary)];
  if (full) {
    const bi = before ? Object.values(before.inline).map(canon) : [];
    const merged = (docs: PolicyDocument[]): PolicyDocument | undefined => (docs.length ? { Statement: docs.flatMap((d) => d.Statement) } : undefined);
    parts.push(classifyDocuments(merged(bi), merged(r.inline.map((p) => p.document))));
    parts.push(classifyAttachments(before?.attached ?? [], r.managed.map((m) => resolveArn(ctx, m.arn))));
  }
  return mergeResults(parts);
}

function planRole(ctx: Ctx, r: Role): void {
  ctx.fpTargets.push({ kind: 'role', name: r.name });
  const counterpart = ctx.counterparts.roles.get(r.address);
  const live = counterpart?.how === 'same-name' ? counterpart.live : undefined;
  const base = { address: r.address, kind: 'role' as const, name: r.name, target: { roleName: r.name, roleAddress: r.address }, pos: r.pos };
  const after = desiredRoleView(r);
  if (live) {
    const ours = isOurs(ctx, live.tags);
    if (!ours && !ctx.opts.adopt) {
      push(ctx, { ...base, action: 'no-op', conflict: true, reason: { code: 'conflict', resource: 'role', name: r.name, owner: ownerOf(ctx, live.tags) }, before: liveRoleView(live) });
      return;
    }
    const read = liveRoleView(live, { want: r.tags, prefix: ctx.bundle.prefix });
    // Settings the reader could not see are not planned (src/policy/live-types.ts).
    const before = live.settingsKnown === false ? { ...read, description: after.description, maxSessionDuration: after.maxSessionDuration } : read;
    if (before.path !== after.path) {
      // IAM cannot move a role to another path: delete and recreate under the same name.
      push(ctx, withBroadening({ ...base, action: 'replace', previousName: live.name, reason: { code: 'path-changed', from: before.path, to: after.path }, before: fullLive(live), after: fullDesired(ctx, r), diff: unifiedDiff(r.name, fullLive(live), fullDesired(ctx, r)), ...(ours ? {} : { adopt: true, conflict: true }) }, roleBroadening(ctx, live, r, true)));
      planInlineAndAttachments(ctx, r, undefined, { code: 'role-recreated' });
      return;
    }
    const drift = ours && roleDrifted(ctx, live);
    const same = sameJson(before, after);
    if (same && ours) {
      push(ctx, { ...base, action: 'no-op', reason: { code: 'up-to-date' } });
    } else {
      const what = roleDifferences(ctx, before, after);
      const hashTag = what.includes('hash-tag') ? { hashTag: ctx.keys.hash } : {};
      const reason: Reason = !ours
        ? { code: 'adopted', resource: 'role', owner: ownerOf(ctx, live.tags), ...(what.length ? { fields: what, ...hashTag } : {}) }
        : { code: 'changed', fields: what, ...hashTag, ...(drift ? { outsideCharter: true } : {}) };
      push(ctx, withBroadening({ ...base, action: 'update', reason, before, after, diff: unifiedDiff(r.name, before, after), ...(drift ? { drift: true } : {}), ...(ours ? {} : { adopt: true, conflict: true }) }, roleBroadening(ctx, live, r, false)));
    }
    // Sub-resources: on a drifted role every difference is drift too, and so is any difference under
    // a content-addressed name (its content is its name).
    const start = ctx.changes.length;
    planInlineAndAttachments(ctx, r, live, { code: 'not-on-role' });
    if (drift || r.naming === 'content') {
      for (let i = start; i < ctx.changes.length; i++) {
        const c = ctx.changes[i]!;
        if (c.action !== 'no-op') {
          c.drift = true;
          c.reason = { ...c.reason, outsideCharter: true };
        }
      }
    }
    return;
  }
  // Not in AWS under this name.
  if (r.naming !== 'explicit') {
    const prev = counterpart?.how === 'previous-generation' ? counterpart.live : undefined;
    if (prev) {
      ctx.fpTargets.push({ kind: 'role', name: prev.name });
      const b = roleBroadening(ctx, prev, r, true);
      push(ctx, withBroadening({ ...base, action: 'replace', previousName: prev.name, reason: { code: 'renamed', naming: r.naming === 'content' ? 'content' : 'stable', from: prev.name, to: r.name }, before: fullLive(prev), after: fullDesired(ctx, r), diff: unifiedDiff(`role.${r.service}`, fullLive(prev), fullDesired(ctx, r)) }, b));
      planInlineAndAttachments(ctx, r, undefined, { code: 'new-role', role: r.name });
      return;
    }
  }
  push(ctx, withBroadening({ ...base, action: 'create', reason: { code: 'not-in-aws' }, after: fullDesired(ctx, r) }, roleBroadening(ctx, undefined, r, true)));
  planInlineAndAttachments(ctx, r, undefined, { code: 'new-role' }, true);
}

// ------------------------------------------------------------------------------------------------
// Instance profiles

function planProfile(ctx: Ctx, p: InstanceProfile): void {
  ctx.fpTargets.push({ kind: 'profile', name: p.name });
  ctx.claimedProfiles.add(lc(p.name));
  const live = ctx.profilesByName.get(lc(p.name));
  const base = { address: p.address, kind: 'instance-profile' as const, name: p.name, target: { profileName: p.name, profileAddress: p.address }, pos: p.pos };
  const roleAddr = `${p.address}.role`;
  const roleBase = { address: roleAddr, kind: 'role-in-profile' as const, name: p.name, target: { profileName: p.name, profileAddress: p.address, roleName: p.roleName, roleAddress: p.roleAddress }, pos: p.pos };
  if (live) {
    const ours = profileIsOurs(ctx, live);
    if (!ours && !ctx.opts.adopt) {
      push(ctx, { ...base, action: 'no-op', conflict: true, reason: { code: 'conflict', resource: 'instance-profile', name: p.name, owner: ownerOf(ctx, live.tags, live.tagsKnown !== false) }, before: { name: live.name, roles: live.roles } });
      return;
    }
    if (!ours) {
      push(ctx, { ...base, action: 'update', adopt: true, conflict: true, reason: { code: 'adopted', resource: 'instance-profile' }, before: { name: live.name, roles: live.roles }, after: { name: p.name, roles: [p.roleName] } });
    } else if (live.tagsKnown !== false && tagsDiffer(ctx.bundle.prefix, live.tags, p.tags)) {
      // Tags are updated in place (TagInstanceProfile / UntagInstanceProfile), like a role's.
      const before = { name: live.name, roles: live.roles, tags: reconciledTags(live.tags, p.tags, ctx.bundle.prefix) };
      const after = { name: p.name, roles: [p.roleName], tags: sortedTags(p.tags) };
      // The role's own update waits for this one (src/plan/dependencies.ts).
      push(ctx, { ...base, action: 'update', reason: { code: 'changed', fields: ['tags'] }, before, after, diff: unifiedDiff(p.name, before, after) });
    } else {
      push(ctx, { ...base, action: 'no-op', reason: { code: 'exists' } });
    }
    const has = live.roles.some((x) => lc(x) === lc(p.roleName));
    const others = live.roles.filter((x) => lc(x) !== lc(p.roleName));
    if (has && others.length === 0) push(ctx, { ...roleBase, action: 'no-op', reason: { code: 'holds', role: p.roleName } });
    else if (others.length) push(ctx, { ...roleBase, action: 'update', reason: { code: 'holds-other', roles: others, want: p.roleName }, before: { profile: p.name, role: others[0] }, after: { profile: p.name, role: p.roleName }, ...(ours ? { drift: true } : {}) });
    else push(ctx, { ...roleBase, action: 'create', reason: { code: 'holds-none' }, after: { profile: p.name, role: p.roleName } });
    return;
  }
  // A hash-named role's profile is replaced along with it.
  const roleChange = ctx.changes.find((c) => c.address === p.roleAddress);
  const prevProfile = roleChange?.action === 'replace' && roleChange.previousName ? ctx.profilesByName.get(lc(roleChange.previousName)) : undefined;
  if (prevProfile && profileIsOurs(ctx, prevProfile) && lc(prevProfile.name) !== lc(p.name)) {
    ctx.claimedProfiles.add(lc(prevProfile.name));
    ctx.fpTargets.push({ kind: 'profile', name: prevProfile.name });
    push(ctx, { ...base, action: 'replace', previousName: prevProfile.name, reason: { code: 'follows-role', roleAddress: p.roleAddress }, before: { name: prevProfile.name, roles: prevProfile.roles }, after: { name: p.name, roles: [p.roleName] } });
  } else {
    push(ctx, { ...base, action: 'create', reason: { code: 'not-in-aws' }, after: { name: p.name, roles: [p.roleName] } });
  }
  push(ctx, { ...roleBase, action: 'create', reason: { code: 'new-profile' }, after: { profile: p.name, role: p.roleName } });
}

// ------------------------------------------------------------------------------------------------
// Launch groups

function groupOf(ctx: Ctx, i: LiveInstance): string | undefined {
  return i.tags[ctx.keys.group];
}

function planLaunch(ctx: Ctx, l: LaunchGroup): void {
  ctx.fpTargets.push({ kind: 'instances', group: l.group });
  for (const c of planLaunchGroup(l, ctx.live.instances.filter((i) => groupOf(ctx, i) === l.group), ctx.bundle.prefix)) push(ctx, c);
}

// ------------------------------------------------------------------------------------------------
// Orphans: this spec's managed resources the spec no longer names

function planOrphans(ctx: Ctx): void {
  const prune = ctx.opts.prune;
  const desiredGroups = new Set(ctx.bundle.launches.map((l) => l.group));
  // Instances of groups the spec dropped.
  const byGroup = new Map<string, LiveInstance[]>();
  for (const i of ctx.live.instances) {
    if (!ACTIVE_STATES.has(i.state) || !isOurs(ctx, i.tags)) continue;
    const g = groupOf(ctx, i) ?? '';
    if (desiredGroups.has(g)) continue;
    const l = byGroup.get(g);
    if (l) l.push(i);
    else byGroup.set(g, [i]);
  }
  const terminating = new Set<string>();
  for (const g of [...byGroup.keys()].sort()) {
    ctx.fpTargets.push({ kind: 'instances', group: g });
    const ids = byGroup.get(g)!.map((i) => i.instanceId).sort();
    if (prune) ids.forEach((id) => terminating.add(id));
    push(ctx, { address: `orphan.instances.${g || '(none)'}`, kind: 'instances', name: g, target: { group: g }, action: prune ? 'delete' : 'no-op', orphan: true, reason: { code: 'orphan-group', running: ids.length, terminate: prune }, before: { instances: ids }, ...(prune ? { terminate: ids } : {}) });
  }
  for (const c of ctx.changes) if (c.kind === 'instances') for (const id of c.terminate ?? []) terminating.add(id);
  const stillUsed = (profileName: string): string[] => instancesUsingProfile(ctx, profileName).filter((i) => !terminating.has(i.instanceId)).map((i) => i.instanceId);

  const replacedRole = new Map<string, string>();
  const replacedProfile = new Map<string, string>();
  for (const c of ctx.changes) {
    if (c.action !== 'replace' || !c.previousName || c.previousName === c.name) continue;
    if (c.kind === 'role') replacedRole.set(lc(c.previousName), c.address);
    if (c.kind === 'instance-profile') replacedProfile.set(lc(c.previousName), c.address);
  }

  // Profiles first (a role cannot be deleted while in a profile).
  const profileBlocked = new Set<string>();
  for (const p of ctx.live.instanceProfiles) {
    if (!profileIsOurs(ctx, p)) continue;
    const desired = ctx.bundle.instanceProfiles.some((d) => lc(d.name) === lc(p.name));
    if (desired) continue;
    ctx.fpTargets.push({ kind: 'profile', name: p.name });
    const users = stillUsed(p.name);
    const repl = replacedProfile.get(lc(p.name));
    if (users.length) profileBlocked.add(lc(p.name));
    const del = prune && users.length === 0;
    const reason: Reason = { code: 'orphan', ...(repl ? { replacedBy: repl } : {}), ...(users.length ? { usedBy: users } : {}), deleted: del };
    push(ctx, { address: `orphan.profile.${p.name}`, kind: 'instance-profile', name: p.name, target: { profileName: p.name }, action: del ? 'delete' : 'no-op', orphan: true, reason, before: { name: p.name, roles: p.roles } });
    // The role comes out of the profile first, as its own step: the profile and the role wait for it.
    if (del) {
      for (const rn of p.roles) {
        const address = p.roles.length === 1 ? `orphan.profile.${p.name}.role` : `orphan.profile.${p.name}.role.${rn}`;
        push(ctx, { address, kind: 'role-in-profile', name: p.name, target: { profileName: p.name, roleName: rn }, action: 'delete', orphan: true, reason: { code: 'remove-from-profile', role: rn, profile: p.name }, before: { profile: p.name, role: rn } });
      }
    }
  }
  for (const r of ctx.live.roles) {
    if (!isOurs(ctx, r.tags)) continue;
    if (ctx.bundle.roles.some((d) => lc(d.name) === lc(r.name))) continue;
    ctx.fpTargets.push({ kind: 'role', name: r.name });
    const blockedBy = r.instanceProfiles.filter((pn) => profileBlocked.has(lc(pn)) || (ctx.profilesByName.get(lc(pn)) && !profileIsOurs(ctx, ctx.profilesByName.get(lc(pn))!)) || ctx.bundle.instanceProfiles.some((d) => lc(d.name) === lc(pn)));
    const users = r.instanceProfiles.flatMap((pn) => stillUsed(pn));
    const repl = replacedRole.get(lc(r.name));
    const del = prune && users.length === 0 && blockedBy.length === 0;
    const reason: Reason = { code: 'orphan', ...(repl ? { replacedBy: repl } : {}), ...(users.length ? { usedBy: users } : blockedBy.length ? { inProfiles: blockedBy } : {}), deleted: del };
    push(ctx, withBroadening({ address: `orphan.role.${r.name}`, kind: 'role', name: r.name, target: { roleName: r.name }, action: del ? 'delete' : 'no-op', orphan: true, reason, before: fullLive(r), ...(roleDrifted(ctx, r) ? { drift: true } : {}) }, del ? mergeResults([classifyDocuments(canon(r.trust), undefined)]) : undefined));
  }
  for (const p of ctx.live.policies) {
    if (!isOurs(ctx, p.tags) || ctx.claimedPolicies.has(p.arn)) continue;
    ctx.fpTargets.push({ kind: 'policy', name: p.name, arn: p.arn });
    const attachedTo = ctx.live.roles.filter((r) => r.attached.includes(p.arn));
    const deletedRoles = new Set(ctx.changes.filter((c) => c.kind === 'role' && c.action === 'delete').map((c) => lc(c.name)));
    const detachedHere = new Set(ctx.changes.flatMap((c) => (c.kind === 'policy-attachment' && c.action === 'delete' && c.target.policyArn === p.arn ? [lc(c.target.roleName)] : [])));
    const blockers = attachedTo.filter((r) => !deletedRoles.has(lc(r.name)) && !detachedHere.has(lc(r.name))).map((r) => r.name);
    const del = prune && blockers.length === 0;
    const reason: Reason = { code: 'orphan', ...(blockers.length ? { attachedTo: blockers } : {}), deleted: del };
    push(ctx, { address: `orphan.policy.${p.name}`, kind: 'managed-policy', name: p.name, target: { policyArn: p.arn }, action: del ? 'delete' : 'no-op', orphan: true, reason, before: { arn: p.arn, document: canon(p.document) } });
  }
}

// ------------------------------------------------------------------------------------------------

const ORDER: Record<ResourceKind, number> = { 'managed-policy': 0, role: 1, 'inline-policy': 2, 'policy-attachment': 3, 'instance-profile': 4, 'role-in-profile': 5, instances: 6 };

function summarize(changes: Change[]): Plan['summary'] {
  const s = { create: 0, update: 0, replace: 0, delete: 0, noop: 0, orphans: 0, conflicts: 0, broadening: 0 };
  for (const c of changes) {
    if (c.conflict && !c.adopt) s.conflicts++;
    if (c.orphan) s.orphans++;
    if (c.broadening === 'broadening' || c.broadening === 'mixed') s.broadening++;
    if (c.action === 'no-op') s.noop++;
    else s[c.action]++;
  }
  return s;
}

/** Does the plan change anything? (for --detailed-exitcode) */
export function hasChanges(p: Plan): boolean {
  return p.changes.some((c) => c.action !== 'no-op');
}

export function hasBroadening(p: Plan): boolean {
  return p.changes.some((c) => c.action !== 'no-op' && (c.broadening === 'broadening' || c.broadening === 'mixed'));
}

export function conflicts(p: Plan): Change[] {
  return p.changes.filter((c) => c.conflict && !c.adopt);
}

/** The documents whose actions broadening needs expanded. */
function docsForIamData(bundle: Bundle, live: LiveState): PolicyDocument[] {
  const docs: PolicyDocument[] = [];
  for (const r of bundle.roles) docs.push(...r.inline.map((p) => p.document));
  for (const p of bundle.managedPolicies) docs.push(p.document);
  for (const r of live.roles) docs.push(...Object.values(r.inline));
  for (const p of live.policies) docs.push(p.document);
  return docs;
}

/** A non-no-op change with its IAM statement rows (none: unchanged). */
function withStatements(c: Change): Change {
  if (c.action === 'no-op') return c;
  const rows = statementRows(c);
  return rows.length ? { ...c, statements: rows } : c;
}

/** The plan id: a content hash over what the plan depends on and does (no clock). */
export function planId(p: Omit<Plan, 'planId'>): string {
  return sha256Hex(canonicalJson({ formatVersion: p.formatVersion, specHash: p.specHash, bundleHash: p.bundleHash, account: p.account, options: p.options, fingerprints: p.fingerprints, changes: p.changes }));
}

/** Plan a bundle against live state. Deterministic for the same inputs. */
export async function plan(bundle: Bundle, live: LiveState, opts: PlanOptions): Promise<Plan> {
  await prepareIamData(docsForIamData(bundle, live));
  return planSync(bundle, live, opts);
}

/**
 * The synchronous planner; iam-data for the documents involved must be loaded (plan() does it).
 * Without it, wildcards compare as patterns only.
 */
export function planSync(bundle: Bundle, given: LiveState, opts: PlanOptions): Plan {
  // The order AWS lists things in must not matter.
  const by = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  const live: LiveState = {
    ...given,
    roles: given.roles.map((r) => ({ ...r, attached: [...r.attached].sort(), instanceProfiles: [...r.instanceProfiles].sort() })).sort(by((r) => lc(r.name))),
    instanceProfiles: given.instanceProfiles.map((p) => ({ ...p, roles: [...p.roles].sort() })).sort(by((p) => lc(p.name))),
    policies: [...given.policies].sort(by((p) => p.arn)),
    instances: [...given.instances].sort(by((i) => i.instanceId)),
  };
  const ctx: Ctx = {
    bundle,
    live,
    opts,
    keys: managedTagKeys(bundle.prefix),
    changes: [],
    fpTargets: [],
    rolesByName: new Map(live.roles.map((r) => [lc(r.name), r] as const)),
    profilesByName: new Map(live.instanceProfiles.map((p) => [lc(p.name), p] as const)),
    policiesByArn: new Map(live.policies.map((p) => [p.arn, p] as const)),
    counterparts: liveCounterparts(bundle, live),
    claimedProfiles: new Set(),
    claimedPolicies: new Set(),
    notes: [...(live.notes ?? [])],
  };
  if (live.region && live.region !== bundle.region) {
    ctx.notes.push(`the spec's region is ${bundle.region} but ${live.region} was read (--region)`);
  }
  if (bundle.account && live.account && bundle.account !== live.account) {
    ctx.notes.push(`the spec names account ${bundle.account} but the credentials are for ${live.account}`);
  }
  for (const p of bundle.managedPolicies) planPolicy(ctx, p);
  for (const r of bundle.roles) planRole(ctx, r);
  for (const p of bundle.instanceProfiles) planProfile(ctx, p);
  for (const l of bundle.launches) planLaunch(ctx, l);
  planOrphans(ctx);

  const sorted = ctx.changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => {
      const oa = a.c.orphan && a.c.action !== 'no-op' ? 1 : 0;
      const ob = b.c.orphan && b.c.action !== 'no-op' ? 1 : 0;
      return oa - ob || ORDER[a.c.kind] - ORDER[b.c.kind] || a.i - b.i;
    })
    .map((x) => x.c)
    .map(withStatements);
  const changes = withDependencies(sorted, bundle, live);
  const fingerprints = fingerprintsOf(live, ctx.fpTargets, bundle.prefix);
  const partial: Omit<Plan, 'planId'> = {
    formatVersion: PLAN_FORMAT_VERSION,
    specPath: bundle.specPath,
    specHash: bundle.specHash,
    bundleHash: bundle.hash,
    specName: bundle.specName,
    prefix: bundle.prefix,
    region: live.region || bundle.region,
    account: live.account,
    options: { prune: opts.prune, adopt: opts.adopt },
    fingerprints,
    changes,
    summary: summarize(changes),
    ...(ctx.notes.length ? { notes: ctx.notes } : {}),
    read: { mode: live.readMode, calls: live.readCalls },
  };
  return { planId: planId(partial), ...partial };
}
