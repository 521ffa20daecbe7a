/**
 * One role per service: trust document, inline document (with overflow into customer-managed
 * policies), attached managed ARNs, boundary, path, session duration, tags and a name: the spec's
 * `name`, else a stable `{prefix}-{spec}-{service}` (updated in place across edits), or with
 * `naming: content` a content-addressed `{prefix}-{service}-{hash8}` (src/compiler/names.ts). The
 * content hash is the `{prefix}:hash` tag either way. Each service is its own role address; instance
 * groups that name the same service (a job array) share that role. Two services never share a
 * generated name: the service name is part of it.
 */
import { policyArnProblem } from '../policy/arn.js';
import { asList, canonicalJson, sha256Hex } from '../policy/canonical.js';
import type { ServiceSpec } from '../spec/types.js';
import type { CompileContext } from './context.js';
import { compileDocument } from './documents.js';
import { hashedName, POLICY_NAME_MAX, ROLE_NAME_MAX, stableName } from './names.js';
import { INLINE_AGGREGATE_LIMIT, MANAGED_POLICY_LIMIT, splitOverflow } from './overflow.js';
import { resolveArns, serviceStatements, type SourcedStatement } from './permissions.js';
import { entityTags } from './tags.js';
import { trustStatements } from './trust.js';
import type { CompiledDocument, InlinePolicy, ManagedPolicy, ManagedPolicyAttachment, Role, RoleNaming } from './types.js';

/** Trust policies can never exceed this (the raised quota); the default 2,048 is the linter's call. */
export const TRUST_POLICY_HARD_LIMIT = 4_096;

/**
 * What a role's content hash covers (the {prefix}:hash tag, and a content-addressed name): the trust document hash, inline
 * policies [name, hash] sorted by name, attachments sorted by ARN (an AWS/pre-existing ARN as is, a
 * charter customer policy as `customer:<document hash>`), boundary, path, session duration.
 * Tags and description are not content: they update in place. src/apply/plan.ts recomputes this
 * from live state to detect drift, so the shape is a contract: use this function.
 */
export interface RoleHashInput {
  path: string;
  maxSessionDuration: number | null;
  permissionsBoundary: string | null;
  trust: string;
  inline: Array<[string, string]>;
  managed: string[];
}

export function roleContentHash(i: RoleHashInput): string {
  return sha256Hex(canonicalJson({ path: i.path, maxSessionDuration: i.maxSessionDuration, permissionsBoundary: i.permissionsBoundary, trust: i.trust, inline: i.inline, managed: i.managed }));
}

export interface CompiledRole {
  role: Role;
  managedPolicies: ManagedPolicy[];
}

function withOrigins(doc: CompiledDocument): SourcedStatement[] {
  return doc.document.Statement.map((statement, i) => ({ statement, origin: doc.origins[i] ?? { pos: [], from: [] } }));
}

