/**
 * The plan: what apply will do, as data. Produced by the pure planner (src/plan/plan.ts) from a
 * Bundle and a LiveState, saved as JSON (schemas/plan.schema.json), executed by apply. A plan never
 * holds a secret: apply takes user-data from recompiling the spec, whose hash the plan pins.
 */
import type { SourcePos } from '../diagnostics.js';
import type { Fingerprint } from '../policy/live-types.js';
import type { PolicyDocument, PolicyStatement } from '../policy/types.js';
import type { LaunchConfig } from '../compiler/types.js';
import type { Reason } from './reasons.js';

export type { Reason };

export type { Fingerprint };

/** 5: each fingerprint carries its typed target (the key is only its display form). */
export const PLAN_FORMAT_VERSION = 5;

export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

export type ResourceKind =
  | 'role'
  | 'inline-policy'
  | 'managed-policy'
  | 'policy-attachment'
  | 'instance-profile'
  | 'role-in-profile'
  | 'instances';

export type Broadening = 'broadening' | 'narrowing' | 'neutral' | 'mixed';

/**
 * One line of what a change widens or narrows. The formatters render `sign text` and colour it by
 * `direction`, never by the sign: an added Deny or an added permissions boundary is a `+` that narrows.
 */
export interface BroadeningDetail {
  /** Added, removed, or changed. */
  sign: '+' | '-' | '~';
  /** What, without the sign: "Allow s3:PutObject on arn:aws:s3:::b/*", "attach ARN", "permissions boundary ARN". */
  text: string;
  /** What this line does to access: the planner's classification. */
  direction: 'widens' | 'narrows' | 'both';
}

/**
 * What a change acts on, as data: apply reads these, never the address. Every change has one; each
 * kind of change requires the fields it acts on (RoleTarget, PolicyTarget, ...).
 */
export interface ChangeTarget {
  /** AWS name of the role acted on (a role, the role of an inline policy or attachment, the role a profile holds). */
  roleName?: string;
  /** Bundle address of that role (role.<svc>), when the spec has it. */
  roleAddress?: string;
  /** ARN of the managed policy attached or detached, or of the customer-managed policy itself (may hold {accountId}). */
  policyArn?: string;
  /** AWS name of the instance profile acted on. */
  profileName?: string;
  /** Bundle address of that profile (profile.<svc>), when the spec has it. */
  profileAddress?: string;
  /** Launch group of instances acted on. */
  group?: string;
}

export type RoleTarget = ChangeTarget & { roleName: string };
export type PolicyTarget = ChangeTarget & { policyArn: string };
export type AttachmentTarget = ChangeTarget & { roleName: string; policyArn: string };
export type ProfileTarget = ChangeTarget & { profileName: string };
export type RoleInProfileTarget = ChangeTarget & { profileName: string; roleName: string };
export type GroupTarget = ChangeTarget & { group: string };

/** One IAM statement added or removed by a change (src/plan/statements.ts); formatters render these. */
export interface StatementRow {
  sign: '+' | '-';
  /** Which document of the change: 'trust', an inline policy name, or '' for the change's own document. */
  document: string;
  /** The statement, canonical. */
  statement: PolicyStatement;
  /** Widens access as the planner classifies it: an added Allow granting something new, a removed Deny no longer denied. */
  widens: boolean;
}

