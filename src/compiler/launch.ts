/**
 * Launch plans: per instance group, the RunInstances input for ONE instance (EC2 SDK
 * RunInstancesCommandInput shape, without ClientToken and UserData, which apply adds) and the raw
 * user-data (agent + the user's own script). Deterministic: no clock, no randomness; the expiry is
 * EXPIRES_AT_PLACEHOLDER in the user-data and the expires-at tag is added by apply.
 *
 * Problems are collected (with spec positions) and returned, never thrown.
 */
import type { InputProblem, SourcePos } from '../diagnostics.js';
import { canonicalJson, sha256Hex } from '../policy/canonical.js';
import type { InstanceSpec, LoadedSpec } from '../spec/types.js';
import { referencedFile } from '../spec/referenced-files.js';
import { pointer, positionOf } from '../spec/yaml.js';
import { renderUserData, type Arch, type AgentConfig } from './agent.js';
import { DEFAULT_IDLE_LOAD } from './agent-script.js';
import { hasNul } from './shell.js';
import { CREATED_BY, MAX_TAGS } from './tags.js';
import { sortedTags } from '../policy/tags.js';
import { managedTagKeys, type LaunchGroup, type Role } from './types.js';

/** EC2 user data limit, raw bytes before base64. */
export const MAX_USER_DATA_BYTES = 16_384;
const DEFAULT_PREFIX = 'charter';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Tag keys EC2 accepts when instance metadata tags are on (and not ".", ".." or "_index"). */
const IMDS_TAG_KEY = /^(?!\.{1,2}$|_index$)[A-Za-z0-9+\-=.,_:@]+$/;

/** The agent config without its lifetime values (for the configuration hash). */
function withoutLifetime(c: AgentConfig): AgentConfig {
  const { ttlSeconds: _t, idleSeconds: _i, ...rest } = c;
  return rest;
}

/** "90s", "30m", "12h", "7d", "1h30m" → seconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+[smhd])+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+)([smhd])/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Architecture of an instance type: Graviton families (a1, *g, *gd, *gn, ...) are arm64. */
export function archOfInstanceType(type: string): Arch {
  const family = type.split('.')[0] ?? '';
  return family === 'a1' || /^[a-z]+\d+g[a-z]*$/.test(family) ? 'arm64' : 'amd64';
}

/**
 * Root device name: the spec's volume.deviceName, else a guess from the image string (/dev/sda1
 * for Ubuntu/Debian-style names, else /dev/xvda as on Amazon Linux). For an `ami-…` id the guess is
 * only a placeholder: apply replaces it with the image's RootDeviceName (ec2:DescribeImages), see
 * LaunchGroup.rootDeviceFromImage. For `resolve:ssm:` images the guess is what is sent.
 */
function rootDeviceName(inst: InstanceSpec): string {
  if (inst.volume?.deviceName) return inst.volume.deviceName;
  return /ubuntu|canonical|debian/i.test(inst.image) ? '/dev/sda1' : '/dev/xvda';
}

/** Deep copy with object keys sorted, for hashing. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.keys(tags).map((k) => ({ Key: k, Value: tags[k]! }));
}

/** The user's own user-data: file (relative to the spec) or inline script. */
function userScriptOf(loaded: LoadedSpec, group: string, inst: InstanceSpec, problem: (pos: SourcePos, message: string, hint?: string) => void, at: (...s: Array<string | number>) => SourcePos): string | undefined {
  if (inst.userData !== undefined && inst.userDataScript !== undefined) {
    problem(at('instances', group, 'userDataScript'), 'give either userData (a file) or userDataScript (inline), not both');
    return undefined;
  }
  if (inst.userDataScript !== undefined) return inst.userDataScript;
  if (inst.userData === undefined) return undefined;
  // Read once, when the spec was loaded (src/spec/referenced-files.ts).
  const { file } = referencedFile(loaded, inst.userData);
  if (file.kind === 'file' || file.kind === 'too-large') {
    if (file.size > MAX_USER_DATA_BYTES) {
      problem(at('instances', group, 'userData'), `user-data file "${inst.userData}" is ${file.size.toLocaleString('en-US')} bytes; limit ${MAX_USER_DATA_BYTES.toLocaleString('en-US')}`, 'move bulk into a file the script downloads');
      return undefined;
    }
    if (file.kind === 'file') return file.text;
  }
  const code = file.kind === 'unreadable' ? file.code : 'EISDIR';
  problem(at('instances', group, 'userData'), `cannot read user-data file "${inst.userData}" (${code})`, 'the path is relative to the spec file');
  return undefined;
}

