/**
 * The sandbox's world: IAM roles, managed policies, instance profiles, EC2 instances and client
 * tokens. Plain JSON so it persists as-is (stateFile: loaded at start, saved atomically after every
 * write). Timestamps are epoch milliseconds.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sha256Hex } from '../policy/canonical.js';

export interface TagRec {
  Key: string;
  Value: string;
}

export interface RoleRec {
  name: string;
  path: string;
  id: string;
  createdAt: number;
  /** Trust policy exactly as sent (returned URL-encoded). */
  trust: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: TagRec[];
  /** Inline policies: name → document as sent, in insertion order. */
  inline: Array<{ name: string; doc: string }>;
  /** Attached managed policy ARNs, in attach order. */
  attached: string[];
}

export interface PolicyVersionRec {
  id: string;
  doc: string;
  createdAt: number;
}

export interface ManagedPolicyRec {
  name: string;
  path: string;
  id: string;
  arn: string;
  createdAt: number;
  updatedAt: number;
  description?: string;
  defaultVersion: string;
  nextVersion: number;
  versions: PolicyVersionRec[];
  tags: TagRec[];
}

export interface ProfileRec {
  name: string;
  path: string;
  id: string;
  createdAt: number;
  roles: Array<{ name: string; addedAt: number }>;
  tags: TagRec[];
}

export interface BlockDeviceRec {
  deviceName: string;
  volumeId: string;
  volumeSize: number;
  volumeType: string;
  deleteOnTermination: boolean;
  encrypted: boolean;
  /** The KMS key ARN an encrypted volume uses (the account's aws/ebs key when none was given). */
  kmsKeyId?: string;
  iops?: number;
  throughput?: number;
  /** Volume tags (TagSpecifications ResourceType=volume, CreateTags on vol-…). */
  tags?: TagRec[];
}

export interface MetadataOptionsRec {
  httpTokens: string;
  httpPutResponseHopLimit: number;
  httpEndpoint: string;
  httpProtocolIpv6: string;
  instanceMetadataTags: string;
}

export interface InstanceRec {
  id: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  launchIndex: number;
  launchedAt: number;
  clientToken?: string;
  keyName?: string;
  subnetId: string;
  vpcId: string;
  privateIp: string;
  availabilityZone: string;
  securityGroups: string[];
  tags: TagRec[];
  metadata: MetadataOptionsRec;
  blockDevices: BlockDeviceRec[];
  profile?: { arn: string; id: string };
  userData?: string;
  shutdownBehavior: string;
  /** Lifecycle events: the state is derived from these and the clock. */
  stopRequestedAt?: number;
  terminateRequestedAt?: number;
}

export interface ClientTokenRec {
  reservationId: string;
  fingerprint: string;
  instanceIds: string[];
}

/** A finding a test registered for Access Analyzer (see access-analyzer.ts). */
export interface RegisteredFinding {
  /** Applies when the policy document contains this substring (all policies when absent). */
  match?: string;
  /** Applies only to this policyType (IDENTITY_POLICY, RESOURCE_POLICY, ...), when set. */
  policyType?: string;
  findingType: string;
  issueCode: string;
  findingDetails: string;
  learnMoreLink?: string;
  /** JSON path into the document, e.g. ["Statement", 0, "Action", 1]; default: the whole document. */
  path?: Array<string | number>;
}

export interface SandboxState {
  version: 1;
  /** Monotonic counter for deterministic ids. */
  counter: number;
  roles: Record<string, RoleRec>;
  policies: Record<string, ManagedPolicyRec>;
  profiles: Record<string, ProfileRec>;
  instances: Record<string, InstanceRec>;
  clientTokens: Record<string, ClientTokenRec>;
  findings: RegisteredFinding[];
}

/** A record without a prototype, so user-chosen keys (`constructor`, `__proto__`) are plain keys. */
export function dict<T>(from?: Record<string, T>): Record<string, T> {
  const d = Object.create(null) as Record<string, T>;
  if (from) for (const k of Object.keys(from)) Object.defineProperty(d, k, { value: from[k], enumerable: true, writable: true, configurable: true });
  return d;
}