/** What every change has, whatever its kind. */
interface ChangeBase {
  /**
   * Stable address: role.<svc>, role.<svc>.inline.<name>, role.<svc>.attachment.<arn>,
   * policy.<svc>.<n>, profile.<svc>, profile.<svc>.role, launch.<group>, or for orphans
   * orphan.role.<name> etc.
   *
   * Conventions of the planner (src/plan/plan.ts):
   * - replace (a generated role/profile name that changed: naming: content after an edit, or a switch
   *   of naming): create the new name; the old one (previousName) stays and
   *   appears as orphan.role.<old> / orphan.profile.<old> (delete only with --prune, once unused).
   *   A replace of an explicit-name role (path change) means delete + recreate under the same name.
   * - role-in-profile update: the profile holds before.role instead of after.role (remove, then add).
   * - orphan.role.<name> delete: the whole role (detach, delete inline, leave profiles, delete);
   *   orphan.profile.<name> delete: the profile (remove its role first); orphan.policy.<name>.
   * - launch.<group>: launches (launch.indexes) and in-place tag updates (instances[].fate
   *   "retag": ttl, idle-timeout, expires-at); `instances` says what happens to each running one.
   * - launch.<group>.extra: kind "instances", delete with `terminate` ids: instances beyond count
   *   and, with onChange replace, those of an older launch configuration (after the new ones run).
   *   Always planned, never an orphan: count is the truth.
   * - orphan.instances.<group>: a group the spec dropped; delete with `terminate` ids under --prune,
   *   otherwise no-op with orphan: true.
   * - conflict && !adopt: no-op, the plan must not be applied; conflict && adopt: update that tags.
   */
  address: string;
  action: ChangeAction;
  /** AWS name of the resource (role name, policy name, profile name, group name). */
  name: string;
  /** For replace: the live name being replaced (a generated name that changed). */
  previousName?: string;
  /** Why, as a code plus parameters (src/plan/reasons.ts); formatters render it with reasonText. */
  reason: Reason;
  /** Unified diff of canonical pretty JSON (before → after), when both exist and differ. */
  diff?: string;
  /** The live resource was changed outside charter since charter wrote it. */
  drift?: boolean;
  /** Managed by charter but absent from the spec; deleted only with --prune. */
  orphan?: boolean;
  /** Unmanaged live resource with a colliding name; stops the plan unless --adopt. */
  conflict?: boolean;
  /** With --adopt: take the colliding resource over by tagging it. */
  adopt?: boolean;
  broadening?: Broadening;
  /** What widened or narrowed, one line each, as the planner classified it (at most MAX_DETAILS). */
  broadeningDetails?: BroadeningDetail[];
  /** How many more detail lines there were beyond broadeningDetails. */
  broadeningMore?: number;
  /** IAM statements added and removed (non-no-op changes with documents), classified by the planner. */
  statements?: StatementRow[];
  /** Addresses this change must wait for (apply ordering beyond the kind order). */
  dependsOn?: string[];
  pos?: SourcePos;
}

/** A role as the plan shows it (live, redacted, or desired). */
export interface RoleView {
  name: string;
  path: string;
  /** null: none (IAM omits an empty description). */
  description: string | null;
  /** Seconds; IAM's default is 3600. */
  maxSessionDuration: number;
  permissionsBoundary: string | null;
  trust: PolicyDocument;
  tags: Record<string, string>;
}

/** A role with its inline policies and attached ARNs (a created, replaced or orphaned role). */
export interface FullRoleView extends RoleView {
  inline: Record<string, PolicyDocument>;
  attached: string[];
}

export interface RoleChange extends ChangeBase {
  kind: 'role';
  target: RoleTarget;
  /** destroy: only the role's ARN. */
  before?: RoleView | FullRoleView | { arn: string };
  after?: RoleView | FullRoleView;
}

export interface ManagedPolicyChange extends ChangeBase {
  kind: 'managed-policy';
  target: PolicyTarget;
  /** The live document; an orphan's ARN and document. */
  before?: PolicyDocument | { arn: string; document: PolicyDocument };
  after?: PolicyDocument;
}

export interface InlinePolicyState {
  roleName: string;
  document: PolicyDocument;
}

export interface InlinePolicyChange extends ChangeBase {
  kind: 'inline-policy';
  target: RoleTarget;
  before?: InlinePolicyState;
  after?: InlinePolicyState;
}

export interface AttachmentState {
  roleName: string;
  policyArn: string;
}

export interface AttachmentChange extends ChangeBase {
  kind: 'policy-attachment';
  target: AttachmentTarget;
  before?: AttachmentState;
  after?: AttachmentState;
}

