import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreatePolicyCommand, CreatePolicyVersionCommand,
  CreateRoleCommand, DeleteInstanceProfileCommand, DeletePolicyCommand, DeletePolicyVersionCommand, DeleteRoleCommand, DeleteRolePolicyCommand,
  DetachRolePolicyCommand, GetAccountAuthorizationDetailsCommand, GetAccountSummaryCommand, GetInstanceProfileCommand, GetPolicyCommand,
  GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListInstanceProfilesForRoleCommand,
  ListInstanceProfilesCommand, ListInstanceProfileTagsCommand, TagInstanceProfileCommand, UntagInstanceProfileCommand,
  ListPoliciesCommand, ListPolicyVersionsCommand, ListRolePoliciesCommand, ListRoleTagsCommand, PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand, TagRoleCommand, UntagRoleCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand,
  paginateGetAccountAuthorizationDetails, paginateListRoles, waitUntilInstanceProfileExists, type RoleDetail,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsError, harness, policyDoc, trustDoc, type Harness } from './sandbox-helpers.js';
import { SUITE_TIMEOUT_MS } from './suite-clock.js';
import { EXAMPLE_ACCOUNTS } from '../src/sandbox/context.js';

let h: Harness;
beforeAll(async () => {
  // maxAttempts 1: the SDK classifies IAM's LimitExceeded as throttling and would retry it (as against real AWS).
  h = await harness({ accountId: '210987654321', knownAccounts: EXAMPLE_ACCOUNTS }, 1);
});
afterAll(async () => {
  await h.sb.stop();
});

