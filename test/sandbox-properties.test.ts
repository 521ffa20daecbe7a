/**
 * Model-based properties over random IAM operation sequences, driven through the real SDK over HTTP:
 * every call's outcome (success or error code) matches a small model of IAM, a profile never holds
 * more than one role, DeleteRole never succeeds while attachments remain, and the pages of
 * GetAccountAuthorizationDetails concatenate to exactly ListRoles' set.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand, DeleteInstanceProfileCommand,
  DeleteRoleCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, ListAttachedRolePoliciesCommand, ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand, ListRolePoliciesCommand, PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand, paginateGetAccountAuthorizationDetails, paginateListRoles,
} from '@aws-sdk/client-iam';
import { harness, policyDoc, trustDoc, type Harness } from './sandbox-helpers.js';

const ROLES = ['ra', 'rb', 'rc'];
const PROFILES = ['pa', 'pb'];
const INLINE = ['x', 'y'];
const MANAGED = ['arn:aws:iam::aws:policy/M1', 'arn:aws:iam::aws:policy/M2'];

type Op =
  | { op: 'CreateRole' | 'DeleteRole'; role: string }
  | { op: 'PutRolePolicy' | 'DeleteRolePolicy'; role: string; name: string }
  | { op: 'AttachRolePolicy' | 'DetachRolePolicy'; role: string; arn: string }
  | { op: 'CreateInstanceProfile' | 'DeleteInstanceProfile'; profile: string }
  | { op: 'AddRoleToInstanceProfile' | 'RemoveRoleFromInstanceProfile'; profile: string; role: string };

const role = fc.constantFrom(...ROLES);
const profile = fc.constantFrom(...PROFILES);
// Weighted towards creating things, so sequences reach the interesting states (full profiles, roles with attachments).
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('CreateRole' as const), role }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('DeleteRole' as const), role }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('PutRolePolicy' as const, 'DeleteRolePolicy' as const), role, name: fc.constantFrom(...INLINE) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('AttachRolePolicy' as const, 'DetachRolePolicy' as const), role, arn: fc.constantFrom(...MANAGED) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('CreateInstanceProfile' as const), profile }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('DeleteInstanceProfile' as const), profile }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('AddRoleToInstanceProfile' as const), profile, role }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('RemoveRoleFromInstanceProfile' as const), profile, role }) },
);

interface Model {
  roles: Map<string, { inline: Set<string>; attached: Set<string> }>;
  profiles: Map<string, string | undefined>;
}

/** The outcome IAM gives: 'ok' or the error code. Applies the op to the model when it succeeds. */
function expected(m: Model, o: Op): string {
  switch (o.op) {
    case 'CreateRole':
      if (m.roles.has(o.role)) return 'EntityAlreadyExistsException';
      m.roles.set(o.role, { inline: new Set(), attached: new Set() });
      return 'ok';
    case 'DeleteRole': {
      const r = m.roles.get(o.role);
      if (!r) return 'NoSuchEntityException';
      if (r.inline.size || r.attached.size || [...m.profiles.values()].includes(o.role)) return 'DeleteConflictException';
      m.roles.delete(o.role);
      return 'ok';
    }
    case 'PutRolePolicy': {
      const r = m.roles.get(o.role);
      if (!r) return 'NoSuchEntityException';
      r.inline.add(o.name);
      return 'ok';
    }
    case 'DeleteRolePolicy': {
      const r = m.roles.get(o.role);
      if (!r || !r.inline.has(o.name)) return 'NoSuchEntityException';
      r.inline.delete(o.name);
      return 'ok';
    }
    case 'AttachRolePolicy': {
      const r = m.roles.get(o.role);
      if (!r) return 'NoSuchEntityException';
      r.attached.add(o.arn);
      return 'ok';
    }
    case 'DetachRolePolicy': {
      const r = m.roles.get(o.role);
      if (!r || !r.attached.has(o.arn)) return 'NoSuchEntityException';
      r.attached.delete(o.arn);
      return 'ok';
    }
    case 'CreateInstanceProfile':
      if (m.profiles.has(o.profile)) return 'EntityAlreadyExistsException';
      m.profiles.set(o.profile, undefined);
      return 'ok';
    case 'DeleteInstanceProfile':
      if (!m.profiles.has(o.profile)) return 'NoSuchEntityException';
      if (m.profiles.get(o.profile) !== undefined) return 'DeleteConflictException';
      m.profiles.delete(o.profile);
      return 'ok';
    case 'AddRoleToInstanceProfile': {
      if (!m.profiles.has(o.profile) || !m.roles.has(o.role)) return 'NoSuchEntityException';
      const cur = m.profiles.get(o.profile);
      if (cur === o.role) return 'EntityAlreadyExistsException';
      if (cur !== undefined) return 'LimitExceededException';
      m.profiles.set(o.profile, o.role);
      return 'ok';
    }
    case 'RemoveRoleFromInstanceProfile':
      if (!m.profiles.has(o.profile) || !m.roles.has(o.role) || m.profiles.get(o.profile) !== o.role) return 'NoSuchEntityException';
      m.profiles.set(o.profile, undefined);
      return 'ok';
  }
}

