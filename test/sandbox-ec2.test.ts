import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTagsCommand, DeleteTagsCommand, DescribeInstancesCommand, DescribeTagsCommand, RunInstancesCommand, StopInstancesCommand,
  TerminateInstancesCommand, paginateDescribeInstances, waitUntilInstanceRunning, type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { awsError, harness, manualClock, trustDoc, type Harness } from './sandbox-helpers.js';

const clock = manualClock();
let h: Harness;
beforeAll(async () => {
  h = await harness({ clock: clock.now, propagationDelayMs: 8_000, instanceStartDelayMs: 5_000, terminatedRetentionMs: 60_000, region: 'us-west-2' }, 1);
});
afterAll(async () => {
  await h.sb.stop();
});

const base: RunInstancesCommandInput = { ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 };

describe('sandbox EC2 RunInstances', () => {
  it('is idempotent per ClientToken; different parameters → IdempotentParameterMismatch', async () => {
    const input: RunInstancesCommandInput = {
      ...base, MaxCount: 2, ClientToken: 'tok-1',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'charter:managed', Value: 'true' }, { Key: 'group', Value: 'a' }] }, { ResourceType: 'volume', Tags: [{ Key: 'v', Value: '1' }] }],
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp3', DeleteOnTermination: true } }],
      UserData: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
    };
    const first = await h.ec2.send(new RunInstancesCommand(input));
    const second = await h.ec2.send(new RunInstancesCommand(input));
    expect(second.ReservationId).toBe(first.ReservationId);
    expect(second.Instances?.map((i) => i.InstanceId)).toEqual(first.Instances?.map((i) => i.InstanceId));
    expect(first.Instances).toHaveLength(2);
    const i0 = first.Instances![0]!;
    expect(i0.State?.Name).toBe('pending');
    expect(i0.ImageId).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(i0.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
    expect(i0.Tags).toEqual([{ Key: 'charter:managed', Value: 'true' }, { Key: 'group', Value: 'a' }]);
    expect(i0.ClientToken).toBe('tok-1');
    expect(i0.Placement?.AvailabilityZone).toBe('us-west-2a');
    const mismatch = await awsError(h.ec2.send(new RunInstancesCommand({ ...input, InstanceType: 't3.small' })));
    expect(mismatch).toMatchObject({ name: 'IdempotentParameterMismatch', status: 400 });
    const all = await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: ['tok-1'] }] }));
    expect(all.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(2);
    const vols = await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['volume'] }] }));
    expect(vols.Tags?.every((t) => t.Key === 'v' && t.ResourceId?.startsWith('vol-'))).toBe(true);
    expect(vols.Tags).toHaveLength(2);
  });

  it('validates like EC2: user data 16 KB raw, DryRun, bad image, counts', async () => {
    const big = Buffer.alloc(16 * 1024 + 1, 'a').toString('base64');
    expect(await awsError(h.ec2.send(new RunInstancesCommand({ ...base, UserData: big })))).toMatchObject({ name: 'InvalidParameterValue', message: 'User data is limited to 16384 bytes' });
    await h.ec2.send(new RunInstancesCommand({ ...base, UserData: Buffer.alloc(16 * 1024, 'a').toString('base64'), DryRun: false, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'group', Value: 'ud' }] }] }));
    expect(await awsError(h.ec2.send(new RunInstancesCommand({ ...base, DryRun: true })))).toMatchObject({ name: 'DryRunOperation', status: 412 });
    expect((await awsError(h.ec2.send(new RunInstancesCommand({ ...base, ImageId: 'nope' })))).name).toBe('InvalidAMIID.Malformed');
    expect((await awsError(h.ec2.send(new RunInstancesCommand({ ...base, MinCount: 2, MaxCount: 1 })))).name).toBe('InvalidParameterValue');
    expect((await awsError(h.ec2.send(new RunInstancesCommand({ ...base, ClientToken: 'x'.repeat(65) })))).name).toBe('InvalidParameterValue');
    const dupSpec = await awsError(h.ec2.send(new RunInstancesCommand({ ...base, TagSpecifications: [{ ResourceType: 'instance', Tags: [] }, { ResourceType: 'instance', Tags: [] }] })));
    expect(dupSpec.name).toBe('InvalidParameterValue');
  });

  it('checks IamInstanceProfile against IAM through the propagation delay', async () => {
    await h.iam.send(new CreateRoleCommand({ RoleName: 'node', AssumeRolePolicyDocument: trustDoc() }));
    await h.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'node-ip' }));
    const early = await awsError(h.ec2.send(new RunInstancesCommand({ ...base, IamInstanceProfile: { Name: 'node-ip' } })));
    expect(early).toMatchObject({ name: 'InvalidParameterValue', message: 'Value (node-ip) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name' });
    clock.advance(8_000);
    const empty = await awsError(h.ec2.send(new RunInstancesCommand({ ...base, IamInstanceProfile: { Name: 'node-ip' } })));
    expect(empty.message).toContain('has no associated IAM Roles');
    await h.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'node-ip', RoleName: 'node' }));
    expect((await awsError(h.ec2.send(new RunInstancesCommand({ ...base, IamInstanceProfile: { Name: 'node-ip' } })))).message).toContain('has no associated IAM Roles');
    clock.advance(8_000);
    const arn = `arn:aws:iam::${h.sb.accountId}:instance-profile/node-ip`;
    const ok = await h.ec2.send(new RunInstancesCommand({ ...base, IamInstanceProfile: { Arn: arn }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'group', Value: 'node' }] }] }));
    expect(ok.Instances?.[0]?.IamInstanceProfile?.Arn).toBe(arn);
    expect(ok.Instances?.[0]?.IamInstanceProfile?.Id).toMatch(/^AIPA/);
    const ghost = await awsError(h.ec2.send(new RunInstancesCommand({ ...base, IamInstanceProfile: { Arn: `arn:aws:iam::${h.sb.accountId}:instance-profile/ghost` } })));
    expect(ghost.message).toBe(`Value (arn:aws:iam::${h.sb.accountId}:instance-profile/ghost) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`);
  });

});