describe('sandbox IAM roles', () => {
  it('creates a role with tags and returns documents URL-encoded, as AWS does', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, null, 2);
    const out = await h.iam.send(new CreateRoleCommand({ RoleName: 'web', Path: '/app/', AssumeRolePolicyDocument: trust, Description: 'd', Tags: [{ Key: 'team', Value: 'x' }] }));
    expect(out.Role?.Arn).toBe('arn:aws:iam::210987654321:role/app/web');
    expect(out.Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(out.Role?.CreateDate).toBeInstanceOf(Date);
    const got = await h.iam.send(new GetRoleCommand({ RoleName: 'web' }));
    expect(got.Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(trust));
    expect(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!)).toBe(trust);
    expect(got.Role?.Tags).toEqual([{ Key: 'team', Value: 'x' }]);
    expect(got.Role?.Description).toBe('d');
  });

  it('answers with the real error codes and HTTP statuses', async () => {
    const dup = await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'WEB', AssumeRolePolicyDocument: trustDoc() })));
    expect(dup).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });
    expect(await awsError(h.iam.send(new GetRoleCommand({ RoleName: 'nope' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'The role with name nope cannot be found.' });
    const long = await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: trustDoc() })));
    expect(long.status).toBe(400);
    expect(long.message).toContain('Member must have length less than or equal to 64');
    const badName = await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'a b', AssumeRolePolicyDocument: trustDoc() })));
    expect(badName.message).toContain('regular expression pattern');
    const json = await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'x1', AssumeRolePolicyDocument: '{"Version":' })));
    expect(json).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
    const badPath = await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'x1', Path: 'nope', AssumeRolePolicyDocument: trustDoc() })));
    expect(badPath.message).toContain("at 'path'");
  });

  it('rejects trust principals that do not exist, accepts known ones', async () => {
    const bad = await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'x2', AssumeRolePolicyDocument: trustDoc({ AWS: 'arn:aws:iam::999988887777:root' }) })));
    expect(bad).toMatchObject({ name: 'MalformedPolicyDocumentException', message: 'Invalid principal in policy: "AWS":"arn:aws:iam::999988887777:root"' });
    const ghostRole = await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'x2', AssumeRolePolicyDocument: trustDoc({ AWS: 'arn:aws:iam::210987654321:role/ghost' }) })));
    expect(ghostRole.message).toContain('Invalid principal in policy');
    const svc = await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'x2', AssumeRolePolicyDocument: trustDoc({ Service: 'not-a-service' }) })));
    expect(svc.message).toBe('Invalid principal in policy: "SERVICE":"not-a-service"');
    const wrongPath = await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'x2', AssumeRolePolicyDocument: trustDoc({ AWS: 'arn:aws:iam::210987654321:role/web' }) })));
    expect(wrongPath.message).toContain('Invalid principal in policy');
    await h.iam.send(new CreateRoleCommand({ RoleName: 'x2', AssumeRolePolicyDocument: trustDoc({ AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::210987654321:role/app/web'] }) }));
    await h.iam.send(new DeleteRoleCommand({ RoleName: 'x2' }));
  });

  it('counts the trust policy quota without whitespace', async () => {
    const big = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'S'.repeat(n), Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const base = big(0).length;
    const fits = big(2048 - base);
    expect(fits.length).toBe(2048);
    const spaced = fits.replace(/,/g, ',    \n');
    await h.iam.send(new CreateRoleCommand({ RoleName: 'trust-fits', AssumeRolePolicyDocument: spaced }));
    const over = await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'trust-over', AssumeRolePolicyDocument: big(2049 - base) })));
    expect(over).toMatchObject({ name: 'LimitExceededException', status: 409, message: 'Cannot exceed quota for ACLSizePerRole: 2048' });
    await h.iam.send(new DeleteRoleCommand({ RoleName: 'trust-fits' }));
  });

  it('updates trust, description, session duration, tags', async () => {
    await h.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'web', PolicyDocument: trustDoc({ Service: 'lambda.amazonaws.com' }) }));
    await h.iam.send(new UpdateRoleCommand({ RoleName: 'web', Description: 'new', MaxSessionDuration: 7200 }));
    await h.iam.send(new TagRoleCommand({ RoleName: 'web', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'y' }] }));
    await h.iam.send(new UntagRoleCommand({ RoleName: 'web', TagKeys: ['env'] }));
    const r = (await h.iam.send(new GetRoleCommand({ RoleName: 'web' }))).Role!;
    expect(decodeURIComponent(r.AssumeRolePolicyDocument!)).toContain('lambda.amazonaws.com');
    expect(r.Description).toBe('new');
    expect(r.MaxSessionDuration).toBe(7200);
    expect((await h.iam.send(new ListRoleTagsCommand({ RoleName: 'web' }))).Tags).toEqual([{ Key: 'team', Value: 'y' }]);
    const tooMany = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await awsError(h.iam.send(new TagRoleCommand({ RoleName: 'web', Tags: tooMany })))).toMatchObject({ name: 'LimitExceededException' });
    expect((await awsError(h.iam.send(new UpdateRoleCommand({ RoleName: 'web', MaxSessionDuration: 60 })))).status).toBe(400);
  });
});

