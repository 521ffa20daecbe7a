/** Sandbox EC2 DescribeImages and the image's root device at RunInstances, with the real SDK over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeImagesCommand, DescribeInstancesCommand, RunInstancesCommand, type RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { startSandbox } from '../src/sandbox/index.js';
import { awsError, harness, type Harness } from './sandbox-helpers.js';

const UBUNTU = 'ami-0aaaaaaaaaaaaaaa1';
const ARM = 'ami-0ccccccc';
const GONE = 'ami-0ddddddddddddddd1';
const GONE2 = 'ami-0ddddddddddddddd2';
const ANY = 'ami-0123456789abcdef0';

let h: Harness;
beforeAll(async () => {
  h = await harness({ images: { [UBUNTU]: { rootDeviceName: '/dev/sda1', name: 'ubuntu-noble' }, [ARM]: { architecture: 'arm64' } }, missingImages: [GONE, GONE2] }, 1);
});
afterAll(async () => {
  await h.sb.stop();
});

interface Dev {
  deviceName: string;
  encrypted: boolean;
}
async function volumes(id: string): Promise<Dev[]> {
  const state = (await (await fetch(`${h.sb.endpoint}/_sandbox/state`)).json()) as { instances: Record<string, { blockDevices: Dev[] }> };
  return state.instances[id]!.blockDevices.map((d) => ({ deviceName: d.deviceName, encrypted: d.encrypted }));
}

describe('sandbox EC2 DescribeImages', () => {
  it('any well-formed id is an available x86_64 image with root /dev/xvda; registered ones as registered', async () => {
    const out = await h.ec2.send(new DescribeImagesCommand({ ImageIds: [ANY, UBUNTU, ARM] }));
    const by = Object.fromEntries((out.Images ?? []).map((i) => [i.ImageId, i]));
    expect(Object.keys(by).sort()).toEqual([ARM, ANY, UBUNTU].sort());
    expect(by[ANY]).toMatchObject({ RootDeviceName: '/dev/xvda', RootDeviceType: 'ebs', Architecture: 'x86_64', State: 'available', ImageType: 'machine', VirtualizationType: 'hvm' });
    expect(by[ANY]!.BlockDeviceMappings).toEqual([expect.objectContaining({ DeviceName: '/dev/xvda', Ebs: expect.objectContaining({ Encrypted: false, VolumeSize: 8 }) })]);
    expect(by[UBUNTU]).toMatchObject({ RootDeviceName: '/dev/sda1', Name: 'ubuntu-noble' });
    expect(by[UBUNTU]!.BlockDeviceMappings?.[0]?.DeviceName).toBe('/dev/sda1');
    expect(by[ARM]).toMatchObject({ Architecture: 'arm64', RootDeviceName: '/dev/xvda' });
    expect(h.sb.stats().actions['ec2:DescribeImages']).toBeGreaterThan(0);
  });

  it('missing → InvalidAMIID.NotFound (400, AWS wording; several ids listed), malformed → InvalidAMIID.Malformed', async () => {
    expect(await awsError(h.ec2.send(new DescribeImagesCommand({ ImageIds: [ANY, GONE] })))).toMatchObject({ name: 'InvalidAMIID.NotFound', status: 400, message: `The image id '[${GONE}]' does not exist` });
    expect(await awsError(h.ec2.send(new DescribeImagesCommand({ ImageIds: [GONE, GONE2] })))).toMatchObject({ name: 'InvalidAMIID.NotFound', message: `The image ids '[${GONE}, ${GONE2}]' do not exist` });
    expect(await awsError(h.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-xyz'] })))).toMatchObject({ name: 'InvalidAMIID.Malformed', status: 400, message: 'Invalid id: "ami-xyz" (expecting "ami-...")' });
    expect(await awsError(h.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'nope', Values: ['x'] }] })))).toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('without ids lists the registered images; filters narrow', async () => {
    const all = await h.ec2.send(new DescribeImagesCommand({}));
    expect((all.Images ?? []).map((i) => i.ImageId).sort()).toEqual([ARM, UBUNTU].sort());
    const sda = await h.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'root-device-name', Values: ['/dev/sda*'] }] }));
    expect((sda.Images ?? []).map((i) => i.ImageId)).toEqual([UBUNTU]);
  });

  it('is denied by the deny knob as UnauthorizedOperation', async () => {
    const sb = await startSandbox({ deny: ['ec2:DescribeImages'] });
    try {
      const { EC2Client } = await import('@aws-sdk/client-ec2');
      const { SANDBOX_CREDENTIALS } = await import('../src/aws/clients.js');
      const ec2 = new EC2Client({ region: sb.region, endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
      expect(await awsError(ec2.send(new DescribeImagesCommand({ ImageIds: [ANY] })))).toMatchObject({ name: 'UnauthorizedOperation', status: 403 });
    } finally {
      await sb.stop();
    }
  });

  it('rejects an images option that is not keyed by AMI ids', async () => {
    await expect(startSandbox({ images: { 'ubuntu': { rootDeviceName: '/dev/sda1' } } })).rejects.toThrow(/not an AMI id/);
    await expect(startSandbox({ images: { [ANY]: { rootDeviceName: 'sda1' } } })).rejects.toThrow(/not a device name/);
  });
});

describe('sandbox EC2 RunInstances: the image root device', () => {
  const base: RunInstancesCommandInput = { InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 };
  const enc = (DeviceName: string) => ({ DeviceName, Ebs: { Encrypted: true, DeleteOnTermination: true } });

  it("a mapping for the image's root device replaces the root volume", async () => {
    const r = await h.ec2.send(new RunInstancesCommand({ ...base, ImageId: UBUNTU, BlockDeviceMappings: [enc('/dev/sda1')] }));
    const id = r.Instances![0]!.InstanceId!;
    expect(await volumes(id)).toEqual([{ deviceName: '/dev/sda1', encrypted: true }]);
    expect(r.Instances![0]!.RootDeviceName).toBe('/dev/sda1');
  });

  it('a mapping for another device adds a volume: the root stays the image default, unencrypted (as on EC2)', async () => {
    const r = await h.ec2.send(new RunInstancesCommand({ ...base, ImageId: UBUNTU, BlockDeviceMappings: [enc('/dev/xvda')] }));
    const id = r.Instances![0]!.InstanceId!;
    expect(await volumes(id)).toEqual([{ deviceName: '/dev/sda1', encrypted: false }, { deviceName: '/dev/xvda', encrypted: true }]);
    const d = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const inst = d.Reservations![0]!.Instances![0]!;
    expect(inst.RootDeviceName).toBe('/dev/sda1');
    expect(inst.BlockDeviceMappings?.map((b) => b.DeviceName)).toEqual(['/dev/sda1', '/dev/xvda']);
  });

  it('a missing image → InvalidAMIID.NotFound; resolve:ssm: roots follow the parameter path', async () => {
    expect(await awsError(h.ec2.send(new RunInstancesCommand({ ...base, ImageId: GONE })))).toMatchObject({ name: 'InvalidAMIID.NotFound', message: `The image id '[${GONE}]' does not exist` });
    const u = await h.ec2.send(new RunInstancesCommand({ ...base, ImageId: 'resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id' }));
    expect(u.Instances![0]!.RootDeviceName).toBe('/dev/sda1');
    const al = await h.ec2.send(new RunInstancesCommand({ ...base, ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' }));
    expect(al.Instances![0]!.RootDeviceName).toBe('/dev/xvda');
  });
});
