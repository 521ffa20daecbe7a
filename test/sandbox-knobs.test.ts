import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CreateRoleCommand, GetAccountAuthorizationDetailsCommand, GetRoleCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { startSandbox, StateFileError } from '../src/sandbox/index.js';
import { awsError, harness, trustDoc } from './sandbox-helpers.js';
import { SANDBOX_CREDENTIALS } from '../src/aws/clients.js';

describe('sandbox knobs', () => {
  it('deny list answers AccessDenied (403) for the named actions only', async () => {
    const h = await harness({ deny: ['iam:GetAccountAuthorizationDetails', 'ec2:Run*'] }, 1);
    try {
      const e = await awsError(h.iam.send(new GetAccountAuthorizationDetailsCommand({})));
      expect(e.status).toBe(403);
      expect(e.name).toBe('AccessDenied');
      expect(e.message).toContain('not authorized to perform: iam:GetAccountAuthorizationDetails');
      await h.iam.send(new ListRolesCommand({}));
      expect(await awsError(h.ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 })))).toMatchObject({ name: 'UnauthorizedOperation', status: 403 });
      expect(h.sb.stats().actions['iam:GetAccountAuthorizationDetails']).toBe(1);
    } finally {
      await h.sb.stop();
    }
  });

  it('faults are drawn from a seeded RNG: the SDK retries through them and runs reproduce', async () => {
    const run = async () => {
      const h = await harness({ seed: 7, faults: { throttle: 0.2, internalError: 0.1, connectionReset: 0.1 } }, 10, true);
      try {
        for (let i = 0; i < 15; i++) await h.iam.send(new CreateRoleCommand({ RoleName: `f${i}`, AssumeRolePolicyDocument: trustDoc() }));
        await h.ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, ClientToken: 'once' }));
        await h.ec2.send(new DescribeInstancesCommand({}));
        const roles = await h.iam.send(new ListRolesCommand({}));
        expect(roles.Roles).toHaveLength(15);
        return h.sb.stats();
      } finally {
        await h.sb.stop();
      }
    };
    const a = await run();
    const b = await run();
    expect(a.faults).toBeGreaterThan(0);
    expect(a.actions['iam:CreateRole']).toBe(15);
    expect(b).toEqual(a);
  });

  it('faults can be limited to some actions', async () => {
    const h = await harness({ seed: 3, faults: { throttle: 1, actions: ['iam:List*'] } }, 1);
    try {
      await h.iam.send(new CreateRoleCommand({ RoleName: 'ok', AssumeRolePolicyDocument: trustDoc() }));
      expect(await awsError(h.iam.send(new ListRolesCommand({})))).toMatchObject({ name: 'Throttling', status: 400 });
      expect(h.sb.stats()).toMatchObject({ writes: 1, reads: 0, faults: 1 });
    } finally {
      await h.sb.stop();
    }
  });

  it('GET /_sandbox/stats counts reads and writes; POST /_sandbox/reset clears stats (and state)', async () => {
    const h = await harness({}, 1);
    try {
      await h.iam.send(new CreateRoleCommand({ RoleName: 's1', AssumeRolePolicyDocument: trustDoc() }));
      await h.iam.send(new GetRoleCommand({ RoleName: 's1' }));
      await h.iam.send(new ListRolesCommand({}));
      const stats = (await (await fetch(`${h.sb.endpoint}/_sandbox/stats`)).json()) as { reads: number; writes: number; actions: Record<string, number> };
      // accessKeys: the requests per signing key id (the harness signs with the sandbox's dummy keys).
      expect(stats).toEqual({ reads: 2, writes: 1, actions: { 'iam:CreateRole': 1, 'iam:GetRole': 1, 'iam:ListRoles': 1 }, faults: 0, accessKeys: { [SANDBOX_CREDENTIALS.accessKeyId]: 3 } });
      await fetch(`${h.sb.endpoint}/_sandbox/reset`, { method: 'POST', body: JSON.stringify({ statsOnly: true }) });
      expect(h.sb.stats()).toEqual({ reads: 0, writes: 0, actions: {}, faults: 0, accessKeys: {} });
      await h.iam.send(new GetRoleCommand({ RoleName: 's1' }));
      await fetch(`${h.sb.endpoint}/_sandbox/reset`, { method: 'POST' });
      expect((await awsError(h.iam.send(new GetRoleCommand({ RoleName: 's1' })))).name).toBe('NoSuchEntityException');
    } finally {
      await h.sb.stop();
    }
  });

  it('persists state atomically and survives a restart; a corrupt file is an error, never a reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-sbx-'));
    const file = join(dir, 'nested', 'sandbox.json');
    const h = await harness({ stateFile: file }, 1);
    await h.iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: trustDoc() }));
    await h.sb.stop();
    expect(readdirSync(join(dir, 'nested'))).toEqual(['sandbox.json']);
    const again = await harness({ stateFile: file }, 1);
    expect((await again.iam.send(new GetRoleCommand({ RoleName: 'kept' }))).Role?.RoleName).toBe('kept');
    await again.iam.send(new CreateRoleCommand({ RoleName: 'kept2', AssumeRolePolicyDocument: trustDoc() }));
    await again.sb.stop();
    writeFileSync(join(dir, 'nested', 'sandbox.json.bak'), readFileSync(file));
    writeFileSync(file, '{"version":1,"roles":');
    await expect(startSandbox({ stateFile: file })).rejects.toThrow(StateFileError);
    await expect(startSandbox({ stateFile: file })).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"roles":');
    const saved = JSON.parse(readFileSync(join(dir, 'nested', 'sandbox.json.bak'), 'utf8')) as { roles: Record<string, { trust?: string }> };
    delete saved.roles.kept!.trust;
    writeFileSync(file, JSON.stringify(saved));
    await expect(startSandbox({ stateFile: file })).rejects.toThrow(/roles\["kept"\]\.trust is missing or not a string/);
    writeFileSync(file, '{"version":2}');
    await expect(startSandbox({ stateFile: file })).rejects.toThrow(/unknown version 2/);
    expect(existsSync(file)).toBe(true);
  });

  it('scripted errors: the first `times` matching calls get the error (throttle: the service\'s own), counted as calls; dry runs match only by their own name', async () => {
    const h = await harness({ errors: [
      { action: 'iam:Create*', error: 'throttle', times: 2 },
      { action: 'ec2:RunInstances', error: { code: 'InvalidParameterValue', message: 'Value (x) for parameter instanceType is invalid.' } },
    ] }, 1);
    try {
      const create = () => h.iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trustDoc() }));
      expect(await awsError(create())).toMatchObject({ name: 'Throttling', status: 400 });
      expect(await awsError(h.iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trustDoc() })))).toMatchObject({ name: 'Throttling' });
      expect((await create()).Role?.RoleName).toBe('r'); // the two answers are used up
      const run = (DryRun?: boolean) => h.ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...(DryRun ? { DryRun } : {}) }));
      for (let i = 0; i < 2; i++) expect(await awsError(run())).toMatchObject({ name: 'InvalidParameterValue', message: 'Value (x) for parameter instanceType is invalid.', status: 400 });
      expect((await awsError(run(true))).name).toBe('DryRunOperation');
      expect(h.sb.stats()).toMatchObject({ faults: 0, actions: { 'iam:CreateRole': 3, 'ec2:RunInstances': 2, 'ec2:RunInstances(DryRun)': 1 } });
      expect((await h.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).toEqual([]);
    } finally {
      await h.sb.stop();
    }
  });

  it('rejects nonsense options', async () => {
    await expect(startSandbox({ faults: { throttle: 2 } })).rejects.toThrow(/between 0 and 1/);
    await expect(startSandbox({ accountId: '12' })).rejects.toThrow(/12 digits/);
    await expect(startSandbox({ errors: [{ action: 'ec2:*', error: 'throttle', times: -1 }] })).rejects.toThrow(/non-negative integer/);
    await expect(startSandbox({ errors: [{ action: 'ec2:*', error: { code: '', message: 'm' } }] })).rejects.toThrow(/needs a code/);
  });
});
