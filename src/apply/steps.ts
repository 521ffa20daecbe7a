/**
 * From a plan to executable steps: what each change does (against the recompiled bundle and the
 * live state read at apply time). What a step waits for is what its change's `dependsOn` says: the
 * planner computes the order (src/plan/dependencies.ts), so independent resources proceed in
 * parallel and an instance profile is created as early as possible (its propagation clock starts
 * sooner).
 */
import type { LaunchGroup, Role } from '../compiler/types.js';
import { managedTagKeys } from '../compiler/types.js';
import { RuntimeError } from '../diagnostics.js';
import type { AttachmentChange, Change, InlinePolicyChange, InstancesChange, ResourceKind } from '../plan/types.js';
import type { BundleIndex } from '../plan/bundle-index.js';
import type { ApplyContext } from './context.js';
import {
  addRoleToProfile,
  attachPolicy,
  createManagedPolicy,
  createProfile,
  createRole,
  deleteInlinePolicy,
  deleteManagedPolicy,
  deleteProfile,
  deleteRole,
  detachPolicy,
  policyArn,
  putInlinePolicy,
  reconcileManagedPolicy,
  reconcileProfile,
  reconcileRole,
  removeRoleFromProfile,
  resolveArn,
} from './iam-ops.js';
import { describeInstances, launchOne, retagInstances, terminate, waitRunning } from './launch.js';

export interface StepOutcome {
  detail?: string;
  arn?: string;
  instanceId?: string;
  expiresAt?: string;
  token?: string;
  /** Nothing was written: the resource was already as wanted. */
  reused?: boolean;
  /** Instances whose lifetime tags were updated in place. */
  retagged?: string[];
  /** Instances terminated by this step. */
  terminated?: string[];
}

export interface Step {
  /** Unique id: the change address, or address[index] for one instance of a launch group. */
  id: string;
  change: Change;
  /** Human label, e.g. "create role charter-web-1a2b3c4d". */
  label: string;
  deps: string[];
  index?: number;
  /** The termination step of a change that also launches (it waits for the change's launches). */
  terminatesAfterLaunch?: boolean;
  run(ctx: ApplyContext): Promise<StepOutcome>;
}

export function isDelete(c: Change): boolean {
  return c.action === 'delete';
}

function needBundle<T>(v: T | undefined, c: Change): T {
  if (v === undefined) throw new RuntimeError(`plan entry ${c.address} has no counterpart in the compiled spec: re-plan`);
  return v;
}

/** The role name an inline policy or attachment change acts on: the spec's, else the plan's target. */
function targetRoleName(c: InlinePolicyChange | AttachmentChange, role: Role | undefined): string {
  return role?.name ?? c.target.roleName;
}

/** Build the steps for a plan. No-op changes make no step (and no call). */
export function buildSteps(changes: Change[], idx: BundleIndex): Step[] {
  const steps: Step[] = [];
  const byAddress = new Map<string, Step[]>();
  const add = (s: Step) => {
    steps.push(s);
    const list = byAddress.get(s.change.address) ?? [];
    list.push(s);
    byAddress.set(s.change.address, list);
  };
  const active = changes.filter((c) => c.action !== 'no-op');

  for (const c of active) {
    if (c.conflict && !c.adopt) throw new RuntimeError(`plan has a conflict at ${c.address} (${c.name} exists and is not managed by charter): re-plan with --adopt to take it over`);
    if (c.orphan && c.action !== 'delete') continue;
    if (c.kind === 'instances' && isDelete(c)) {
      add(terminateStep(c));
      continue;
    }
    if (c.kind === 'instances') {
      const g = needBundle(idx.groups.get(c.target.group), c);
      const indexes = c.launch?.indexes ?? [];
      // A launch that replaces older instances completes once its instance runs: the terminations wait for it.
      const untilRunning = (c.launch?.replaces?.length ?? 0) > 0;
      for (const i of indexes) {
        add({ id: `${c.address}[${i}]`, change: c, index: i, label: `launch ${g.group}[${i}]${untilRunning ? ' (until running)' : ''}`, deps: [], run: (ctx) => launchStep(ctx, g, i, untilRunning) });
      }
      if (c.instances?.some((r) => r.fate === 'retag')) add(retagStep(c));
      if (c.terminate?.length) add(terminateStep(c));
      continue;
    }
    add({ id: c.address, change: c, label: label(c, idx), deps: [], run: (ctx) => runChange(ctx, c, idx) });
  }

  // Dependencies: the plan states them (src/plan/dependencies.ts); a change's steps wait for every
  // step of each change it depends on. Within a change, its terminations wait for its launches.
  for (const s of steps) {
    const deps = new Set<string>((s.change.dependsOn ?? []).flatMap((a) => (byAddress.get(a) ?? []).map((o) => o.id)));
    if (s.terminatesAfterLaunch) for (const o of byAddress.get(s.change.address) ?? []) if (o.index !== undefined) deps.add(o.id);
    deps.delete(s.id);
    s.deps = [...deps];
  }
  return steps;
}

