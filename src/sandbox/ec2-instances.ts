/** EC2 instance lifecycle (derived from request times and the clock) and the Instance XML shape. */
import type { Ctx } from './context.js';
import type { InstanceRec } from './state.js';
import type { XmlValue } from './xml.js';

export interface StateName {
  code: number;
  name: 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';
}

const S = {
  pending: { code: 0, name: 'pending' },
  running: { code: 16, name: 'running' },
  'shutting-down': { code: 32, name: 'shutting-down' },
  terminated: { code: 48, name: 'terminated' },
  stopping: { code: 64, name: 'stopping' },
  stopped: { code: 80, name: 'stopped' },
} as const satisfies Record<string, StateName>;

/** pending → running after instanceStartDelayMs; shutting-down → terminated and stopping → stopped likewise. */
export function instanceState(ctx: Ctx, i: InstanceRec): StateName {
  const d = ctx.opts.instanceStartDelayMs;
  if (i.terminateRequestedAt !== undefined) return ctx.now >= i.terminateRequestedAt + d ? S.terminated : S['shutting-down'];
  if (i.stopRequestedAt !== undefined) return ctx.now >= i.stopRequestedAt + d ? S.stopped : S.stopping;
  return ctx.now >= i.launchedAt + d ? S.running : S.pending;
}

/** Terminated instances vanish terminatedRetentionMs after they reach `terminated`. */
export function isVanished(ctx: Ctx, i: InstanceRec): boolean {
  if (i.terminateRequestedAt === undefined) return false;
  return ctx.now >= i.terminateRequestedAt + ctx.opts.instanceStartDelayMs + ctx.opts.terminatedRetentionMs;
}

/**
 * vCPUs of an instance type, from its size (AWS's pattern for current families: large 2, xlarge 4,
 * Nxlarge 4N; nano–medium 2, except t2/t1 nano–small 1; metal 96). An approximation, documented.
 */
export function vcpus(type: string): number {
  const [family = '', size = ''] = type.split('.');
  if (/^t[12]$/.test(family) && /^(nano|micro|small)$/.test(size)) return 1;
  if (/^(nano|micro|small|medium|large)$/.test(size)) return 2;
  if (size === 'xlarge') return 4;
  const m = /^(\d+)xlarge$/.exec(size);
  if (m) return 4 * Number(m[1]);
  if (size.startsWith('metal')) return 96;
  return 2;
}

function architecture(type: string): string {
  return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(type) && !/^(g\d|p\d)/.test(type) ? 'arm64' : 'x86_64';
}

export function instanceXml(ctx: Ctx, i: InstanceRec): XmlValue {
  const st = instanceState(ctx, i);
  const gone = st.name === 'terminated' || st.name === 'shutting-down';
  const transition =
    i.terminateRequestedAt !== undefined ? `User initiated (${new Date(i.terminateRequestedAt).toISOString().slice(0, 19).replace('T', ' ')} GMT)`
    : i.stopRequestedAt !== undefined ? `User initiated (${new Date(i.stopRequestedAt).toISOString().slice(0, 19).replace('T', ' ')} GMT)`
    : '';
  const root = i.blockDevices[0]?.deviceName ?? '/dev/xvda';
  return {
    instanceId: i.id,
    imageId: i.imageId,
    instanceState: { code: st.code, name: st.name },
    privateDnsName: gone ? '' : `ip-${i.privateIp.replace(/\./g, '-')}.${ctx.opts.region === 'us-east-1' ? 'ec2.internal' : `${ctx.opts.region}.compute.internal`}`,
    dnsName: '',
    reason: transition,
    keyName: i.keyName,
    amiLaunchIndex: i.launchIndex,
    productCodes: [],
    instanceType: i.instanceType,
    launchTime: new Date(i.launchedAt),
    placement: { availabilityZone: i.availabilityZone, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: gone ? undefined : i.subnetId,
    vpcId: gone ? undefined : i.vpcId,
    privateIpAddress: gone ? undefined : i.privateIp,
    groupSet: i.securityGroups.map((g) => ({ groupId: g, groupName: g === 'sg-00000000000000000' ? 'default' : g })),
    stateReason: gone ? { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' } : undefined,
    architecture: architecture(i.instanceType),
    rootDeviceType: 'ebs',
    rootDeviceName: root,
    blockDeviceMapping: st.name === 'terminated' ? [] : i.blockDevices.map((b) => ({
      deviceName: b.deviceName,
      ebs: { volumeId: b.volumeId, status: 'attached', attachTime: new Date(i.launchedAt), deleteOnTermination: b.deleteOnTermination },
    })),
    virtualizationType: 'hvm',
    clientToken: i.clientToken ?? '',
    tagSet: i.tags.length ? i.tags.map((t) => ({ key: t.Key, value: t.Value })) : undefined,
    hypervisor: 'xen',
    iamInstanceProfile: i.profile ? { arn: i.profile.arn, id: i.profile.id } : undefined,
    ebsOptimized: false,
    enaSupport: true,
    metadataOptions: {
      state: st.name === 'pending' ? 'pending' : 'applied',
      httpTokens: i.metadata.httpTokens,
      httpPutResponseHopLimit: i.metadata.httpPutResponseHopLimit,
      httpEndpoint: i.metadata.httpEndpoint,
      httpProtocolIpv6: i.metadata.httpProtocolIpv6,
      instanceMetadataTags: i.metadata.instanceMetadataTags,
    },
    stateTransitionReason: transition,
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
  };
}