export interface ProfileState {
  name: string;
  roles: string[];
  tags?: Record<string, string>;
}

export interface ProfileChange extends ChangeBase {
  kind: 'instance-profile';
  target: ProfileTarget;
  before?: ProfileState;
  after?: ProfileState;
}

export interface RoleInProfileState {
  profile: string;
  role: string;
}

export interface RoleInProfileChange extends ChangeBase {
  kind: 'role-in-profile';
  target: RoleInProfileTarget;
  before?: RoleInProfileState;
  after?: RoleInProfileState;
}

export interface InstancesChange extends ChangeBase {
  kind: 'instances';
  target: GroupTarget;
  /** The group's running instances that count (running), or those a termination acts on. */
  before?: { running?: number; instances: string[] };
  after?: undefined;
  /** Which instance indexes to launch (create). */
  launch?: LaunchPlan;
  /** Instance ids to terminate (delete). */
  terminate?: string[];
  /** For launch.<group>: what one launch looks like (never the user-data text). */
  config?: LaunchView;
  /** For launch.<group>: every running instance of the group and what happens to it. */
  instances?: InstanceRow[];
}

/** One planned change: a discriminated union by kind, each with its target and typed before/after. */
export type Change = RoleChange | ManagedPolicyChange | InlinePolicyChange | AttachmentChange | ProfileChange | RoleInProfileChange | InstancesChange;

/** The change of one kind. */
export type ChangeOf<K extends ResourceKind> = Extract<Change, { kind: K }>;

export interface LaunchPlan {
  group: string;
  indexes: number[];
  /** Running instances that count toward count (current configuration; with keep, older ones too). */
  running: number;
  desired: number;
  relaunch?: boolean;
  onChange?: 'replace' | 'keep';
  /**
   * Instances of an older configuration terminated once these launches run (onChange replace):
   * each launch waits until its instance is running (launch.<group>.extra waits for the launches).
   */
  replaces?: string[];
}

/** What the plan launches for a group: the compiled configuration, count, policy and expiry rule. */
export interface LaunchView extends LaunchConfig {
  count: number;
  onChange: 'replace' | 'keep';
  instanceProfile: string;
  /** First 8 hex digits of the configuration hash (the instances' {prefix}:hash tag). */
  configHash: string;
  /** How apply sets {prefix}:expires-at: "launch time + 12h"; absent without a ttl. */
  expiresAtRule?: string;
}

/** One running instance of a launch group, and what the plan does to it. */
export interface InstanceRow {
  instanceId: string;
  state: string;
  /** current: launched with the spec's configuration; outdated: an older one. */
  config: 'current' | 'outdated';
  /** keep: untouched; retag: tags updated in place (CreateTags/DeleteTags); terminate. */
  fate: 'keep' | 'retag' | 'terminate';
  /** Why it is terminated. */
  why?: 'beyond-count' | 'replaced';
  /** {prefix}:expires-at now and after the plan (absent: no tag). */
  expiresAt?: { before?: string; after?: string };
  /** For retag: tags set (key → value) and removed. */
  tags?: { set: Record<string, string>; remove: string[] };
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /** sha256 over spec hash, bundle hash, fingerprints and changes: the identity of this plan. */
  planId: string;
  specPath: string;
  specHash: string;
  bundleHash: string;
  specName: string;
  prefix: string;
  region: string;
  account: string;
  options: { prune: boolean; adopt: boolean };
  fingerprints: Fingerprint[];
  changes: Change[];
  summary: { create: number; update: number; replace: number; delete: number; noop: number; orphans: number; conflicts: number; broadening: number };
  /** Reader and planner notes (fallbacks taken, account mismatch, limits of a per-resource read). */
  notes?: string[];
  /** How live state was read (not part of the plan id). */
  read?: { mode: 'gaad' | 'per-resource'; calls: number };
  /** The offline lint of the spec when the plan was made (charter plan runs it; not part of the plan id). */
  lint?: { errors: number; warnings: number; suppressed: number };
}