function label(c: Change, idx: BundleIndex): string {
  const role = idx.roleOf(c);
  const onRole = role && c.kind !== 'role' ? ` (role ${role.name})` : '';
  return labelOf(c) + onRole;
}

function labelOf(c: Change): string {
  const what: Record<ResourceKind, string> = {
    role: 'role',
    'inline-policy': 'inline policy',
    'managed-policy': 'policy',
    'policy-attachment': 'attach',
    'instance-profile': 'instance profile',
    'role-in-profile': 'role into profile',
    instances: 'instances',
  };
  const verb = c.adopt ? 'adopt' : c.action;
  if (c.kind === 'policy-attachment' && c.action !== 'delete') return `attach ${c.name}`;
  if (c.kind === 'policy-attachment') return `detach ${c.name}`;
  if (c.kind === 'role-in-profile' && c.action === 'delete') return `remove role ${c.target.roleName} from profile ${c.target.profileName}`;
  return `${verb} ${what[c.kind]} ${c.name}`;
}

function terminateStep(c: InstancesChange): Step {
  return {
    id: isDelete(c) ? c.address : `${c.address}[terminate]`,
    change: isDelete(c) ? c : { ...c, action: 'delete' },
    ...(isDelete(c) ? {} : { terminatesAfterLaunch: true }),
    label: `terminate ${c.terminate?.length ?? 0} instance(s) of ${c.name}`,
    deps: [],
    run: async (ctx) => {
      // Re-check each instance right before terminating: only managed, still-running ones.
      const managed = managedTagKeys(ctx.bundle.prefix).managed;
      const live = await describeInstances(ctx, c.terminate ?? []);
      const ids = live.filter((i) => i.tags[managed] === 'true' && i.state !== 'terminated' && i.state !== 'shutting-down').map((i) => i.id);
      if (ids.length) await terminate(ctx, ids);
      return { terminated: ids, detail: ids.length ? ids.join(' ') : 'already gone', ...(ids.length ? {} : { reused: true }) };
    },
  };
}

/** Update the lifetime tags (ttl, idle-timeout, expires-at) of running instances in place, as the plan says. */
function retagStep(c: InstancesChange): Step {
  const rows = (c.instances ?? []).filter((r) => r.fate === 'retag' && r.tags);
  return {
    id: `${c.address}[tags]`,
    change: c,
    label: `update ttl/idle-timeout tags of ${rows.length} instance(s) of ${c.name}`,
    deps: [],
    run: async (ctx) => {
      // Only managed instances that still run, with their volumes (launched with the same tags); the
      // same tag change goes out in one call.
      const managed = managedTagKeys(ctx.bundle.prefix).managed;
      const live = new Map((await describeInstances(ctx, rows.map((r) => r.instanceId))).filter((i) => i.tags[managed] === 'true' && i.state !== 'terminated' && i.state !== 'shutting-down').map((i) => [i.id, i.volumes] as const));
      const batches = new Map<string, { set: Record<string, string>; remove: string[]; ids: string[]; resources: string[] }>();
      for (const r of rows) {
        const volumes = live.get(r.instanceId);
        if (!volumes) continue;
        const key = JSON.stringify(r.tags);
        const b = batches.get(key) ?? { set: r.tags!.set, remove: r.tags!.remove, ids: [], resources: [] };
        b.ids.push(r.instanceId);
        b.resources.push(r.instanceId, ...volumes);
        batches.set(key, b);
      }
      for (const b of batches.values()) await retagInstances(ctx, b.resources, b.set, b.remove);
      const done = [...batches.values()].flatMap((b) => b.ids);
      return { retagged: done, detail: done.length ? done.join(' ') : 'already gone', ...(done.length ? {} : { reused: true }) };
    },
  };
}