export function emptyState(): SandboxState {
  return { version: 1, counter: 0, roles: dict(), policies: dict(), profiles: dict(), instances: dict(), clientTokens: dict(), findings: [] };
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A deterministic id: prefix + `len` characters derived from the counter (upper base32 or hex). */
export function newId(s: SandboxState, salt: string, prefix: string, len: number, alphabet: 'upper' | 'hex'): string {
  s.counter++;
  const h = sha256Hex(`${salt}:${prefix}:${s.counter}`);
  if (alphabet === 'hex') return prefix + h.slice(0, len);
  let out = '';
  for (let i = 0; i < len; i++) out += UPPER[parseInt(h.slice(i * 2, i * 2 + 2), 16) % 32];
  return prefix + out;
}

/** IAM names are unique case-insensitively. */
export const nameKey = (name: string): string => name.toLowerCase();

export class StateFileError extends Error {
  constructor(file: string, why: string) {
    super(`sandbox state file ${file} is unusable: ${why} (move it aside or delete it to start with an empty sandbox)`);
    this.name = 'StateFileError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkEntries(file: string, what: string, rec: Record<string, unknown>, fields: Record<string, 'string' | 'number' | 'array' | 'object'>): void {
  for (const [key, v] of Object.entries(rec)) {
    if (!isRecord(v)) throw new StateFileError(file, `${what}["${key}"] is not an object`);
    for (const [f, kind] of Object.entries(fields)) {
      const x = v[f];
      const ok = kind === 'array' ? Array.isArray(x) : kind === 'object' ? isRecord(x) : typeof x === kind;
      if (!ok) throw new StateFileError(file, `${what}["${key}"].${f} is missing or not a${kind === 'array' || kind === 'object' ? 'n' : ''} ${kind}`);
    }
  }
}

/** Load a state file; a missing file is an empty world, a corrupt one is an error (never reset). */
export function loadState(file: string): SandboxState {
  if (!existsSync(file)) return emptyState();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new StateFileError(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(parsed)) throw new StateFileError(file, 'not a JSON object');
  if (parsed.version !== 1) throw new StateFileError(file, `unknown version ${JSON.stringify(parsed.version)} (expected 1)`);
  for (const k of ['roles', 'policies', 'profiles', 'instances', 'clientTokens'] as const) {
    if (!isRecord(parsed[k])) throw new StateFileError(file, `"${k}" is missing or not an object`);
  }
  if (typeof parsed.counter !== 'number') throw new StateFileError(file, '"counter" is missing or not a number');
  const st = parsed as unknown as SandboxState;
  checkEntries(file, 'roles', parsed.roles as Record<string, unknown>, { name: 'string', path: 'string', id: 'string', trust: 'string', createdAt: 'number', tags: 'array', inline: 'array', attached: 'array' });
  checkEntries(file, 'policies', parsed.policies as Record<string, unknown>, { name: 'string', arn: 'string', id: 'string', defaultVersion: 'string', versions: 'array', tags: 'array' });
  checkEntries(file, 'profiles', parsed.profiles as Record<string, unknown>, { name: 'string', path: 'string', id: 'string', createdAt: 'number', roles: 'array', tags: 'array' });
  checkEntries(file, 'instances', parsed.instances as Record<string, unknown>, { id: 'string', reservationId: 'string', launchedAt: 'number', tags: 'array', blockDevices: 'array', metadata: 'object' });
  checkEntries(file, 'clientTokens', parsed.clientTokens as Record<string, unknown>, { reservationId: 'string', fingerprint: 'string', instanceIds: 'array' });
  return {
    version: 1, counter: st.counter, roles: dict(st.roles), policies: dict(st.policies), profiles: dict(st.profiles), instances: dict(st.instances),
    clientTokens: dict(st.clientTokens), findings: Array.isArray(st.findings) ? st.findings : [],
  };
}

/** Atomic save: write a temp file beside the target, then rename over it. */
export function saveState(file: string, s: SandboxState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s));
  renameSync(tmp, file);
}