describe('sandbox IAM policies', () => {
  it('inline policies: put/get/list/delete, aggregate quota 10,240 per role', async () => {
    const doc = policyDoc(['s3:GetObject', 's3:ListBucket'], 'arn:aws:s3:::b/*');
    await h.iam.send(new PutRolePolicyCommand({ RoleName: 'web', PolicyName: 'p1', PolicyDocument: doc }));
    const got = await h.iam.send(new GetRolePolicyCommand({ RoleName: 'web', PolicyName: 'p1' }));
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(doc);
    expect((await h.iam.send(new ListRolePoliciesCommand({ RoleName: 'web' }))).PolicyNames).toEqual(['p1']);
    const fat = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A'.repeat(n), Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const used = doc.length;
    const room = 10240 - used - fat(0).length;
    await h.iam.send(new PutRolePolicyCommand({ RoleName: 'web', PolicyName: 'p2', PolicyDocument: fat(room) }));
    const over = await awsError(h.iam.send(new PutRolePolicyCommand({ RoleName: 'web', PolicyName: 'p3', PolicyDocument: fat(1) })));
    expect(over).toMatchObject({ name: 'LimitExceededException', message: 'Maximum policy size of 10240 bytes exceeded for role web' });
    await h.iam.send(new DeleteRolePolicyCommand({ RoleName: 'web', PolicyName: 'p2' }));
    const principal = await awsError(h.iam.send(new PutRolePolicyCommand({ RoleName: 'web', PolicyName: 'p4', PolicyDocument: trustDoc() })));
    expect(principal.name).toBe('MalformedPolicyDocumentException');
    const noVendor = await awsError(h.iam.send(new PutRolePolicyCommand({ RoleName: 'web', PolicyName: 'p4', PolicyDocument: policyDoc(['GetObject']) })));
    expect(noVendor.name).toBe('MalformedPolicyDocumentException');
  });

  it('identity policy Sids: alphanumeric or empty, as IAM requires (MalformedPolicyDocument otherwise)', async () => {
    const withSid = (sid: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const refused = 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
    for (const sid of ['read-data', 'Read Data', 'read_data', 'ReadÄ', 'a.b']) {
      expect(await awsError(h.iam.send(new PutRolePolicyCommand({ RoleName: 'web', PolicyName: 'sid', PolicyDocument: withSid(sid) }))), sid).toMatchObject({ name: 'MalformedPolicyDocumentException', message: refused, status: 400 });
      expect(await awsError(h.iam.send(new CreatePolicyCommand({ PolicyName: 'sid', PolicyDocument: withSid(sid) }))), sid).toMatchObject({ name: 'MalformedPolicyDocumentException', message: refused });
    }
    for (const sid of ['ReadData1', '']) await h.iam.send(new PutRolePolicyCommand({ RoleName: 'web', PolicyName: 'sid', PolicyDocument: withSid(sid) }));
    await h.iam.send(new DeleteRolePolicyCommand({ RoleName: 'web', PolicyName: 'sid' }));
  });

  it('managed policies: versions (limit 5), default version, delete rules, Scope=Local', async () => {
    const created = await h.iam.send(new CreatePolicyCommand({ PolicyName: 'mp', Path: '/charter/', PolicyDocument: policyDoc(['ec2:DescribeInstances']) }));
    const arn = created.Policy!.Arn!;
    expect(arn).toBe('arn:aws:iam::210987654321:policy/charter/mp');
    expect(created.Policy).toMatchObject({ DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true });
    for (let i = 2; i <= 5; i++) await h.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyDoc([`ec2:Describe${i}`]), SetAsDefault: i === 5 }));
    const sixth = await awsError(h.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyDoc() })));
    expect(sixth).toMatchObject({ name: 'LimitExceededException', status: 409 });
    expect((await h.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe('v5');
    const v5 = await h.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
    expect(decodeURIComponent(v5.PolicyVersion!.Document!)).toBe(policyDoc(['ec2:Describe5']));
    expect(await awsError(h.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' })))).toMatchObject({ name: 'DeleteConflictException' });
    expect(await awsError(h.iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).toMatchObject({ name: 'DeleteConflictException' });
    for (const v of ['v1', 'v2', 'v3', 'v4']) await h.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
    expect((await h.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions?.map((v) => v.VersionId)).toEqual(['v5']);
    const local = await h.iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies?.map((p) => p.Arn)).toEqual([arn]);
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A'.repeat(6200), Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    expect(await awsError(h.iam.send(new CreatePolicyCommand({ PolicyName: 'big', PolicyDocument: big })))).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for PolicySize: 6144' });
  });

  it('attachments: 10 per role, unknown customer policy, detach, DeleteConflict while attached', async () => {
    const arn = 'arn:aws:iam::210987654321:policy/charter/mp';
    await h.iam.send(new AttachRolePolicyCommand({ RoleName: 'web', PolicyArn: arn }));
    await h.iam.send(new AttachRolePolicyCommand({ RoleName: 'web', PolicyArn: arn }));
    for (let i = 0; i < 9; i++) await h.iam.send(new AttachRolePolicyCommand({ RoleName: 'web', PolicyArn: `arn:aws:iam::aws:policy/Managed${i}` }));
    const eleventh = await awsError(h.iam.send(new AttachRolePolicyCommand({ RoleName: 'web', PolicyArn: 'arn:aws:iam::aws:policy/One' })));
    expect(eleventh).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for PoliciesPerRole: 10' });
    const missing = await awsError(h.iam.send(new AttachRolePolicyCommand({ RoleName: 'web', PolicyArn: 'arn:aws:iam::210987654321:policy/ghost' })));
    expect(missing).toMatchObject({ name: 'NoSuchEntityException' });
    const listed = await h.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'web' }));
    expect(listed.AttachedPolicies).toHaveLength(10);
    expect((await h.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount).toBe(1);
    expect(await awsError(h.iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete a policy attached to entities.' });
    for (let i = 0; i < 9; i++) await h.iam.send(new DetachRolePolicyCommand({ RoleName: 'web', PolicyArn: `arn:aws:iam::aws:policy/Managed${i}` }));
    expect(await awsError(h.iam.send(new DetachRolePolicyCommand({ RoleName: 'web', PolicyArn: 'arn:aws:iam::aws:policy/Managed0' })))).toMatchObject({ name: 'NoSuchEntityException' });
  });
});

