/**
 * EC2 (ec2Query, Version 2016-11-15): RunInstances (ClientToken idempotency, tag specifications,
 * metadata options, block devices, user data, instance profiles checked against IAM through the
 * propagation delay, resolve:ssm: images, the image's root device), DescribeImages (ec2-images.ts), DescribeInstances (filters, paging), Stop/Start/
 * TerminateInstances, DescribeVolumes (ec2-volumes.ts) and Create/Delete/DescribeTags. DryRun is handled by the server.
 */
import { sha256Hex } from '../policy/canonical.js';
import type { Ctx } from './context.js';
import { instanceState, instanceXml, isVanished, vcpus } from './ec2-instances.js';
import { AwsError } from './errors.js';
import { paginate } from './paging.js';
import { flatten, qChild, qItems, qStr, qStrings, type QTree } from './query.js';
import { nameKey, newId, type BlockDeviceRec, type InstanceRec, type MetadataOptionsRec } from './state.js';
import type { XmlValue } from './xml.js';
import { TAG_ACTIONS } from './ec2-tags.js';
import { DescribeVolumes, volumeKmsKey } from './ec2-volumes.js';
import { DescribeImages, findImage, imagesNotFound, ssmImageRoot } from './ec2-images.js';
import { invalidValue, missing, intParam, enumParam, tagsOf, checkEc2Tags, any, invalidToken, tagFilterMatcher, type ResourceFilter } from './ec2-params.js';

export type Ec2Handler = (ctx: Ctx, p: QTree) => { [k: string]: XmlValue };

export function purgeVanished(ctx: Ctx): void {
  for (const [id, i] of Object.entries(ctx.state.instances)) if (isVanished(ctx, i)) delete ctx.state.instances[id];
}

/** The launch's image id and root device (the image's own: registered, or derived for resolve:ssm:). */
function resolveImage(ctx: Ctx, image: string | undefined): { imageId: string; rootDeviceName: string } {
  if (image === undefined || image === '') throw missing('ImageId');
  if (image.startsWith('resolve:ssm:')) {
    const name = image.slice('resolve:ssm:'.length);
    if (!/^\/?[\w.\-/:]+$/.test(name)) throw invalidValue(`Invalid SSM parameter name in '${image}'`);
    return { imageId: 'ami-' + sha256Hex(`${ctx.opts.region}:${name}`).slice(0, 17), rootDeviceName: ssmImageRoot(name) };
  }
  const found = findImage(ctx, image);
  if (!found) throw imagesNotFound([image]);
  return { imageId: found.imageId, rootDeviceName: found.rootDeviceName };
}

export function resolveProfile(ctx: Ctx, p: QTree): { arn: string; id: string } | undefined {
  const node = qChild(p, 'IamInstanceProfile');
  const arn = qStr(node, 'Arn');
  const name = qStr(node, 'Name');
  if (arn === undefined && name === undefined) return undefined;
  const field = arn !== undefined ? 'iamInstanceProfile.arn' : 'iamInstanceProfile.name';
  const given = arn ?? name!;
  const invalid = () => invalidValue(`Value (${given}) for parameter ${field} is invalid. Invalid IAM Instance Profile ${arn !== undefined ? 'ARN' : 'name'}`);
  let profName = name;
  if (arn !== undefined) {
    const m = /^arn:aws[\w-]*:iam::(\d{12}):instance-profile(\/|\/.*\/)([\w+=,.@-]+)$/.exec(arn);
    if (!m || m[1] !== ctx.opts.accountId) throw invalid();
    profName = m[3];
    const pr = ctx.state.profiles[nameKey(profName!)];
    if (pr && pr.path !== m[2]) throw invalid();
    if (name !== undefined && nameKey(name) !== nameKey(profName!)) throw invalid();
  }
  const pr = ctx.state.profiles[nameKey(profName!)];
  // IAM → EC2 is eventually consistent: a new profile (or its role) is invisible for a while.
  if (!pr || ctx.now < pr.createdAt + ctx.opts.propagationDelayMs) throw invalid();
  const visibleRoles = pr.roles.filter((r) => ctx.now >= r.addedAt + ctx.opts.propagationDelayMs);
  if (visibleRoles.length === 0) throw invalidValue(`Value (${given}) for parameter ${field} is invalid. The instance profile ${pr.name} has no associated IAM Roles`);
  return { arn: `arn:aws:iam::${ctx.opts.accountId}:instance-profile${pr.path}${pr.name}`, id: pr.id };
}