async function launchStep(ctx: ApplyContext, g: LaunchGroup, i: number, untilRunning: boolean): Promise<StepOutcome> {
  const r = await launchOne(ctx, g, i);
  if (untilRunning) await waitRunning(ctx, r.instanceId);
  return { instanceId: r.instanceId, token: r.token, ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}), reused: r.reused, detail: r.instanceId };
}

async function runChange(ctx: ApplyContext, c: Change, idx: BundleIndex): Promise<StepOutcome> {
  const adopt = c.adopt === true;
  switch (c.kind) {
    case 'managed-policy': {
      if (isDelete(c)) {
        const arn = resolveArn(ctx, c.target.policyArn);
        const gone = !(await deleteManagedPolicy(ctx, arn));
        return { arn, ...(gone ? { reused: true, detail: 'already gone' } : {}) };
      }
      const p = needBundle(idx.policies.get(c.address), c);
      if (c.action === 'create' || c.action === 'replace') {
        const r = await createManagedPolicy(ctx, p, adopt);
        return { arn: r.arn, reused: !r.created };
      }
      return { arn: await reconcileManagedPolicy(ctx, p, adopt) };
    }
    case 'role': {
      if (isDelete(c)) {
        const gone = !(await deleteRole(ctx, c.target.roleName));
        return gone ? { reused: true, detail: 'already gone' } : {};
      }
      const role = needBundle(idx.roles.get(c.address), c);
      if (c.action === 'replace' && c.previousName && c.previousName.toLowerCase() === role.name.toLowerCase()) {
        // Same name (path change): IAM cannot move a role; delete and recreate, then restore its profile.
        await deleteRole(ctx, c.previousName, { force: adopt });
        const r = await createRole(ctx, role, adopt);
        const prof = [...idx.profiles.values()].find((p) => p.roleAddress === role.address);
        if (prof) await addRoleToProfile(ctx, prof.name, prof.roleName);
        return { arn: r.arn };
      }
      if (c.action === 'create' || c.action === 'replace') {
        const r = await createRole(ctx, role, adopt);
        return { arn: r.arn, reused: !r.created };
      }
      return { arn: await reconcileRole(ctx, role, adopt) };
    }
    case 'inline-policy': {
      const role = idx.roleOf(c);
      if (isDelete(c)) {
        await deleteInlinePolicy(ctx, targetRoleName(c, role), c.name);
        return {};
      }
      const r = needBundle(role, c);
      const pol = needBundle(r.inline.find((p) => p.name === c.name), c);
      await putInlinePolicy(ctx, r.name, pol.name, pol.document);
      return {};
    }
    case 'policy-attachment': {
      const role = idx.roleOf(c);
      const arn = resolveArn(ctx, c.target.policyArn);
      if (isDelete(c)) {
        await detachPolicy(ctx, targetRoleName(c, role), arn);
        return { arn };
      }
      await attachPolicy(ctx, needBundle(role, c).name, arn);
      return { arn };
    }
    case 'instance-profile': {
      if (isDelete(c)) {
        const gone = !(await deleteProfile(ctx, c.target.profileName));
        return gone ? { reused: true, detail: 'already gone' } : {};
      }
      const p = needBundle(idx.profileOf(c), c);
      if (c.action === 'create' || c.action === 'replace') {
        const r = await createProfile(ctx, p, adopt);
        return { arn: r.arn, reused: !r.created };
      }
      return { arn: await reconcileProfile(ctx, p, adopt) };
    }
    case 'role-in-profile': {
      const p = idx.profileOf(c);
      if (isDelete(c)) {
        await removeRoleFromProfile(ctx, p?.name ?? c.target.profileName, c.target.roleName);
        return {};
      }
      const prof = needBundle(p, c);
      // A profile holds one role: take the old one out first (an update), then put ours in.
      const old = c.action === 'update' ? c.before?.role : undefined;
      if (old && old.toLowerCase() !== prof.roleName.toLowerCase()) await removeRoleFromProfile(ctx, prof.name, old);
      await addRoleToProfile(ctx, prof.name, prof.roleName);
      return {};
    }
    case 'instances': {
      throw new RuntimeError(`internal: instances change ${c.address} reached runChange`);
    }
  }
}
