/**
 * compileSpec: LoadedSpec → Bundle. Pure and deterministic (no clock, no network, no randomness):
 * the same spec gives the same bytes. Every problem in the spec is collected and thrown as one
 * InputError, each at its file:line:col.
 */
import { InputError, formatProblem, type InputProblem } from '../diagnostics.js';
import { canonicalJson, sha256Hex } from '../policy/canonical.js';
import type { LoadedSpec } from '../spec/types.js';
import { CompileContext, type CompileOptions } from './context.js';
import { compileLaunchGroups } from './launch.js';
import { compileRole } from './roles.js';
import { managedTagKeys, type Bundle, type InstanceProfile, type ManagedPolicy, type Role } from './types.js';

export type { CompileOptions } from './context.js';

function byAddress<T extends { address: string }>(a: T, b: T): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

/**
 * The bundle hash: sha256 over every entity in address order — its identity (address, name, path,
 * tags, ...) and the content hashes of its documents (each already sha256 over canonical bytes) —
 * without source positions. It changes exactly when something AWS would see changes, not when the
 * spec is merely reformatted or reordered.
 */
export function bundleHash(b: Omit<Bundle, 'hash'>): string {
  const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
  const content = [
    [b.formatVersion, b.specName, b.prefix, b.region, b.partition, opt(b.account)],
    b.roles.map((r) => [
      r.address,
      r.name,
      r.naming,
      r.path,
      opt(r.description),
      opt(r.maxSessionDuration),
      opt(r.permissionsBoundary),
      r.trust.hash,
      r.inline.map((p) => [p.name, p.hash]),
      r.managed.map((m) => [m.kind, m.arn, opt(m.policyAddress)]),
      r.tags,
      r.needsInstanceProfile,
      r.hash,
    ]),
    b.managedPolicies.map((m) => [m.address, m.roleAddress, m.name, m.path, m.hash, m.tags]),
    b.instanceProfiles.map((p) => [p.address, p.roleAddress, p.name, p.roleName, p.path, p.tags]),
    b.launches.map((l) => [l.address, l.group, l.service, l.roleAddress, l.instanceProfileName, l.count, opt(l.ttlSeconds), opt(l.idleTimeoutSeconds), l.tags, l.userDataSize, l.hash, sha256Hex(canonicalJson(l.runInstances)), sha256Hex(l.userData), ...(l.rootDeviceFromImage ? ['root-device-from-image'] : [])]),
  ];
  return sha256Hex(canonicalJson(content));
}

function sortProblems(problems: InputProblem[]): InputProblem[] {
  const seen = new Set<string>();
  const out: InputProblem[] = [];
  for (const p of problems) {
    const k = formatProblem(p);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out.sort((a, b) => {
    const fa = a.pos?.file ?? '';
    const fb = b.pos?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.col ?? 0) - (b.pos?.col ?? 0);
  });
}

export async function compileSpec(loaded: LoadedSpec, opts: CompileOptions = {}): Promise<Bundle> {
  const ctx = new CompileContext(loaded, opts);
  const spec = loaded.spec;
  const services = spec.services ?? {};
  const usedByInstances = new Set(Object.values(spec.instances ?? {}).map((i) => i.service));

  const roles: Role[] = [];
  const managedPolicies: ManagedPolicy[] = [];
  for (const svcName of Object.keys(services).sort()) {
    const svc = services[svcName]!;
    const r = await compileRole(ctx, svcName, svc, usedByInstances.has(svcName), svc.instanceProfile === true);
    roles.push(r.role);
    managedPolicies.push(...r.managedPolicies);
  }

  // Role names are unique per account: explicit names, or generated names truncated alike.
  const byName = new Map<string, Role>();
  for (const r of roles) {
    const other = byName.get(r.name.toLowerCase());
    if (other) {
      ctx.problem(r.pos, `services ${other.service} and ${r.service} would both be role "${r.name}"`, other.naming === 'explicit' || r.naming === 'explicit' ? 'give each service its own name:' : 'shorten the service names or set name: on one of them');
    } else byName.set(r.name.toLowerCase(), r);
  }

  const policyNames = new Map<string, ManagedPolicy>();
  for (const m of managedPolicies) {
    const key = `${m.path}${m.name}`.toLowerCase();
    const other = policyNames.get(key);
    if (other) ctx.problem(m.pos, `customer-managed policies ${other.address} and ${m.address} would share the name "${m.name}"`, 'shorten the service names');
    else policyNames.set(key, m);
  }

  // A profile carries its role's tags but not the role's content hash: a permissions edit of a role
  // (its {prefix}:hash tag) writes nothing to the profile that holds it.
  const hashKey = managedTagKeys(ctx.prefix).hash;
  const instanceProfiles: InstanceProfile[] = roles
    .filter((r) => r.needsInstanceProfile)
    .map((r) => ({
      address: `profile.${r.service}`,
      roleAddress: r.address,
      name: r.name,
      roleName: r.name,
      path: r.path,
      tags: Object.fromEntries(Object.entries(r.tags).filter(([k]) => k !== hashKey)),
      pos: r.pos,
    }));

  const roleMap = new Map(roles.map((r) => [r.service, r] as const));
  const launch = compileLaunchGroups(loaded, roleMap);
  ctx.problems.push(...launch.problems);
  if (ctx.problems.length) throw new InputError(sortProblems(ctx.problems));

  const partial: Omit<Bundle, 'hash'> = {
    formatVersion: 1,
    specName: spec.name,
    specPath: loaded.displayPath,
    specHash: loaded.sourceHash,
    prefix: ctx.prefix,
    region: ctx.region,
    partition: ctx.partition,
    ...(ctx.account !== undefined ? { account: ctx.account } : {}),
    roles: roles.sort(byAddress),
    managedPolicies: managedPolicies.sort(byAddress),
    instanceProfiles: instanceProfiles.sort(byAddress),
    launches: [...launch.launches].sort(byAddress),
  };
  return { ...partial, hash: bundleHash(partial) };
}