const VOLUME_TYPES = ['standard', 'io1', 'io2', 'gp2', 'gp3', 'sc1', 'st1'] as const;
const TAGGABLE = ['instance', 'volume', 'network-interface', 'spot-instances-request', 'elastic-gpu'] as const;

/**
 * The instance's volumes: the mappings given, with the image's root device first. A mapping for
 * the root device overrides the image's root volume; when none names it, the root volume is the
 * image's default (8 GiB, unencrypted) and the other mappings are extra volumes, as in EC2.
 */
function blockDevices(ctx: Ctx, p: QTree, rootDeviceName: string): BlockDeviceRec[] {
  const out: BlockDeviceRec[] = [];
  for (const b of qItems(p, 'BlockDeviceMapping')) {
    const deviceName = qStr(b, 'DeviceName');
    if (!deviceName) throw missing('BlockDeviceMapping.DeviceName');
    if (qStr(b, 'NoDevice') !== undefined) continue;
    const ebs = qChild(b, 'Ebs');
    if (ebs === undefined) continue;
    const volumeType = enumParam(ebs, 'VolumeType', 'volumeType', VOLUME_TYPES, 'gp3');
    const encrypted = qStr(ebs, 'Encrypted') === 'true';
    out.push({
      deviceName,
      volumeId: newId(ctx.state, ctx.opts.accountId, 'vol-', 17, 'hex'),
      volumeSize: intParam(ebs, 'VolumeSize', 'volumeSize', 1, 65536) ?? 8,
      volumeType,
      deleteOnTermination: qStr(ebs, 'DeleteOnTermination') !== 'false',
      encrypted,
      kmsKeyId: volumeKmsKey(ctx, qStr(ebs, 'KmsKeyId'), encrypted),
      iops: intParam(ebs, 'Iops', 'iops', 100, 256000),
      throughput: intParam(ebs, 'Throughput', 'throughput', 125, 2000),
    });
  }
  const rootAt = out.findIndex((b) => b.deviceName === rootDeviceName);
  if (rootAt > 0) out.unshift(...out.splice(rootAt, 1));
  if (rootAt < 0) {
    out.unshift({
      deviceName: rootDeviceName, volumeId: newId(ctx.state, ctx.opts.accountId, 'vol-', 17, 'hex'), volumeSize: 8, volumeType: 'gp3',
      deleteOnTermination: true, encrypted: false,
    });
  }
  return out;
}

function metadataOptions(p: QTree): MetadataOptionsRec {
  const m = qChild(p, 'MetadataOptions');
  return {
    httpTokens: enumParam(m, 'HttpTokens', 'HttpTokens', ['optional', 'required'] as const, 'optional'),
    httpPutResponseHopLimit: intParam(m, 'HttpPutResponseHopLimit', 'HttpPutResponseHopLimit', 1, 64) ?? 1,
    httpEndpoint: enumParam(m, 'HttpEndpoint', 'HttpEndpoint', ['enabled', 'disabled'] as const, 'enabled'),
    httpProtocolIpv6: enumParam(m, 'HttpProtocolIpv6', 'HttpProtocolIpv6', ['enabled', 'disabled'] as const, 'disabled'),
    instanceMetadataTags: enumParam(m, 'InstanceMetadataTags', 'InstanceMetadataTags', ['enabled', 'disabled'] as const, 'disabled'),
  };
}

function userData(p: QTree): string | undefined {
  const ud = qStr(p, 'UserData');
  if (ud === undefined || ud === '') return undefined;
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(ud)) throw invalidValue('Invalid BASE64 encoding of user data.');
  const raw = Buffer.from(ud, 'base64');
  if (raw.length > 16384) throw invalidValue('User data is limited to 16384 bytes');
  return ud;
}

