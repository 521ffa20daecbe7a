/**
 * Live AWS state as the plan sees it: read once, in bulk, by src/aws/live-state.ts, then passed
 * to the pure planner. Documents are already URL-decoded and parsed.
 */
import type { PolicyDocument } from '../policy/types.js';

export interface LiveRole {
  name: string;
  arn: string;
  path: string;
  roleId?: string;
  description?: string;
  maxSessionDuration?: number;
  /**
   * False when description and maxSessionDuration were not read (ListRoles denied on the bulk path,
   * or the role appeared between GetAccountAuthorizationDetails and ListRoles): the planner then plans
   * no change to them.
   */
  settingsKnown?: boolean;
  permissionsBoundary?: string;
  trust: PolicyDocument;
  /** Inline policy name → document. */
  inline: Record<string, PolicyDocument>;
  /** Attached managed policy ARNs. */
  attached: string[];
  /** Names of instance profiles the role is in. */
  instanceProfiles: string[];
  tags: Record<string, string>;
}

export interface LiveManagedPolicy {
  name: string;
  arn: string;
  path: string;
  defaultVersionId: string;
  /** Default version's document. */
  document: PolicyDocument;
  attachmentCount?: number;
  tags: Record<string, string>;
}

export interface LiveInstanceProfile {
  name: string;
  arn: string;
  path: string;
  roles: string[];
  tags: Record<string, string>;
  /**
   * False when the tags were not read: IAM's list calls (ListInstanceProfiles, and the profiles
   * inside GetAccountAuthorizationDetails) never return them. The planner then treats a profile as
   * charter's when it holds a charter-managed role of the same name, and plans no tag change for it.
   */
  tagsKnown?: boolean;
}

export interface LiveInstance {
  instanceId: string;
  state: 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';
  clientToken?: string;
  instanceType?: string;
  imageId?: string;
  launchTime?: string;
  instanceProfileArn?: string;
  tags: Record<string, string>;
}

export interface LiveState {
  account: string;
  /** ARN of the caller (GetCallerIdentity). */
  callerArn: string;
  region: string;
  partition: string;
  roles: LiveRole[];
  /** Customer-managed (Local) policies. */
  policies: LiveManagedPolicy[];
  instanceProfiles: LiveInstanceProfile[];
  instances: LiveInstance[];
  /** How the state was read, for the plan's notes: "gaad" or "per-resource". */
  readMode: 'gaad' | 'per-resource';
  /** API calls spent reading. */
  readCalls: number;
  /** Calls per "service:Action". */
  readCallsByAction?: Record<string, number>;
  /** Why the mode was chosen, fallbacks taken, limits of what was read. */
  notes?: string[];
}

/** The live role a compiled role corresponds to (src/plan/counterparts.ts computes the match). */
export interface RoleCounterpart {
  live: LiveRole;
  /** `same-name`: the role itself (updated in place); `previous-generation`: a generated name's predecessor. */
  how: 'same-name' | 'previous-generation';
}

/** The match of a bundle's roles and customer-managed policies to live ones. */
export interface Counterparts {
  /** By role address (role.<service>); absent when nothing live corresponds. */
  roles: ReadonlyMap<string, RoleCounterpart>;
  /** By policy address (policy.<service>.<n>); absent when no live policy has its ARN. */
  policies: ReadonlyMap<string, LiveManagedPolicy>;
}

/**
 * What a fingerprint is of, typed: the reader, the fingerprinter and the stale check decide from
 * these fields, never from the key. A policy's ARN may hold "{accountId}" (a spec policy planned
 * before the account was known); its name is the ARN's last segment.
 */
export type FingerprintTarget =
  | { kind: 'role'; name: string }
  | { kind: 'profile'; name: string }
  | { kind: 'policy'; name: string; arn: string }
  | { kind: 'instances'; group: string };

/** A fingerprint of a live resource the plan read: apply re-reads and compares. */
export interface Fingerprint {
  /** The target as one string, for display and ordering (fingerprintKey): "role:NAME", "profile:NAME", "policy:ARN", "instances:GROUP". */
  key: string;
  target: FingerprintTarget;
  /** sha256 of the canonical live content, or "absent". */
  hash: string;
  /** A role whose description and max session duration the read did not have: they are not in the hash. */
  settings?: false;
}