async function execute(h: Harness, o: Op): Promise<string> {
  const { iam } = h;
  try {
    switch (o.op) {
      case 'CreateRole': await iam.send(new CreateRoleCommand({ RoleName: o.role, AssumeRolePolicyDocument: trustDoc() })); break;
      case 'DeleteRole': await iam.send(new DeleteRoleCommand({ RoleName: o.role })); break;
      case 'PutRolePolicy': await iam.send(new PutRolePolicyCommand({ RoleName: o.role, PolicyName: o.name, PolicyDocument: policyDoc() })); break;
      case 'DeleteRolePolicy': await iam.send(new DeleteRolePolicyCommand({ RoleName: o.role, PolicyName: o.name })); break;
      case 'AttachRolePolicy': await iam.send(new AttachRolePolicyCommand({ RoleName: o.role, PolicyArn: o.arn })); break;
      case 'DetachRolePolicy': await iam.send(new DetachRolePolicyCommand({ RoleName: o.role, PolicyArn: o.arn })); break;
      case 'CreateInstanceProfile': await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: o.profile })); break;
      case 'DeleteInstanceProfile': await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: o.profile })); break;
      case 'AddRoleToInstanceProfile': await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: o.profile, RoleName: o.role })); break;
      case 'RemoveRoleFromInstanceProfile': await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: o.profile, RoleName: o.role })); break;
    }
    return 'ok';
  } catch (e) {
    return (e as Error).name;
  }
}

/** Inline policies + attached policies + instance profiles of a role, as the API reports them (0 when it does not exist). */
async function attachmentsOf(h: Harness, role: string): Promise<number> {
  try {
    const inline = await h.iam.send(new ListRolePoliciesCommand({ RoleName: role }));
    const attached = await h.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }));
    const profiles = await h.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: role }));
    return (inline.PolicyNames?.length ?? 0) + (attached.AttachedPolicies?.length ?? 0) + (profiles.InstanceProfiles?.length ?? 0);
  } catch {
    return 0;
  }
}

let h: Harness;
beforeAll(async () => {
  h = await harness({ seed: 3 }, 1);
});
afterAll(async () => {
  await h.sb.stop();
});

it('random IAM operation sequences keep the invariants and match the model', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 50, size: 'max' }), fc.integer({ min: 1, max: 6 }), async (ops, pageSize) => {
      h.sb.reset();
      const model: Model = { roles: new Map(), profiles: new Map() };
      for (const o of ops) {
        // Independently of the model: what the API itself says is attached before a DeleteRole.
        const attachments = o.op === 'DeleteRole' ? await attachmentsOf(h, o.role) : 0;
        const want = expected(model, o);
        const got = await execute(h, o);
        expect({ op: o, got }).toEqual({ op: o, got: want });
        if (o.op === 'DeleteRole' && got === 'ok') expect(attachments).toBe(0);
        if (o.op === 'DeleteRole' && attachments > 0) expect(got).toBe('DeleteConflictException');
      }
      const profiles = await h.iam.send(new ListInstanceProfilesCommand({}));
      for (const p of profiles.InstanceProfiles ?? []) expect((p.Roles ?? []).length).toBeLessThanOrEqual(1);
      const listed: string[] = [];
      for await (const page of paginateListRoles({ client: h.iam, pageSize }, {})) listed.push(...(page.Roles ?? []).map((r) => r.RoleName!));
      const fromGaad: string[] = [];
      for await (const page of paginateGetAccountAuthorizationDetails({ client: h.iam, pageSize }, {})) {
        fromGaad.push(...(page.RoleDetailList ?? []).map((r) => r.RoleName!));
        for (const r of page.RoleDetailList ?? []) {
          const m = model.roles.get(r.RoleName!)!;
          expect(new Set((r.RolePolicyList ?? []).map((p) => p.PolicyName))).toEqual(m.inline);
          expect(new Set((r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn))).toEqual(m.attached);
        }
      }
      expect(fromGaad).toEqual(listed);
      expect(new Set(listed)).toEqual(new Set(model.roles.keys()));
    }),
    { numRuns: 50, seed: 20261122 },
  );
});