export async function compileRole(ctx: CompileContext, svcName: string, svc: ServiceSpec, usedByInstances: boolean, wantsProfile = false): Promise<CompiledRole> {
  const svcPath = ['services', svcName];
  const pos = ctx.keyPos(...svcPath);

  // Trust
  let trustNames = svc.trust ?? [];
  if (trustNames.length === 0) {
    if (usedByInstances || wantsProfile) trustNames = ['ec2'];
    else ctx.problem(pos, `service ${svcName} has no trust: nothing could assume its role`, 'add trust: [ec2] (or lambda, ecs-tasks, a named trust, ...)');
  }
  const trust = compileDocument(trustStatements(ctx, svcName, trustNames));
  if ((usedByInstances || wantsProfile) && trustNames.length) {
    const ec2 = trust.document.Statement.some((st) => st.Principal !== undefined && st.Principal !== '*' && asList(st.Principal['Service']).some((p) => p.startsWith('ec2.amazonaws.com')));
    if (!ec2) {
      ctx.problem(ctx.pos(...svcPath, 'trust'), `service ${svcName} gets an instance profile${usedByInstances ? ' (instances use it)' : ''} but its trust does not include ec2: instances could not assume the role`, 'add ec2 to its trust');
    }
  }
  if (trust.size > TRUST_POLICY_HARD_LIMIT) {
    ctx.problem(ctx.pos(...svcPath, 'trust'), `trust policy of ${svcName} is ${trust.size} characters; IAM's maximum is ${TRUST_POLICY_HARD_LIMIT}`, 'split the trusted principals across roles');
  }

  // Permissions
  const stmts = await serviceStatements(ctx, svcName, svc);
  const inlineDoc = stmts.length ? compileDocument(stmts) : undefined;

  // Attached managed ARNs (AWS managed or pre-existing customer policies)
  const managedArns = resolveArns(ctx, svc.managed ?? [], (i) => ctx.pos(...svcPath, 'managed', i));
  const attachments: ManagedPolicyAttachment[] = [];
  const seenArns = new Set<string>();
  managedArns.forEach((arn, i) => {
    const apos = ctx.pos(...svcPath, 'managed', Math.min(i, (svc.managed?.length ?? 1) - 1));
    const bad = policyArnProblem(arn);
    if (bad) {
      // An unresolved {placeholder} is reported where it is resolved.
      if (bad.part !== 'placeholder') ctx.problem(apos, `managed policy ARN "${arn}" ${bad.message}`, bad.hint);
      return;
    }
    if (seenArns.has(arn)) return;
    seenArns.add(arn);
    attachments.push({ kind: 'aws', arn, pos: apos });
  });

  const [boundary] = svc.permissionsBoundary !== undefined ? resolveArns(ctx, [svc.permissionsBoundary], () => ctx.pos(...svcPath, 'permissionsBoundary')) : [];
  const boundaryProblem = boundary !== undefined ? policyArnProblem(boundary) : undefined;
  if (boundaryProblem && boundaryProblem.part !== 'placeholder') ctx.problem(ctx.pos(...svcPath, 'permissionsBoundary'), `permissions boundary "${boundary}" ${boundaryProblem.message}`, boundaryProblem.hint);
  const path = svc.path ?? '/';

  // Overflow: inline → customer-managed policies
  const slots = ctx.maxManagedPolicies - attachments.length;
  if (slots < 0) ctx.problem(ctx.pos(...svcPath, 'managed'), `${attachments.length} managed policies attached; the quota per role is ${ctx.maxManagedPolicies}`, 'raise lint.maxManagedPolicies if your account quota is higher');
  let inline: InlinePolicy[] = [];
  const customerDocs: CompiledDocument[] = [];
  if (inlineDoc) {
    const split = splitOverflow(withOrigins(inlineDoc), Math.max(0, slots));
    if ('kind' in split) {
      if (split.kind === 'statement-too-large') {
        ctx.problem(split.origin.pos[0] ?? pos, `a statement of ${svcName} is ${split.size} characters and cannot be split to fit a managed policy (${MANAGED_POLICY_LIMIT})`, 'shorten its NotAction or Condition lists');
      } else {
        ctx.problem(
          pos,
          `permissions of ${svcName} are ${split.inlineSize} characters: over the ${INLINE_AGGREGATE_LIMIT} inline limit, and the rest needs ${split.needed} customer-managed policies (sizes ${split.sizes.join(', ')}; max ${MANAGED_POLICY_LIMIT} each) but only ${split.available} of ${ctx.maxManagedPolicies} managed-policy slots are free`,
          'use wildcards or scope by resource, split the service, or raise lint.maxManagedPolicies if your account quota allows',
        );
      }
    } else {
      const doc = split.managed.length ? compileDocument(split.inline) : inlineDoc;
      if (split.inline.length) inline = [{ name: `${ctx.prefix}-inline-policy`.slice(0, POLICY_NAME_MAX), ...doc }];
      for (const m of split.managed) customerDocs.push(compileDocument(m));
    }
  }

  // A role with problems is still built (best effort) so later steps (launch groups) can report
  // their own problems without cascading ones; compileSpec throws before anything is returned.
  const address = `role.${svcName}`;
  const naming: RoleNaming = svc.name !== undefined ? 'explicit' : (svc.naming ?? ctx.loaded.spec.naming ?? 'stable');
  // Overflow policies are content-addressed either way (a new document is a new policy, attached
  // before the old one is detached); outside `naming: content` the spec name keeps two specs apart.
  const policyMiddle = naming === 'content' ? svcName : `${ctx.loaded.spec.name}-${svcName}`;
  const managedPolicies: ManagedPolicy[] = customerDocs.map((d, i) => {
    const name = hashedName(ctx.prefix, policyMiddle, d.hash, POLICY_NAME_MAX);
    return {
      address: `policy.${svcName}.${i + 1}`,
      roleAddress: address,
      name,
      path,
      tags: {},
      pos,
      ...d,
    };
  });
  for (const m of managedPolicies) {
    attachments.push({ kind: 'customer', arn: `arn:${ctx.partition}:iam::${ctx.account ?? '{accountId}'}:policy${path}${m.name}`, policyAddress: m.address, pos });
  }
  attachments.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));

  const hash = roleContentHash({
    path,
    maxSessionDuration: svc.maxSessionDuration ?? null,
    permissionsBoundary: boundary ?? null,
    trust: trust.hash,
    inline: inline.map((p) => [p.name, p.hash] as [string, string]),
    managed: attachments.map((a) => (a.kind === 'aws' ? a.arn : `customer:${managedPolicies.find((m) => m.address === a.policyAddress)?.hash ?? ''}`)),
  });
  const name = svc.name ?? (naming === 'content' ? hashedName(ctx.prefix, svcName, hash, ROLE_NAME_MAX) : stableName(ctx.prefix, ctx.loaded.spec.name, svcName, ROLE_NAME_MAX));

  const spec = ctx.loaded.spec;
  const tagLayers = [
    { tags: spec.tags, path: ['tags'] },
    { tags: svc.tags, path: [...svcPath, 'tags'] },
  ];
  const tags = entityTags(ctx, tagLayers, { hash, service: svcName }, pos, `role ${name}`);
  for (const m of managedPolicies) m.tags = entityTags(ctx, tagLayers, { hash: m.hash, service: svcName }, pos, `policy ${m.name}`);

  const role: Role = {
    address,
    service: svcName,
    name,
    naming,
    path,
    ...(svc.description !== undefined ? { description: svc.description } : {}),
    ...(svc.maxSessionDuration !== undefined ? { maxSessionDuration: svc.maxSessionDuration } : {}),
    ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
    trust,
    inline,
    managed: attachments,
    tags,
    hash,
    needsInstanceProfile: usedByInstances || wantsProfile,
    pos,
  };
  return { role, managedPolicies };
}