describe('sandbox IAM instance profiles and deletes', () => {
  it('one role per profile; waiter; DeleteRole conflicts in AWS order', async () => {
    await h.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-ip', Tags: [{ Key: 'a', Value: 'b' }] }));
    await waitUntilInstanceProfileExists({ client: h.iam, maxWaitTime: 10, minDelay: 1 }, { InstanceProfileName: 'web-ip' });
    await h.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-ip', RoleName: 'web' }));
    await h.iam.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: trustDoc() }));
    const second = await awsError(h.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-ip', RoleName: 'other' })));
    expect(second).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1' });
    const ip = (await h.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web-ip' }))).InstanceProfile!;
    expect(ip.Roles?.map((r) => r.RoleName)).toEqual(['web']);
    expect(ip.Arn).toBe('arn:aws:iam::210987654321:instance-profile/web-ip');
    expect(ip.Tags).toEqual([{ Key: 'a', Value: 'b' }]);
    expect((await h.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'web' }))).InstanceProfiles?.map((p) => p.InstanceProfileName)).toEqual(['web-ip']);

    expect((await awsError(h.iam.send(new DeleteRoleCommand({ RoleName: 'web' })))).message).toBe('Cannot delete entity, must delete policies first.');
    await h.iam.send(new DeleteRolePolicyCommand({ RoleName: 'web', PolicyName: 'p1' }));
    expect((await awsError(h.iam.send(new DeleteRoleCommand({ RoleName: 'web' })))).message).toBe('Cannot delete entity, must detach all policies first.');
    await h.iam.send(new DetachRolePolicyCommand({ RoleName: 'web', PolicyArn: 'arn:aws:iam::210987654321:policy/charter/mp' }));
    const prof = await awsError(h.iam.send(new DeleteRoleCommand({ RoleName: 'web' })));
    expect(prof).toMatchObject({ name: 'DeleteConflictException', status: 409, message: 'Cannot delete entity, must remove roles from instance profile first.' });
    expect((await awsError(h.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web-ip' })))).name).toBe('DeleteConflictException');
    await h.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web-ip', RoleName: 'web' }));
    await h.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web-ip' }));
    await h.iam.send(new DeleteRoleCommand({ RoleName: 'web' }));
    await h.iam.send(new DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::210987654321:policy/charter/mp' }));
    expect((await awsError(h.iam.send(new GetRoleCommand({ RoleName: 'web' })))).name).toBe('NoSuchEntityException');
  });

  it('instance profile tags: Tag/Untag/ListInstanceProfileTags (writes and reads), 50 at most, AWS errors; list calls omit them', async () => {
    await h.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'tag-ip', Tags: [{ Key: 'owner', Value: 'tests' }, { Key: 'charter:old', Value: '1' }] }));
    h.sb.resetStats();
    await h.iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'tag-ip', Tags: [{ Key: 'OWNER', Value: 'platform' }, { Key: 'cost', Value: 'lab' }] }));
    await h.iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'tag-ip', TagKeys: ['Charter:Old', 'not-there'] }));
    const listed = await h.iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'tag-ip' }));
    // Keys are case-insensitive: the new spelling replaces the old one in place.
    expect(listed.Tags).toEqual([{ Key: 'OWNER', Value: 'platform' }, { Key: 'cost', Value: 'lab' }]);
    expect(listed.IsTruncated).toBe(false);
    const page1 = await h.iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'tag-ip', MaxItems: 1 }));
    expect(page1).toMatchObject({ Tags: [{ Key: 'OWNER', Value: 'platform' }], IsTruncated: true });
    const page2 = await h.iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'tag-ip', MaxItems: 1, Marker: page1.Marker }));
    expect(page2).toMatchObject({ Tags: [{ Key: 'cost', Value: 'lab' }], IsTruncated: false });
    expect(h.sb.stats()).toMatchObject({ writes: 2, reads: 3, actions: { 'iam:TagInstanceProfile': 1, 'iam:UntagInstanceProfile': 1, 'iam:ListInstanceProfileTags': 3 } });
    // GetInstanceProfile returns them; ListInstanceProfiles does not (as AWS).
    expect((await h.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'tag-ip' }))).InstanceProfile?.Tags).toEqual(listed.Tags);
    const inList = (await h.iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles?.find((p) => p.InstanceProfileName === 'tag-ip');
    expect(inList?.Tags).toBeUndefined();

    const fill = Array.from({ length: 48 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await h.iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'tag-ip', Tags: fill }));
    const over = await awsError(h.iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'tag-ip', Tags: [{ Key: 'one-more', Value: 'v' }] })));
    expect(over).toMatchObject({ name: 'LimitExceededException', status: 409, message: 'The number of tags has reached the maximum limit.' });
    await h.iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'tag-ip', Tags: [{ Key: 'k0', Value: 'replaced' }] })); // no new key: fits
    expect((await awsError(h.iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'tag-ip', Tags: [{ Key: 'aws:x', Value: 'v' }] })))).name).toBe('InvalidInputException');
    for (const call of [
      h.iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'ghost-ip', Tags: [{ Key: 'a', Value: 'b' }] })),
      h.iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'ghost-ip', TagKeys: ['a'] })),
      h.iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'ghost-ip' })),
    ]) {
      expect(await awsError(call)).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'Instance Profile ghost-ip cannot be found.' });
    }
    await h.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'tag-ip' }));
  });

  it('STS and GetAccountSummary report the account', async () => {
    const id = await h.sts.send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('210987654321');
    const sum = await h.iam.send(new GetAccountSummaryCommand({}));
    expect(sum.SummaryMap?.Roles).toBe(1);
    expect(sum.SummaryMap?.AttachedPoliciesPerRoleQuota).toBe(10);
    expect(sum.SummaryMap?.AssumeRolePolicySizeQuota).toBe(2048);
  });
});

