/**
 * The Bundle: the compiler's output and the input of lint, plan and apply. Plain JSON-able data,
 * deterministic for a given spec (no clock, no randomness). Every entity carries the spec position
 * that produced it, so later stages can point findings and plan entries at the right line.
 */
import type { SourcePos } from '../diagnostics.js';
import type { PolicyDocument } from '../policy/types.js';

/** Placeholder in user-data and agent config replaced at apply time with the RFC 3339 expiry. */
export const EXPIRES_AT_PLACEHOLDER = '@@CHARTER_EXPIRES_AT@@';

/** Where each statement of a document came from (parallel to document.Statement). */
export interface StatementOrigin {
  /** Spec (or policy file) positions that contributed to this statement; first is the primary one. */
  pos: SourcePos[];
  /** e.g. "builtin s3:ReadOnly", "template bucket-read", "statements[2]", "file policy.json". */
  from: string[];
}

export interface CompiledDocument {
  /** Canonical document (src/policy/canonical.ts). */
  document: PolicyDocument;
  /** sha256 hex of the canonical JSON bytes. */
  hash: string;
  /** Non-whitespace characters, as IAM counts them. */
  size: number;
  origins: StatementOrigin[];
}

export interface InlinePolicy extends CompiledDocument {
  /** Inline policy name on the role. */
  name: string;
}

export interface ManagedPolicyAttachment {
  /** "aws": an AWS managed or pre-existing ARN from the spec; "customer": created by charter (see Bundle.managedPolicies). */
  kind: 'aws' | 'customer';
  /** Full ARN. For kind "customer" it may hold the {accountId} placeholder when the account is unknown at compile. */
  arn: string;
  /** For kind "customer": the address of the ManagedPolicy in the bundle. */
  policyAddress?: string;
  pos: SourcePos;
}

export type RoleNaming = 'explicit' | 'stable' | 'content';

export interface Role {
  /** Stable plan address: "role.<service>". */
  address: string;
  service: string;
  name: string;
  /**
   * How the name was chosen: `explicit` (the spec's `name`), `stable` ({prefix}-{spec}-{service}),
   * both updated in place across edits; `content` ({prefix}-{service}-{hash8}): a new role whenever
   * the content changes.
   */
  naming: RoleNaming;
  path: string;
  description?: string;
  maxSessionDuration?: number;
  permissionsBoundary?: string;
  trust: CompiledDocument;
  inline: InlinePolicy[];
  managed: ManagedPolicyAttachment[];
  /** Every tag the role carries, managed tags included, sorted by key. */
  tags: Record<string, string>;
  /** Role content hash: sha256 over trust, inline, managed ARNs, boundary, path, session duration. */
  hash: string;
  /** Whether a launch group uses it (then an instance profile of the same name exists). */
  needsInstanceProfile: boolean;
  pos: SourcePos;
}

/** A customer-managed policy charter creates (when inline policies overflow 10,240 chars). */
export interface ManagedPolicy extends CompiledDocument {
  /** "policy.<service>.<n>" */
  address: string;
  roleAddress: string;
  name: string;
  path: string;
  tags: Record<string, string>;
  pos: SourcePos;
}

export interface InstanceProfile {
  /** "profile.<service>" */
  address: string;
  roleAddress: string;
  name: string;
  roleName: string;
  path: string;
  tags: Record<string, string>;
  pos: SourcePos;
}

export interface LaunchGroup {
  /** "launch.<group>" */
  address: string;
  group: string;
  service: string;
  roleAddress: string;
  instanceProfileName: string;
  count: number;
  /**
   * The RunInstances input for ONE instance (MinCount = MaxCount = 1), in the EC2 SDK's
   * RunInstancesCommandInput shape, minus ClientToken and UserData (apply adds both). Its
   * TagSpecifications hold every tag except {prefix}:expires-at, which apply adds at launch.
   */
  runInstances: Record<string, unknown>;
  /** Raw user-data script (not base64), containing EXPIRES_AT_PLACEHOLDER where the expiry goes. */
  userData: string;
  userDataSize: number;
  ttlSeconds?: number;
  idleTimeoutSeconds?: number;
  /**
   * Set when the image is an `ami-…` id and the spec gave no volume.deviceName: the root mapping's
   * DeviceName in runInstances is a guess, and apply sends the image's RootDeviceName instead
   * (ec2:DescribeImages), so the encrypted mapping replaces the root volume rather than adding one.
   */
  rootDeviceFromImage?: true;
  /** Tags on the instances and volumes (without expires-at), sorted by key. */
  tags: Record<string, string>;
  /** sha256 over runInstances + userData + onChange: everything about the launch (bundle identity). */
  hash: string;
  /**
   * sha256 over the launch configuration without the lifetime values (the ttl and idle-timeout tag
   * values and the agent config's seconds): its first 8 hex digits are the instances' {prefix}:hash
   * tag. A change means the running instances are outdated (onChange decides what happens to them);
   * a TTL or idle-timeout change alone is a tag update in place.
   */
  configHash: string;
  /** What happens to running instances when configHash changes (spec instances.<group>.onChange). */
  onChange: 'replace' | 'keep';
  /** What one launch looks like, as typed data for the plan (from the same values as runInstances). */
  config: LaunchConfig;
  pos: SourcePos;
}

/** The launch configuration of a group as the plan shows it (never the user-data text). */
export interface LaunchConfig {
  instanceType: string;
  image: string;
  /** false: On-Demand. */
  spot: false | { maxPrice?: string };
  subnet?: string;
  securityGroups: string[];
  publicIp: boolean;
  keyName?: string;
  imds: { httpTokens: 'required'; hopLimit: number; instanceMetadataTags: boolean };
  rootVolume: {
    /** The device name sent; with deviceNameFromImage, apply sends the image's RootDeviceName instead. */
    deviceName: string;
    deviceNameFromImage: boolean;
    encrypted: boolean;
    kmsKey?: string;
    sizeGiB?: number;
    type?: string;
  };
  /** The spec's ttl (e.g. "12h"): expires-at = launch time + ttl, set by apply. */
  ttl?: string;
  idleTimeout?: string;
  /** Shutdown from inside the instance terminates it (set with a ttl or idle timeout). */
  shutdownTerminates: boolean;
  /** The compiled user-data (expires-at still a placeholder): size in bytes and sha256, never its text. */
  userData: { bytes: number; sha256: string };
}

export interface Bundle {
  /** Bundle format version. */
  formatVersion: 1;
  specName: string;
  specPath: string;
  /** sha256 of the spec file bytes. */
  specHash: string;
  prefix: string;
  region: string;
  partition: string;
  account?: string;
  roles: Role[];
  managedPolicies: ManagedPolicy[];
  instanceProfiles: InstanceProfile[];
  launches: LaunchGroup[];
  /** sha256 over every document hash and launch hash, in address order. */
  hash: string;
}

/** Tag keys charter writes, for a prefix. */
export function managedTagKeys(prefix: string) {
  return {
    managed: `${prefix}:managed`,
    spec: `${prefix}:spec`,
    hash: `${prefix}:hash`,
    ttl: `${prefix}:ttl`,
    expiresAt: `${prefix}:expires-at`,
    idleTimeout: `${prefix}:idle-timeout`,
    createdBy: `${prefix}:created-by`,
    group: `${prefix}:group`,
    service: `${prefix}:service`,
  } as const;
}