export function compileLaunchGroups(loaded: LoadedSpec, roles: ReadonlyMap<string, Role>): { launches: LaunchGroup[]; problems: InputProblem[] } {
  const spec = loaded.spec;
  const y = loaded.yaml;
  const problems: InputProblem[] = [];
  const at = (...s: Array<string | number>): SourcePos => positionOf(y, pointer(...s));
  const keyAt = (...s: Array<string | number>): SourcePos => positionOf(y, pointer(...s), 'key');
  const problem = (pos: SourcePos, message: string, hint?: string): void => {
    problems.push(hint ? { pos, message, hint } : { pos, message });
  };
  const prefix = spec.prefix ?? DEFAULT_PREFIX;
  const keys = managedTagKeys(prefix);
  const agent = spec.agent ?? { mode: 'builtin' as const };
  const agentPos = spec.agent ? keyAt('agent') : { file: y.file, line: 1, col: 1 };
  const launches: LaunchGroup[] = [];
  /** Binary mode: groups needing a pin that is missing, per arch (one problem per arch). */
  const missingPins = new Map<Arch, string[]>();

  for (const group of Object.keys(spec.instances ?? {}).sort()) {
    const inst = spec.instances![group]!;
    const pos = keyAt('instances', group);
    const before = problems.length;

    const role = roles.get(inst.service);
    if (!role) problem(at('instances', group, 'service'), `no role was compiled for service "${inst.service}"`);

    let ttlSeconds: number | undefined;
    let idleSeconds: number | undefined;
    for (const [key, label] of [['ttl', 'ttl'], ['idleTimeout', 'idle timeout']] as const) {
      const text = inst[key];
      if (text === undefined) continue;
      const secs = parseDuration(text);
      if (secs === undefined || secs <= 0) {
        problem(at('instances', group, key), `${label} "${text}" is not a positive duration`, 'use e.g. 90s, 30m, 12h, 7d or 1h30m');
        continue;
      }
      if (key === 'ttl') ttlSeconds = secs;
      else idleSeconds = secs;
    }
    const lifetime = ttlSeconds !== undefined || idleSeconds !== undefined;
    // The agent reads its deadline and idle timeout from the instance's own tags (IMDS), so a TTL
    // change is a tag update, not a relaunch.
    const tagsInMetadata = lifetime && agent.mode !== 'none';

    // --- tags: spec tags, instance tags (later wins), then the managed tags
    const tags: Record<string, string> = {};
    for (const [layer, path] of [[spec.tags, ['tags']], [inst.tags, ['instances', group, 'tags']]] as const) {
      for (const [k, v] of Object.entries(layer ?? {})) {
        if (k.startsWith(`${prefix}:`) || k.toLowerCase().startsWith('aws:')) {
          problem(keyAt(...path, k), `tag key "${k}" is reserved`, `keys starting with "${prefix}:" are charter's own; "aws:" keys belong to AWS`);
          continue;
        }
        if (tagsInMetadata && !IMDS_TAG_KEY.test(k)) {
          problem(keyAt(...path, k), `tag key "${k}" cannot be read through instance metadata, which the agent of "${group}" uses for its deadline`, 'EC2 allows only letters, digits and + - = . , _ : @ in tag keys when instance metadata tags are on; rename the key');
          continue;
        }
        tags[k] = v;
      }
    }
    if (tags.Name === undefined) tags.Name = `${spec.name}-${group}`;
    tags[keys.managed] = 'true';
    tags[keys.spec] = spec.name;
    tags[keys.createdBy] = CREATED_BY;
    tags[keys.group] = group;
    tags[keys.service] = inst.service;
    if (ttlSeconds !== undefined) tags[keys.ttl] = inst.ttl!;
    if (idleSeconds !== undefined) tags[keys.idleTimeout] = inst.idleTimeout!;
    // + the hash tag here, and at apply {prefix}:index and (with a ttl) {prefix}:expires-at
    const tagCount = Object.keys(tags).length + 2 + (ttlSeconds !== undefined ? 1 : 0);
    if (tagCount > MAX_TAGS) problem(pos, `instances of "${group}" would carry ${tagCount} tags; EC2 allows ${MAX_TAGS}`, 'remove some spec or instance tags');

    // --- the RunInstances input
    const vol = inst.volume ?? {};
    const encrypted = vol.encrypted ?? true;
    if (!encrypted && vol.kmsKey !== undefined) problem(at('instances', group, 'volume', 'kmsKey'), 'kmsKey is given but the volume is not encrypted', 'remove encrypted: false');
    const ebs: Record<string, unknown> = { DeleteOnTermination: true, Encrypted: encrypted };
    if (encrypted && vol.kmsKey !== undefined) ebs.KmsKeyId = vol.kmsKey;
    if (vol.size !== undefined) ebs.VolumeSize = vol.size;
    if (vol.type !== undefined) ebs.VolumeType = vol.type;

    const nic: Record<string, unknown> = { DeviceIndex: 0, AssociatePublicIpAddress: inst.publicIp === true, DeleteOnTermination: true };
    if (inst.subnet !== undefined) nic.SubnetId = inst.subnet;
    // Ids only: the loader refused anything else (a name under securityGroups: with its own sentence).
    const groups = inst.securityGroups ?? [];
    if (groups.length) nic.Groups = [...new Set(groups)].sort();

    const ri: Record<string, unknown> = {
      ImageId: inst.image,
      InstanceType: inst.type,
      MinCount: 1,
      MaxCount: 1,
      IamInstanceProfile: { Name: role?.name ?? '' },
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: inst.containers === true ? 2 : 1, ...(tagsInMetadata ? { InstanceMetadataTags: 'enabled' } : {}) },
      BlockDeviceMappings: [{ DeviceName: rootDeviceName(inst), Ebs: ebs }],
      NetworkInterfaces: [nic],
    };
    if (lifetime) ri.InstanceInitiatedShutdownBehavior = 'terminate';
    if (inst.spot !== undefined && inst.spot !== false) {
      const spot: Record<string, unknown> = { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' };
      if (typeof inst.spot === 'object' && inst.spot.maxPrice !== undefined) spot.MaxPrice = inst.spot.maxPrice;
      ri.InstanceMarketOptions = { MarketType: 'spot', SpotOptions: spot };
    }
    if (inst.keyName !== undefined) ri.KeyName = inst.keyName;

    // --- user-data
    const userScript = userScriptOf(loaded, group, inst, problem, at);
    const userDataPos = inst.userData !== undefined ? at('instances', group, 'userData') : inst.userDataScript !== undefined ? at('instances', group, 'userDataScript') : pos;
    if (userScript !== undefined && hasNul(userScript)) problem(userDataPos, 'user-data contains a NUL byte', 'user-data is a text script');
    const withAgent = agent.mode === 'binary' || (agent.mode === 'builtin' && lifetime);
    if (withAgent && userScript !== undefined && /^(#cloud-config|#include|#cloud-boothook|#part-handler|Content-Type:)/i.test(userScript.trimStart())) {
      problem(userDataPos, 'user-data is cloud-init config or MIME, which cannot run after the agent setup script', 'give a script (#!/bin/bash ...), or set agent.mode: none to pass it through unchanged');
    }
    let userData = userScript ?? '';
    /** The user-data without the lifetime values, for the configuration hash. */
    let userDataShape = userData;
    let skip = false;
    if (withAgent) {
      const config: AgentConfig = {
        spec: spec.name,
        group,
        service: inst.service,
        prefix,
        label: tags.Name,
        ttlSeconds,
        idleSeconds,
        idleLoad: agent.idleLoad ?? DEFAULT_IDLE_LOAD,
      };
      for (const [k, v] of Object.entries(config)) {
        if (typeof v === 'string' && hasNul(v)) problem(pos, `${k} contains a NUL byte, which cannot be written to the agent config`);
      }
      if (agent.mode === 'binary') {
        const arch: Arch = inst.arch ?? (/arm64|aarch64/.test(inst.image) ? 'arm64' : archOfInstanceType(inst.type));
        const sha = agent.sha256?.[arch];
        if (!agent.url) problem(agentPos, 'agent mode "binary" needs url', 'the https URL of the agent binary; {arch} is replaced by amd64 or arm64');
        if (!sha) {
          skip = true;
          const list = missingPins.get(arch) ?? [];
          list.push(`${group} (${inst.type})`);
          missingPins.set(arch, list);
        }
        if (agent.url && sha) {
          const binary = { url: agent.url.replaceAll('{arch}', arch), sha256: sha, arch };
          userData = renderUserData({ mode: 'binary', config, binary, userScript });
          userDataShape = renderUserData({ mode: 'binary', config: withoutLifetime(config), binary, userScript });
        }
      } else {
        userData = renderUserData({ mode: 'builtin', config, userScript });
        userDataShape = renderUserData({ mode: 'builtin', config: withoutLifetime(config), userScript });
      }
    }
    const userDataSize = Buffer.byteLength(userData, 'utf8');
    if (userDataSize > MAX_USER_DATA_BYTES) {
      problem(userDataPos, `user-data is ${userDataSize.toLocaleString('en-US')} bytes; limit ${MAX_USER_DATA_BYTES.toLocaleString('en-US')}`, withAgent ? `the agent setup takes ${(userDataSize - Buffer.byteLength(userScript ?? '', 'utf8')).toLocaleString('en-US')} bytes; move bulk into a file the script downloads` : 'move bulk into a file the script downloads');
    }

    if (skip || problems.length > before) continue;

    // --- hash over the input without its own hash tag, then the hash tag goes in
    const withoutHash = sortedTags(tags);
    const tagSpecs = (t: Record<string, string>) => [
      { ResourceType: 'instance', Tags: tagList(t) },
      { ResourceType: 'volume', Tags: tagList(t) },
    ];
    const onChange = inst.onChange ?? 'replace';
    const hash = sha256Hex(canonicalJson(sortKeys({ runInstances: { ...ri, TagSpecifications: tagSpecs(withoutHash) }, userData, onChange })));
    const { [keys.ttl]: _ttl, [keys.idleTimeout]: _idle, ...shapeTags } = withoutHash;
    const configHash = sha256Hex(canonicalJson(sortKeys({ runInstances: { ...ri, TagSpecifications: tagSpecs(shapeTags) }, userData: userDataShape })));
    const finalTags = sortedTags({ ...tags, [keys.hash]: configHash.slice(0, 8) });
    ri.TagSpecifications = tagSpecs(finalTags);

    const launch: LaunchGroup = {
      address: `launch.${group}`,
      group,
      service: inst.service,
      roleAddress: role!.address,
      instanceProfileName: role!.name,
      count: inst.count ?? 1,
      runInstances: ri,
      userData,
      userDataSize,
      tags: finalTags,
      hash,
      configHash,
      onChange,
      config: {
        instanceType: inst.type,
        image: inst.image,
        spot: inst.spot !== undefined && inst.spot !== false ? (typeof inst.spot === 'object' && inst.spot.maxPrice !== undefined ? { maxPrice: inst.spot.maxPrice } : {}) : false,
        ...(inst.subnet !== undefined ? { subnet: inst.subnet } : {}),
        securityGroups: groups.length ? [...new Set(groups)].sort() : [],
        publicIp: inst.publicIp === true,
        ...(inst.keyName !== undefined ? { keyName: inst.keyName } : {}),
        imds: { httpTokens: 'required', hopLimit: inst.containers === true ? 2 : 1, instanceMetadataTags: tagsInMetadata },
        rootVolume: {
          deviceName: rootDeviceName(inst),
          deviceNameFromImage: vol.deviceName === undefined && /^ami-/.test(inst.image),
          encrypted,
          ...(encrypted && vol.kmsKey !== undefined ? { kmsKey: vol.kmsKey } : {}),
          ...(vol.size !== undefined ? { sizeGiB: vol.size } : {}),
          ...(vol.type !== undefined ? { type: vol.type } : {}),
        },
        ...(ttlSeconds !== undefined ? { ttl: inst.ttl! } : {}),
        ...(idleSeconds !== undefined ? { idleTimeout: inst.idleTimeout! } : {}),
        shutdownTerminates: lifetime,
        userData: { bytes: userDataSize, sha256: sha256Hex(userData) },
      },
      pos,
    };
    if (ttlSeconds !== undefined) launch.ttlSeconds = ttlSeconds;
    if (vol.deviceName === undefined && /^ami-/.test(inst.image)) launch.rootDeviceFromImage = true;
    if (idleSeconds !== undefined) launch.idleTimeoutSeconds = idleSeconds;
    launches.push(launch);
  }

  for (const [arch, groups] of [...missingPins].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    problem(agentPos, `agent mode "binary" has no pinned sha256 for ${arch}, used by ${groups.join(', ')}`, `add agent.sha256.${arch}: the checksum you verified yourself (a .sha256 file next to the binary proves nothing)`);
  }
  return { launches, problems };
}