function reservationXml(ctx: Ctx, reservationId: string, instances: InstanceRec[]): { [k: string]: XmlValue } {
  return { reservationId, ownerId: ctx.opts.accountId, groupSet: [], instancesSet: instances.map((i) => instanceXml(ctx, i)) };
}

function reservationInstances(ctx: Ctx, reservationId: string): InstanceRec[] {
  return Object.values(ctx.state.instances).filter((i) => i.reservationId === reservationId).sort((a, b) => a.launchIndex - b.launchIndex);
}

/** Like AWS: launch as many as the vCPU limit allows, at least MinCount, else VcpuLimitExceeded. */
function countWithinVcpuLimit(ctx: Ctx, type: string, minCount: number, maxCount: number): number {
  const limit = ctx.opts.vcpuLimit;
  if (limit === undefined) return maxCount;
  let used = 0;
  for (const i of Object.values(ctx.state.instances)) {
    const st = instanceState(ctx, i).name;
    if (st === 'pending' || st === 'running' || st === 'stopping') used += vcpus(i.instanceType);
  }
  const fit = Math.min(maxCount, Math.floor((limit - used) / vcpus(type)));
  if (fit < minCount) {
    throw new AwsError('VcpuLimitExceeded', `You have requested more vCPU capacity than your current vCPU limit of ${limit} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`, 400);
  }
  return fit;
}