describe('sandbox IAM role fields per API, as the IAM API reference lists them', () => {
  it('GetRole returns every field; ListRoles no Tags, PermissionsBoundary or RoleLastUsed; GetAccountAuthorizationDetails no Description or MaxSessionDuration; UpdateRole and UpdateRoleDescription set them', async () => {
    const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
    await h.iam.send(new CreateRoleCommand({ RoleName: 'fields', AssumeRolePolicyDocument: trustDoc(), Description: 'first', MaxSessionDuration: 7200, PermissionsBoundary: boundary, Tags: [{ Key: 'k', Value: 'v' }] }));
    const got = (await h.iam.send(new GetRoleCommand({ RoleName: 'fields' }))).Role!;
    expect(got).toMatchObject({ Description: 'first', MaxSessionDuration: 7200, PermissionsBoundary: { PermissionsBoundaryArn: boundary }, Tags: [{ Key: 'k', Value: 'v' }], RoleLastUsed: {} });
    const listed = [];
    for await (const page of paginateListRoles({ client: h.iam }, {})) listed.push(...(page.Roles ?? []));
    const l = listed.find((r) => r.RoleName === 'fields')!;
    expect(l).toMatchObject({ Description: 'first', MaxSessionDuration: 7200 });
    expect([l.Tags, l.PermissionsBoundary, l.RoleLastUsed]).toEqual([undefined, undefined, undefined]);
    const details: RoleDetail[] = [];
    for await (const page of paginateGetAccountAuthorizationDetails({ client: h.iam }, { Filter: ['Role'] })) details.push(...(page.RoleDetailList ?? []));
    expect(details.find((r) => r.RoleName === 'fields')).toMatchObject({ PermissionsBoundary: { PermissionsBoundaryArn: boundary }, Tags: [{ Key: 'k', Value: 'v' }] });
    // On the wire (the SDK would drop members RoleDetail does not model): no Description, no MaxSessionDuration.
    const raw = await (await fetch(h.sb.endpoint + '/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Action=GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.1=Role' })).text();
    expect(raw).toContain('<RoleName>fields</RoleName>');
    expect(raw).not.toMatch(/<Description>|<MaxSessionDuration>/);
    // UpdateRole: either field alone; an empty description is cleared (and no longer returned).
    await h.iam.send(new UpdateRoleCommand({ RoleName: 'fields', MaxSessionDuration: 3600 }));
    expect((await h.iam.send(new GetRoleCommand({ RoleName: 'fields' }))).Role).toMatchObject({ Description: 'first', MaxSessionDuration: 3600 });
    await h.iam.send(new UpdateRoleCommand({ RoleName: 'fields', Description: '' }));
    expect((await h.iam.send(new GetRoleCommand({ RoleName: 'fields' }))).Role?.Description).toBeUndefined();
    const { UpdateRoleDescriptionCommand } = await import('@aws-sdk/client-iam');
    const out = await h.iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'fields', Description: 'second' }));
    expect(out.Role).toMatchObject({ RoleName: 'fields', Description: 'second', MaxSessionDuration: 3600 });
    expect(await awsError(h.iam.send(new UpdateRoleCommand({ RoleName: 'fields', MaxSessionDuration: 60 })))).toMatchObject({ name: 'ValidationError' });
    await h.iam.send(new DeleteRoleCommand({ RoleName: 'fields' }));
  });
});