const ACCEPTABLE = new Set(['ValidationError', 'InvalidInputException', 'LimitExceededException', 'EntityAlreadyExistsException', 'MalformedPolicyDocumentException']);

it('arbitrary names, descriptions and tags: either AWS-style validation errors or an exact round trip', async () => {
  const text = (max: number) => fc.oneof(fc.string({ maxLength: max }), fc.string({ unit: 'binary', maxLength: max }), fc.stringMatching(/^[\w+=,.@-]{1,70}$/));
  await fc.assert(
    fc.asyncProperty(text(70), fc.option(text(40)), fc.array(fc.record({ Key: text(20), Value: text(20) }), { maxLength: 4 }), async (name, description, tags) => {
      h.sb.reset();
      let created = false;
      try {
        await h.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustDoc(), ...(description !== null ? { Description: description } : {}), Tags: tags }));
        created = true;
      } catch (e) {
        expect(ACCEPTABLE).toContain((e as Error).name);
      }
      if (!created) return;
      const { GetRoleCommand } = await import('@aws-sdk/client-iam');
      const got = (await h.iam.send(new GetRoleCommand({ RoleName: name }))).Role!;
      expect(got.RoleName).toBe(name);
      expect(got.Description).toBe(description === null || description === '' ? undefined : description);
      expect(got.Tags ?? []).toEqual(tags);
    }),
    { numRuns: 150, seed: 7 },
  );
});

it('parallel writes are each atomic: duplicates lose exactly once, state and stats agree', async () => {
  h.sb.reset();
  const names = Array.from({ length: 60 }, (_, i) => `par-${i % 40}`);
  const results = await Promise.all(
    names.map((n) => h.iam.send(new CreateRoleCommand({ RoleName: n, AssumeRolePolicyDocument: trustDoc() })).then(() => 'ok', (e: Error) => e.name)),
  );
  expect(results.filter((r) => r === 'ok')).toHaveLength(40);
  expect(results.filter((r) => r === 'EntityAlreadyExistsException')).toHaveLength(20);
  const listed: string[] = [];
  for await (const page of paginateListRoles({ client: h.iam, pageSize: 7 }, {})) listed.push(...(page.Roles ?? []).map((r) => r.RoleName!));
  expect(new Set(listed).size).toBe(40);
  expect(h.sb.stats().actions['iam:CreateRole']).toBe(60);
});

it('a restart from the state file restores exactly the same world', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { GetAccountAuthorizationDetailsCommand } = await import('@aws-sdk/client-iam');
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30, size: 'max' }), async (ops) => {
      const file = join(mkdtempSync(join(tmpdir(), 'charter-restart-')), 'state.json');
      const a = await harness({ stateFile: file, seed: 5 }, 1);
      const model: Model = { roles: new Map(), profiles: new Map() };
      try {
        for (const o of ops) {
          expected(model, o);
          await execute(a, o);
        }
      } finally {
        await a.sb.stop();
      }
      const before = await (async () => {
        const b = await harness({ stateFile: file, seed: 5 }, 1);
        try {
          const state = await (await fetch(`${b.sb.endpoint}/_sandbox/state`)).text();
          const gaad = await b.iam.send(new GetAccountAuthorizationDetailsCommand({}));
          return { state, roles: gaad.RoleDetailList };
        } finally {
          await b.sb.stop();
        }
      })();
      const c = await harness({ stateFile: file, seed: 5 }, 1);
      try {
        expect(await (await fetch(`${c.sb.endpoint}/_sandbox/state`)).text()).toBe(before.state);
        expect((await c.iam.send(new GetAccountAuthorizationDetailsCommand({}))).RoleDetailList).toEqual(before.roles);
        expect(new Set(before.roles?.map((r) => r.RoleName))).toEqual(new Set(model.roles.keys()));
      } finally {
        await c.sb.stop();
      }
    }),
    { numRuns: 10, seed: 99 },
  );
});
