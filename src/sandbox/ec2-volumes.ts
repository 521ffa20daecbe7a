/**
 * EBS volumes as the sandbox models them: the volumes RunInstances creates for an instance's block
 * device mappings (the image's root device first), listed by DescribeVolumes in the shape of the
 * EC2 API reference (Volume: volumeId, size, snapshotId, availabilityZone, status, createTime,
 * attachmentSet, volumeType, iops, throughput, encrypted, kmsKeyId, tagSet, multiAttachEnabled).
 * A volume is `in-use` while its instance exists and is not terminated; at termination a volume
 * with DeleteOnTermination is deleted, one without it is detached and `available` (until the
 * terminated instance's record is purged after `terminatedRetentionMs`, which takes its volumes).
 * There is no KMS: an encrypted volume's key is the KmsKeyId given, as a key ARN (a key id or alias
 * becomes an ARN in the sandbox's account and region, an alias standing for a stable fake key),
 * else the account's AWS managed aws/ebs key.
 */
import { sha256Hex } from '../policy/canonical.js';
import type { Ctx } from './context.js';
import { instanceState } from './ec2-instances.js';
import { any, intParam, invalidToken, invalidValue, tagFilterMatcher, type ResourceFilter } from './ec2-params.js';
import type { Ec2Handler } from './ec2.js';
import { AwsError } from './errors.js';
import { paginate } from './paging.js';
import { qItems, qStr, qStrings } from './query.js';
import type { BlockDeviceRec, InstanceRec } from './state.js';
import type { XmlValue } from './xml.js';