describe('sandbox IAM paging', () => {
  it('paginateListRoles and paginateGetAccountAuthorizationDetails agree; GAAD pages may be short', async () => {
    const { iam, sb } = await harness({ seed: 42 }, 1);
    try {
      for (let i = 0; i < 37; i++) {
        await iam.send(new CreateRoleCommand({ RoleName: `r-${String(i).padStart(2, '0')}`, AssumeRolePolicyDocument: trustDoc(), Tags: [{ Key: 'n', Value: String(i) }] }));
        if (i % 3 === 0) await iam.send(new PutRolePolicyCommand({ RoleName: `r-${String(i).padStart(2, '0')}`, PolicyName: 'inline', PolicyDocument: policyDoc() }));
      }
      await iam.send(new CreatePolicyCommand({ PolicyName: 'local', PolicyDocument: policyDoc() }));
      const listed: string[] = [];
      let listPages = 0;
      for await (const page of paginateListRoles({ client: iam, pageSize: 8 }, {})) {
        listPages++;
        listed.push(...(page.Roles ?? []).map((r) => r.RoleName!));
      }
      expect(listPages).toBe(5);
      expect(listed).toHaveLength(37);
      const details: RoleDetail[] = [];
      const sizes: number[] = [];
      let policies = 0;
      for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 10 }, { Filter: ['Role', 'LocalManagedPolicy'] })) {
        sizes.push((page.RoleDetailList?.length ?? 0) + (page.Policies?.length ?? 0));
        details.push(...(page.RoleDetailList ?? []));
        policies += page.Policies?.length ?? 0;
      }
      expect(details.map((d) => d.RoleName)).toEqual(listed);
      expect(policies).toBe(1);
      expect(sizes.slice(0, -1).some((n) => n < 10)).toBe(true);
      const r00 = details.find((d) => d.RoleName === 'r-00')!;
      expect(r00.RolePolicyList?.[0]?.PolicyName).toBe('inline');
      expect(r00.RolePolicyList?.[0]?.PolicyDocument).toBe(encodeURIComponent(policyDoc()));
      expect(r00.Tags).toEqual([{ Key: 'n', Value: '0' }]);
      const onlyPolicies = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['LocalManagedPolicy'] }));
      expect(onlyPolicies.RoleDetailList).toEqual([]);
      expect(onlyPolicies.Policies?.[0]?.PolicyVersionList?.[0]?.Document).toBe(encodeURIComponent(policyDoc()));
    } finally {
      await sb.stop();
    }
  });
});

