/**
 * Sandbox DescribeVolumes (EC2 API reference shape): the volumes RunInstances created for an
 * instance's block device mappings, their encryption and KMS key, filters, paging and errors; the
 * root volume of what `charter apply` launched is encrypted. The AWS CLI reads the same volumes in
 * test/sandbox-awscli.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeVolumesCommand, RunInstancesCommand, TerminateInstancesCommand, type RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { awsError, harness, manualClock, type Harness } from './sandbox-helpers.js';
import { applyOptions, runApply, sandbox, specText, tmp, writeSpec } from './apply-support.js';

const clock = manualClock();
let h: Harness;
beforeAll(async () => {
  h = await harness({ clock: clock.now, instanceStartDelayMs: 1_000, terminatedRetentionMs: 60_000, region: 'us-west-2', accountId: '123456789012' }, 1);
});
afterAll(async () => {
  await h.sb.stop();
});

const base: RunInstancesCommandInput = { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 };
const KEY_ARN = /^arn:aws:kms:us-west-2:123456789012:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function launch(input: Partial<RunInstancesCommandInput>): Promise<string> {
  const r = await h.ec2.send(new RunInstancesCommand({ ...base, ...input }));
  return r.Instances![0]!.InstanceId!;
}

async function volumesOf(instanceId: string) {
  const r = await h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }));
  // The root device (/dev/xvda) first, then the others by device name.
  const rank = (d: string) => (d === '/dev/xvda' ? '' : d);
  return r.Volumes!.sort((a, b) => rank(a.Attachments![0]!.Device!).localeCompare(rank(b.Attachments![0]!.Device!)));
}

describe('sandbox EC2 DescribeVolumes', () => {
  it("lists an instance's volumes with size, type, encryption, key and attachment", async () => {
    const id = await launch({
      BlockDeviceMappings: [
        { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 100, VolumeType: 'gp2', DeleteOnTermination: false } },
        { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, Encrypted: true, KmsKeyId: 'alias/ml-data' } },
      ],
      TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'team', Value: 'ml' }] }],
    });
    const [root, data] = await volumesOf(id);
    expect(root).toMatchObject({
      Size: 30, VolumeType: 'gp3', Iops: 3000, Throughput: 125, Encrypted: true, State: 'in-use', AvailabilityZone: 'us-west-2a',
      MultiAttachEnabled: false, Tags: [{ Key: 'team', Value: 'ml' }],
      Attachments: [{ InstanceId: id, Device: '/dev/xvda', State: 'attached', DeleteOnTermination: true }],
    });
    expect(root!.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    expect(root!.Attachments![0]!.VolumeId).toBe(root!.VolumeId);
    expect(root!.CreateTime).toEqual(new Date(clock.now()));
    expect(root!.KmsKeyId).toMatch(KEY_ARN);
    expect(data).toMatchObject({ Size: 100, VolumeType: 'gp2', Iops: 300, Encrypted: false, Attachments: [{ Device: '/dev/sdf', DeleteOnTermination: false }] });
    expect(data!.KmsKeyId).toBeUndefined();
    // The same alias is the same key; the aws/ebs default is another.
    const again = await volumesOf(await launch({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, KmsKeyId: 'alias/ml-data' } }] }));
    expect(again[0]!.KmsKeyId).toBe(root!.KmsKeyId);
    const byDefault = await volumesOf(await launch({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true } }] }));
    expect(byDefault[0]!.KmsKeyId).toMatch(KEY_ARN);
    expect(byDefault[0]!.KmsKeyId).not.toBe(root!.KmsKeyId);
    const given = 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const byArn = await volumesOf(await launch({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, KmsKeyId: given } }] }));
    expect(byArn[0]!.KmsKeyId).toBe(given);
    const byKeyId = await volumesOf(await launch({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, KmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } }] }));
    expect(byKeyId[0]!.KmsKeyId).toBe(given);
  });

  it("an instance without mappings gets the image's default root: 8 GiB, unencrypted", async () => {
    const [root, ...rest] = await volumesOf(await launch({}));
    expect(rest).toEqual([]);
    expect(root).toMatchObject({ Size: 8, Encrypted: false, Attachments: [{ Device: '/dev/xvda' }] });
  });

  it('filters (encrypted, volume-id, tag, size) and pages with MaxResults / NextToken', async () => {
    const all = (await h.ec2.send(new DescribeVolumesCommand({}))).Volumes!;
    const encrypted = (await h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'encrypted', Values: ['true'] }] }))).Volumes!;
    expect(encrypted.length).toBeGreaterThan(0);
    expect(encrypted.map((v) => v.VolumeId)).toEqual(all.filter((v) => v.Encrypted).map((v) => v.VolumeId));
    const one = all[2]!.VolumeId!;
    expect((await h.ec2.send(new DescribeVolumesCommand({ VolumeIds: [one] }))).Volumes!.map((v) => v.VolumeId)).toEqual([one]);
    expect((await h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:team', Values: ['m*'] }] }))).Volumes!).toHaveLength(2);
    expect((await h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'size', Values: ['100'] }] }))).Volumes!).toHaveLength(1);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await h.ec2.send(new DescribeVolumesCommand({ MaxResults: 5, NextToken: token }));
      expect(page.Volumes!.length).toBeLessThanOrEqual(5);
      seen.push(...page.Volumes!.map((v) => v.VolumeId!));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(all.map((v) => v.VolumeId));
    expect(all.length).toBeGreaterThan(5);
  });

  it("refuses what EC2 refuses: KmsKeyId without Encrypted, unknown and malformed ids, ids with MaxResults, unknown filters", async () => {
    const dep = await awsError(h.ec2.send(new RunInstancesCommand({ ...base, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { KmsKeyId: 'alias/x' } }] })));
    expect(dep.name).toBe('InvalidParameterDependency');
    expect((await awsError(h.ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0123456789abcdef0'] }))))).toMatchObject({ name: 'InvalidVolume.NotFound', message: "The volume 'vol-0123456789abcdef0' does not exist." });
    expect((await awsError(h.ec2.send(new DescribeVolumesCommand({ VolumeIds: ['volume-1'] })))).name).toBe('InvalidVolumeID.Malformed');
    expect((await awsError(h.ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0123456789abcdef0'], MaxResults: 5 })))).name).toBe('InvalidParameterCombination');
    expect((await awsError(h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })))).name).toBe('InvalidParameterValue');
  });

  it('at termination a DeleteOnTermination volume is deleted, the others stay, detached and available', async () => {
    const id = await launch({ BlockDeviceMappings: [{ DeviceName: '/dev/sdg', Ebs: { VolumeSize: 20, DeleteOnTermination: false } }] });
    const before = await volumesOf(id);
    expect(before).toHaveLength(2);
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    clock.advance(1_000);
    expect(await volumesOf(id)).toEqual([]);
    const kept = before.find((b) => b.Size === 20)!;
    const deleted = before.find((b) => b.Size !== 20)!;
    expect((await h.ec2.send(new DescribeVolumesCommand({ VolumeIds: [kept.VolumeId!] }))).Volumes).toMatchObject([{ Size: 20, State: 'available', Attachments: [] }]);
    const gone = await awsError(h.ec2.send(new DescribeVolumesCommand({ VolumeIds: [deleted.VolumeId!] })));
    expect(gone.name).toBe('InvalidVolume.NotFound');
  });
});

describe('what charter apply launched', () => {
  it('has encrypted root volumes, with the spec kmsKey when given', async () => {
    const { sb, clients } = await sandbox();
    try {
      const dir = tmp();
      const text = specText({ count: 1, groups: 1 }).replace('    ttl: 2h\n', '    ttl: 2h\n    volume: { size: 40, kmsKey: alias/ml-data }\n');
      expect(text).toContain('kmsKey');
      expect((await runApply(writeSpec(dir, text), applyOptions(clients, dir))).exitCode).toBe(0);
      const ec2 = await clients.ec2();
      const vols = (await ec2.send(new DescribeVolumesCommand({}))).Volumes!;
      expect(vols).toHaveLength(1);
      expect(vols[0]).toMatchObject({ Size: 40, Encrypted: true, State: 'in-use', Attachments: [{ Device: '/dev/xvda', DeleteOnTermination: true }] });
      expect(vols[0]!.KmsKeyId).toMatch(/^arn:aws:kms:us-west-2:\d{12}:key\//);
    } finally {
      await sb.stop();
    }
  });
});