const RunInstances: Ec2Handler = (ctx, p) => {
  const token = qStr(p, 'ClientToken');
  if (token !== undefined && (token.length > 64 || !/^[\x20-\x7e]*$/.test(token))) {
    throw invalidValue(`Value (${token}) for parameter clientToken is invalid. Parameter must be 64 or fewer ASCII characters`);
  }
  const fingerprint = sha256Hex(flatten(Object.fromEntries(Object.entries(p).filter(([k]) => !['Action', 'Version', 'ClientToken', 'DryRun'].includes(k)))).join('&'));
  if (token) {
    const prior = ctx.state.clientTokens[token];
    if (prior) {
      if (prior.fingerprint !== fingerprint) {
        throw new AwsError('IdempotentParameterMismatch', 'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).', 400);
      }
      return reservationXml(ctx, prior.reservationId, reservationInstances(ctx, prior.reservationId));
    }
  }
  const minCount = intParam(p, 'MinCount', 'MinCount', 1, 1000);
  const maxCount = intParam(p, 'MaxCount', 'MaxCount', 1, 1000);
  if (minCount === undefined) throw missing('MinCount');
  if (maxCount === undefined) throw missing('MaxCount');
  if (maxCount < minCount) throw invalidValue(`Value (${maxCount}) for parameter maxCount is invalid. maxCount must be greater than or equal to minCount`);
  const { imageId, rootDeviceName } = resolveImage(ctx, qStr(p, 'ImageId'));
  const instanceType = qStr(p, 'InstanceType') ?? 'm1.small';
  if (!/^[a-z0-9-]+\.[a-z0-9-]+$/.test(instanceType)) throw invalidValue(`Invalid value '${instanceType}' for InstanceType.`);
  const ud = userData(p);
  const metadata = metadataOptions(p);
  const behavior = enumParam(p, 'InstanceInitiatedShutdownBehavior', 'InstanceInitiatedShutdownBehavior', ['stop', 'terminate'] as const, 'stop');
  const specs = qItems(p, 'TagSpecification').map((s) => ({ type: qStr(s, 'ResourceType') ?? '', tags: tagsOf(s) }));
  const types = new Set<string>();
  for (const s of specs) {
    if (!(TAGGABLE as readonly string[]).includes(s.type)) {
      throw invalidValue(`'${s.type}' is not a valid taggable resource type for this operation.`);
    }
    if (types.has(s.type)) throw invalidValue('The same resource type may not be specified more than once in tag specifications');
    types.add(s.type);
    checkEc2Tags(s.tags);
  }
  const instTags = specs.find((s) => s.type === 'instance')?.tags ?? [];
  const volTags = specs.find((s) => s.type === 'volume')?.tags;
  const securityGroups = qStrings(qItems(p, 'SecurityGroupId'));
  for (const g of securityGroups) if (!/^sg-[0-9a-f]+$/.test(g)) throw new AwsError('InvalidGroupId.Malformed', `Invalid id: "${g}" (expecting "sg-...")`, 400);
  const subnetId = qStr(p, 'SubnetId') ?? 'subnet-0a0a0a0a0a0a0a0a0';
  if (!/^subnet-[0-9a-f]+$/.test(subnetId)) throw new AwsError('InvalidSubnetID.Malformed', `Invalid id: "${subnetId}" (expecting "subnet-...")`, 400);
  const profile = resolveProfile(ctx, p);
  if (ctx.opts.insufficientCapacity.some((re) => re.test(instanceType))) {
    throw new AwsError('InsufficientInstanceCapacity', `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${qStr(qChild(p, 'Placement'), 'AvailabilityZone') ?? `${ctx.opts.region}a`}). Our system will be working on provisioning additional capacity.`, 500, 'Receiver');
  }
  const launchCount = countWithinVcpuLimit(ctx, instanceType, minCount, maxCount);
  const az = qStr(qChild(p, 'Placement'), 'AvailabilityZone') ?? `${ctx.opts.region}a`;
  const reservationId = newId(ctx.state, ctx.opts.accountId, 'r-', 17, 'hex');
  const instances: InstanceRec[] = [];
  for (let n = 0; n < launchCount; n++) {
    const devices = blockDevices(ctx, p, rootDeviceName).map((b) => (volTags ? { ...b, tags: volTags.map((t) => ({ ...t })) } : b));
    const id = newId(ctx.state, ctx.opts.accountId, 'i-', 17, 'hex');
    const octet = (ctx.state.counter % 250) + 2;
    const inst: InstanceRec = {
      id, reservationId, imageId, instanceType, launchIndex: n, launchedAt: ctx.now, clientToken: token, keyName: qStr(p, 'KeyName'),
      subnetId, vpcId: 'vpc-0b0b0b0b0b0b0b0b0', privateIp: `10.0.${Math.floor(ctx.state.counter / 250) % 250}.${octet}`, availabilityZone: az,
      securityGroups: securityGroups.length ? securityGroups : ['sg-00000000000000000'], tags: instTags.map((t) => ({ ...t })), metadata,
      blockDevices: devices, profile, userData: ud, shutdownBehavior: behavior,
    };
    ctx.state.instances[id] = inst;
    instances.push(inst);
  }
  if (token) ctx.state.clientTokens[token] = { reservationId, fingerprint, instanceIds: instances.map((i) => i.id) };
  return reservationXml(ctx, reservationId, instances);
};

const INSTANCE_FILTERS: Record<string, ResourceFilter<InstanceRec>> = {
  'instance-state-name': (ctx, i, v) => any(v, instanceState(ctx, i).name),
  'instance-state-code': (ctx, i, v) => any(v, String(instanceState(ctx, i).code)),
  'instance-id': (_c, i, v) => any(v, i.id),
  'client-token': (_c, i, v) => any(v, i.clientToken),
  'reservation-id': (_c, i, v) => any(v, i.reservationId),
  'instance-type': (_c, i, v) => any(v, i.instanceType),
  'image-id': (_c, i, v) => any(v, i.imageId),
  'subnet-id': (_c, i, v) => any(v, i.subnetId),
  'iam-instance-profile.arn': (_c, i, v) => any(v, i.profile?.arn),
};