describe('sandbox EC2 describe, tags, lifecycle', () => {
  it('filters by tag, tag-key, state, instance-id; pages with MaxResults/NextToken', async () => {
    await h.ec2.send(new RunInstancesCommand({ ...base, MinCount: 12, MaxCount: 12, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'group', Value: 'fleet' }] }] }));
    const fleet = await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:group', Values: ['fleet'] }] }));
    const ids = fleet.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!));
    expect(ids).toHaveLength(12);
    const paged: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances({ client: h.ec2, pageSize: 5 }, { Filters: [{ Name: 'tag:group', Values: ['fl*'] }] })) {
      pages++;
      paged.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
    }
    expect(pages).toBe(3);
    expect(paged).toEqual(ids);
    const pending = await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['pending'] }, { Name: 'tag-key', Values: ['group'] }] }));
    // The first three launches are running by now (the clock moved 16 s); the fleet and the node instance are pending.
    expect(pending.Reservations!.flatMap((r) => r.Instances!)).toHaveLength(12 + 1);
    const one = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids[3]!] }));
    expect(one.Reservations?.[0]?.Instances?.[0]?.InstanceId).toBe(ids[3]);
    expect((await awsError(h.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })))).name).toBe('InvalidInstanceID.NotFound');
    expect((await awsError(h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids[0]!], MaxResults: 5 })))).name).toBe('InvalidParameterCombination');
    expect((await awsError(h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })))).name).toBe('InvalidParameterValue');
  });

  it('create/delete/describe tags', async () => {
    const fleet = await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:group', Values: ['fleet'] }] }));
    const id = fleet.Reservations![0]!.Instances![0]!.InstanceId!;
    await h.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'extra', Value: '1' }, { Key: 'group', Value: 'moved' }] }));
    const tags = await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }] }));
    expect(tags.Tags?.map((t) => `${t.Key}=${t.Value}`)).toEqual(['extra=1', 'group=moved']);
    await h.ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'extra' }] }));
    const after = await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }, { Name: 'key', Values: ['extra'] }] }));
    expect(after.Tags).toEqual([]);
    expect((await awsError(h.ec2.send(new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })))).name).toBe('InvalidInstanceID.NotFound');
  });

  it('pending → running after the start delay; terminated stays visible for the retention, then vanishes', async () => {
    clock.advance(5_000);
    const running = await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:group', Values: ['node'] }] }));
    const inst = running.Reservations![0]!.Instances![0]!;
    expect(inst.State).toEqual({ Code: 16, Name: 'running' });
    const stop = await h.ec2.send(new StopInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    expect(stop.StoppingInstances?.[0]?.CurrentState?.Name).toBe('stopping');
    const term = await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    expect(term.TerminatingInstances?.[0]).toMatchObject({ InstanceId: inst.InstanceId, CurrentState: { Code: 32, Name: 'shutting-down' } });
    clock.advance(5_000);
    const gone = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    expect(gone.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('terminated');
    clock.advance(60_000);
    expect((await awsError(h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [inst.InstanceId!] })))).name).toBe('InvalidInstanceID.NotFound');
    const byTag = await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:group', Values: ['node'] }] }));
    expect(byTag.Reservations).toEqual([]);
  });

  it('waitUntilInstanceRunning works against real time', async () => {
    const w = await harness({ instanceStartDelayMs: 300 });
    try {
      const run = await w.ec2.send(new RunInstancesCommand(base));
      const id = run.Instances![0]!.InstanceId!;
      const result = await waitUntilInstanceRunning({ client: w.ec2, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { InstanceIds: [id] });
      expect(result.state).toBe('SUCCESS');
      const stats = w.sb.stats();
      expect(stats.actions['ec2:DescribeInstances']).toBeGreaterThanOrEqual(2);
      expect(stats.writes).toBe(1);
    } finally {
      await w.sb.stop();
    }
  });
});