describe('sandbox AWS managed policies', () => {
  it('without a catalogue: any well-formed AWS ARN attaches; metadata but no document', async () => {
    const { iam, sb } = await harness({}, 1);
    try {
      await iam.send(new CreateRoleCommand({ RoleName: 'm', AssumeRolePolicyDocument: trustDoc() }));
      const arn = 'arn:aws:iam::aws:policy/service-role/AnythingGoes';
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'm', PolicyArn: arn }));
      const pol = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
      expect(pol).toMatchObject({ PolicyName: 'AnythingGoes', Path: '/service-role/', AttachmentCount: 1, DefaultVersionId: 'v1' });
      expect((await awsError(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })))).name).toBe('NoSuchEntityException');
      const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
      expect(aws.Policies?.map((p) => p.Arn)).toEqual([arn]);
    } finally {
      await sb.stop();
    }
  });

  it('with a catalogue: unknown ARNs are NoSuchEntity; documents served by GetPolicyVersion and GAAD', async () => {
    const doc = policyDoc(['ssm:GetParameter']);
    const { iam, sb } = await harness({ awsManagedPolicies: { AmazonSSMManagedInstanceCore: doc } }, 1);
    try {
      await iam.send(new CreateRoleCommand({ RoleName: 'm', AssumeRolePolicyDocument: trustDoc() }));
      const arn = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'm', PolicyArn: arn }));
      const unknown = await awsError(iam.send(new AttachRolePolicyCommand({ RoleName: 'm', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })));
      expect(unknown).toMatchObject({ name: 'NoSuchEntityException', message: 'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.' });
      const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
      expect(decodeURIComponent(v.PolicyVersion!.Document!)).toBe(doc);
      const gaad = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['AWSManagedPolicy'] }));
      expect(gaad.Policies?.map((p) => [p.Arn, p.AttachmentCount, p.PolicyVersionList?.[0]?.Document])).toEqual([[arn, 1, encodeURIComponent(doc)]]);
    } finally {
      await sb.stop();
    }
  });
});