function checkInstanceIds(ctx: Ctx, ids: string[]): InstanceRec[] {
  for (const id of ids) if (!/^i-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`, 400);
  const missingIds = ids.filter((id) => !ctx.state.instances[id]);
  if (missingIds.length) {
    throw new AwsError('InvalidInstanceID.NotFound', `The instance ID${missingIds.length > 1 ? 's' : ''} '${missingIds.join(', ')}' ${missingIds.length > 1 ? 'do' : 'does'} not exist`, 400);
  }
  return ids.map((id) => ctx.state.instances[id]!);
}

const instanceKey = (i: InstanceRec) => `${String(i.launchedAt).padStart(15, '0')}:${i.reservationId}:${String(i.launchIndex).padStart(4, '0')}`;

const DescribeInstances: Ec2Handler = (ctx, p) => {
  const ids = qStrings(qItems(p, 'InstanceId'));
  const maxResultsRaw = qStr(p, 'MaxResults');
  if (ids.length && maxResultsRaw !== undefined) {
    throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults', 400);
  }
  const matches = tagFilterMatcher(ctx, p, INSTANCE_FILTERS, (i) => i.tags);
  let maxResults = 1000;
  if (maxResultsRaw !== undefined) {
    const n = Number(maxResultsRaw);
    if (!Number.isInteger(n) || n < 5 || n > 1000) throw invalidValue(`Value ( ${maxResultsRaw} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    maxResults = n;
  }
  const base = ids.length ? checkInstanceIds(ctx, ids) : Object.values(ctx.state.instances);
  const matched = base.filter(matches).sort((a, b) => (instanceKey(a) < instanceKey(b) ? -1 : 1));
  const page = paginate(matched, instanceKey, qStr(p, 'NextToken'), maxResults, invalidToken);
  const reservations: Array<{ [k: string]: XmlValue }> = [];
  let current: { id: string; items: InstanceRec[] } | undefined;
  for (const i of page.items) {
    if (!current || current.id !== i.reservationId) {
      if (current) reservations.push(reservationXml(ctx, current.id, current.items));
      current = { id: i.reservationId, items: [] };
    }
    current.items.push(i);
  }
  if (current) reservations.push(reservationXml(ctx, current.id, current.items));
  return { reservationSet: reservations, nextToken: page.next };
};

function stateChange(ctx: Ctx, p: QTree, apply: (i: InstanceRec) => void): { [k: string]: XmlValue } {
  const ids = qStrings(qItems(p, 'InstanceId'));
  if (!ids.length) throw missing('InstanceId');
  const insts = checkInstanceIds(ctx, ids);
  const before = insts.map((i) => instanceState(ctx, i));
  insts.forEach(apply);
  return {
    instancesSet: insts.map((i, n) => {
      const cur = instanceState(ctx, i);
      return { instanceId: i.id, currentState: { code: cur.code, name: cur.name }, previousState: { code: before[n]!.code, name: before[n]!.name } };
    }),
  };
}

const TerminateInstances: Ec2Handler = (ctx, p) =>
  stateChange(ctx, p, (i) => {
    if (i.terminateRequestedAt === undefined) i.terminateRequestedAt = ctx.now;
  });

const StopInstances: Ec2Handler = (ctx, p) => {
  const ids = qStrings(qItems(p, 'InstanceId'));
  for (const i of checkInstanceIds(ctx, ids)) {
    if (i.terminateRequestedAt !== undefined) throw new AwsError('IncorrectInstanceState', `This instance '${i.id}' is not in a state from which it can be stopped.`, 400);
  }
  return stateChange(ctx, p, (i) => {
    if (i.stopRequestedAt === undefined) i.stopRequestedAt = ctx.now;
  });
};

const StartInstances: Ec2Handler = (ctx, p) => {
  const ids = qStrings(qItems(p, 'InstanceId'));
  for (const i of checkInstanceIds(ctx, ids)) {
    const st = instanceState(ctx, i).name;
    if (st !== 'stopped' && st !== 'running' && st !== 'pending') {
      throw new AwsError('IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be started.`, 400);
    }
  }
  return stateChange(ctx, p, (i) => {
    if (i.stopRequestedAt !== undefined) {
      delete i.stopRequestedAt;
      i.launchedAt = ctx.now;
    }
  });
};

export const EC2_ACTIONS: Record<string, Ec2Handler> = {
  RunInstances, DescribeInstances, TerminateInstances, StopInstances, StartInstances, DescribeImages, DescribeVolumes, ...TAG_ACTIONS,
};