/** A stable fake key id (UUID-shaped) for a name in an account and region. */
function fakeKeyId(account: string, region: string, name: string): string {
  const h = sha256Hex(`${account}:${region}:${name}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const KEY_ARN = /^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/;
const ALIAS_ARN = /^arn:(aws[\w-]*):kms:([a-z0-9-]+):(\d{12}):(alias\/[\w/-]+)$/;

/**
 * The key ARN an encrypted volume records for the KmsKeyId given (key id, key ARN, alias name or
 * alias ARN, as RunInstances accepts them), or the default aws/ebs key when none is given.
 * KmsKeyId without Encrypted=true is refused, as EC2 does.
 */
export function volumeKmsKey(ctx: Ctx, given: string | undefined, encrypted: boolean): string | undefined {
  const { accountId, region } = ctx.opts;
  if (given !== undefined && !encrypted) {
    throw new AwsError('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.', 400);
  }
  if (!encrypted) return undefined;
  const keyArn = (acct: string, reg: string, id: string, partition = 'aws') => `arn:${partition}:kms:${reg}:${acct}:key/${id}`;
  if (given === undefined || given === '' || given === 'alias/aws/ebs') return keyArn(accountId, region, fakeKeyId(accountId, region, 'alias/aws/ebs'));
  if (KEY_ARN.test(given)) return given;
  const alias = ALIAS_ARN.exec(given);
  if (alias) return keyArn(alias[3]!, alias[2]!, fakeKeyId(alias[3]!, alias[2]!, alias[4]!), alias[1]);
  if (/^alias\/[\w/-]+$/.test(given)) return keyArn(accountId, region, fakeKeyId(accountId, region, given));
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(given) || /^mrk-[0-9a-f]{32}$/.test(given)) return keyArn(accountId, region, given);
  throw invalidValue(`Value (${given}) for parameter kmsKeyId is invalid. Invalid KMS key identifier.`);
}

interface VolumeView {
  instance: InstanceRec;
  volume: BlockDeviceRec;
  status: 'in-use' | 'available';
}

/** Every volume that exists now: attached ones and the detached survivors of terminated instances. */
function volumes(ctx: Ctx): VolumeView[] {
  const out: VolumeView[] = [];
  for (const instance of Object.values(ctx.state.instances)) {
    const terminated = instanceState(ctx, instance).name === 'terminated';
    for (const volume of instance.blockDevices) {
      if (terminated && volume.deleteOnTermination) continue;
      out.push({ instance, volume, status: terminated ? 'available' : 'in-use' });
    }
  }
  return out.sort((a, b) => (a.volume.volumeId < b.volume.volumeId ? -1 : a.volume.volumeId > b.volume.volumeId ? 1 : 0));
}

/** gp3's baseline, gp2's 3 IOPS per GiB (100 to 16,000); the other types report what was given. */
function iops(v: BlockDeviceRec): number | undefined {
  if (v.iops !== undefined) return v.iops;
  if (v.volumeType === 'gp3') return 3000;
  if (v.volumeType === 'gp2') return Math.min(16000, Math.max(100, 3 * v.volumeSize));
  return undefined;
}

const str = (b: boolean) => (b ? 'true' : 'false');

const VOLUME_FILTERS: Record<string, ResourceFilter<VolumeView>> = {
  'volume-id': (_c, v, f) => any(f, v.volume.volumeId),
  'volume-type': (_c, v, f) => any(f, v.volume.volumeType),
  size: (_c, v, f) => any(f, String(v.volume.volumeSize)),
  status: (_c, v, f) => any(f, v.status),
  encrypted: (_c, v, f) => any(f, str(v.volume.encrypted)),
  'availability-zone': (_c, v, f) => any(f, v.instance.availabilityZone),
  'attachment.instance-id': (_c, v, f) => v.status === 'in-use' && any(f, v.instance.id),
  'attachment.device': (_c, v, f) => v.status === 'in-use' && any(f, v.volume.deviceName),
  'attachment.status': (_c, v, f) => v.status === 'in-use' && any(f, 'attached'),
  'attachment.delete-on-termination': (_c, v, f) => v.status === 'in-use' && any(f, str(v.volume.deleteOnTermination)),
};

function volumeXml(v: VolumeView): { [k: string]: XmlValue } {
  const { volume, instance } = v;
  const tags = volume.tags ?? [];
  return {
    volumeId: volume.volumeId,
    size: volume.volumeSize,
    snapshotId: '',
    availabilityZone: instance.availabilityZone,
    status: v.status,
    createTime: new Date(instance.launchedAt),
    attachmentSet: v.status === 'in-use'
      ? [{ volumeId: volume.volumeId, instanceId: instance.id, device: volume.deviceName, status: 'attached', attachTime: new Date(instance.launchedAt), deleteOnTermination: volume.deleteOnTermination }]
      : [],
    volumeType: volume.volumeType,
    iops: iops(volume),
    throughput: volume.throughput ?? (volume.volumeType === 'gp3' ? 125 : undefined),
    encrypted: volume.encrypted,
    kmsKeyId: volume.kmsKeyId,
    tagSet: tags.length ? tags.map((t) => ({ key: t.Key, value: t.Value })) : undefined,
    multiAttachEnabled: false,
  };
}

export const DescribeVolumes: Ec2Handler = (ctx, p) => {
  const ids = qStrings(qItems(p, 'VolumeId'));
  for (const id of ids) if (!/^vol-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw new AwsError('InvalidVolumeID.Malformed', `Invalid id: "${id}" (expecting "vol-...")`, 400);
  const maxResults = intParam(p, 'MaxResults', 'maxResults', 5, 1000);
  if (ids.length && maxResults !== undefined) {
    throw new AwsError('InvalidParameterCombination', 'The parameter volumeSet cannot be used with the parameter maxResults', 400);
  }
  const matches = tagFilterMatcher(ctx, p, VOLUME_FILTERS, (v) => v.volume.tags ?? []);
  const all = volumes(ctx);
  if (ids.length) {
    const missingIds = ids.filter((id) => !all.some((v) => v.volume.volumeId === id));
    if (missingIds.length) {
      throw new AwsError('InvalidVolume.NotFound', `The volume${missingIds.length > 1 ? 's' : ''} '${missingIds.join(', ')}' ${missingIds.length > 1 ? 'do' : 'does'} not exist.`, 400);
    }
  }
  const matched = all
    .filter((v) => !ids.length || ids.includes(v.volume.volumeId))
    .filter(matches);
  const page = paginate(matched, (v) => v.volume.volumeId, qStr(p, 'NextToken'), maxResults ?? 1000, invalidToken);
  return { volumeSet: page.items.map(volumeXml), nextToken: page.next };
};