describe('sandbox permissions boundaries', () => {
  it('must name an existing managed policy', async () => {
    const { iam, sb } = await harness({}, 1);
    try {
      const missing = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'b', AssumeRolePolicyDocument: trustDoc(), PermissionsBoundary: `arn:aws:iam::${sb.accountId}:policy/none` })));
      expect(missing).toMatchObject({ name: 'NoSuchEntityException', message: `Scope ARN: arn:aws:iam::${sb.accountId}:policy/none does not exist or is not attachable.` });
      const pol = await iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: policyDoc() }));
      await iam.send(new CreateRoleCommand({ RoleName: 'b', AssumeRolePolicyDocument: trustDoc(), PermissionsBoundary: pol.Policy!.Arn }));
      expect((await iam.send(new GetRoleCommand({ RoleName: 'b' }))).Role?.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: pol.Policy!.Arn });
      expect((await iam.send(new GetPolicyCommand({ PolicyArn: pol.Policy!.Arn }))).Policy?.PermissionsBoundaryUsageCount).toBe(1);
      expect((await awsError(iam.send(new DeletePolicyCommand({ PolicyArn: pol.Policy!.Arn })))).name).toBe('DeleteConflictException');
    } finally {
      await sb.stop();
    }
  });
});

describe('sandbox account quotas', () => {
  it('1,000 roles per account (state pre-seeded through a state file)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'charter-quota-')), 'state.json');
    const roles: Record<string, unknown> = {};
    for (let i = 0; i < 1000; i++) {
      roles[`q${i}`] = { name: `q${i}`, path: '/', id: `AROA${String(i).padStart(17, '0')}`, createdAt: 0, trust: trustDoc(), maxSessionDuration: 3600, tags: [], inline: [], attached: [] };
    }
    writeFileSync(file, JSON.stringify({ version: 1, counter: 0, roles, policies: {}, profiles: {}, instances: {}, clientTokens: {}, findings: [] }));
    const { iam, sb } = await harness({ stateFile: file }, 1);
    try {
      const over = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'one-too-many', AssumeRolePolicyDocument: trustDoc() })));
      expect(over).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for RolesPerAccount: 1000' });
      expect((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap?.Roles).toBe(1000);
    } finally {
      await sb.stop();
    }
  });
});

describe('sandbox IAM eventual consistency', () => {
  it('iamReadDelayMs hides new entities from reads (not from writes); the waiter rides it out', async () => {
    const { manualClock } = await import('./sandbox-helpers.js');
    const clock = manualClock();
    const { iam, sb } = await harness({ iamReadDelayMs: 3_000, clock: clock.now }, 1);
    try {
      await iam.send(new CreateRoleCommand({ RoleName: 'late', AssumeRolePolicyDocument: trustDoc() }));
      await iam.send(new PutRolePolicyCommand({ RoleName: 'late', PolicyName: 'p', PolicyDocument: policyDoc() }));
      expect((await awsError(iam.send(new GetRoleCommand({ RoleName: 'late' })))).name).toBe('NoSuchEntityException');
      expect((await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }))).RoleDetailList).toEqual([]);
      clock.advance(3_000);
      expect((await iam.send(new GetRoleCommand({ RoleName: 'late' }))).Role?.RoleName).toBe('late');
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'late-ip' }));
      const reads = () => sb.stats().actions['iam:GetInstanceProfile'] ?? 0;
      const before = reads();
      const waiting = waitUntilInstanceProfileExists({ client: iam, maxWaitTime: SUITE_TIMEOUT_MS / 1000, minDelay: 1, maxDelay: 1 }, { InstanceProfileName: 'late-ip' });
      // The delay passes only once the waiter has seen the profile missing (a poll, not a timer race).
      while (reads() === before) await new Promise((r) => setImmediate(r));
      expect((await awsError(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'late-ip' })))).name).toBe('NoSuchEntityException');
      clock.advance(3_000);
      expect((await waiting).state).toBe('SUCCESS');
      expect(reads() - before).toBeGreaterThanOrEqual(3); // a miss, our own miss, then the waiter's hit
    } finally {
      await sb.stop();
    }
  });
});