describe('sandbox EC2 limits', () => {
  it('vCPU limit: launches as many as fit (≥ MinCount), else VcpuLimitExceeded; capacity errors', async () => {
    const w = await harness({ vcpuLimit: 8, insufficientCapacity: ['g5.*'] }, 1);
    try {
      const run = await w.ec2.send(new RunInstancesCommand({ ...base, InstanceType: 't3.large', MinCount: 1, MaxCount: 10 }));
      expect(run.Instances).toHaveLength(4);
      const over = await awsError(w.ec2.send(new RunInstancesCommand({ ...base, InstanceType: 't3.large' })));
      expect(over).toMatchObject({ name: 'VcpuLimitExceeded', status: 400 });
      await w.ec2.send(new TerminateInstancesCommand({ InstanceIds: [run.Instances![0]!.InstanceId!] }));
      expect((await w.ec2.send(new RunInstancesCommand({ ...base, InstanceType: 't3.large' }))).Instances).toHaveLength(1);
      const cap = await awsError(w.ec2.send(new RunInstancesCommand({ ...base, InstanceType: 'g5.xlarge' })));
      expect(cap).toMatchObject({ name: 'InsufficientInstanceCapacity', status: 500 });
    } finally {
      await w.sb.stop();
    }
  });
});

describe('sandbox EC2 DryRun', () => {
  it('DryRun validates the instance profile through propagation and counts as a read', async () => {
    const clock = manualClock();
    const h = await harness({ clock: clock.now, propagationDelayMs: 8_000 }, 1);
    await h.iam.send(new CreateRoleCommand({ RoleName: 'dry', AssumeRolePolicyDocument: trustDoc() }));
    await h.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'dry-ip' }));
    await h.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'dry-ip', RoleName: 'dry' }));
    const before = h.sb.stats();
    const early = await awsError(h.ec2.send(new RunInstancesCommand({ ...base, DryRun: true, IamInstanceProfile: { Name: 'dry-ip' } })));
    expect(early.name).toBe('InvalidParameterValue');
    clock.advance(8_000);
    const later = await awsError(h.ec2.send(new RunInstancesCommand({ ...base, DryRun: true, IamInstanceProfile: { Name: 'dry-ip' } })));
    expect(later.name).toBe('DryRunOperation');
    const after = h.sb.stats();
    expect(after.writes).toBe(before.writes);
    expect(after.reads).toBe(before.reads + 2);
    expect(after.actions['ec2:RunInstances(DryRun)']).toBe(2);
    expect(after.actions['ec2:RunInstances']).toBeUndefined();
    await h.sb.stop();
  });
});
