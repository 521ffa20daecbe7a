/**
 * The spec as the user writes it (after YAML load and schema validation). Keys follow
 * design.md §4; they are a public contract: add, never rename. schemas/spec.schema.json is the
 * authority on shapes; these types mirror it.
 */
import type { LoadedYaml } from './yaml.js';

export type Duration = string; // "90s" | "30m" | "12h" | "7d" | "1h30m"

export interface StatementSpec {
  sid?: string;
  effect?: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  /** IAM Condition block, as in JSON: { Operator: { key: value | [values] } } */
  conditions?: Record<string, Record<string, string | number | boolean | Array<string | number | boolean>>>;
}

export interface TemplateParamSpec {
  name: string;
  type?: 'string' | 'arn' | 'list' | 'number' | 'boolean';
  default?: string | number | boolean | string[];
  description?: string;
}

export interface TemplateSpec {
  description?: string;
  /** A bare string is a required string param. */
  params?: Array<string | TemplateParamSpec>;
  statements: StatementSpec[];
}

export interface FederatedTrustSpec {
  /** OIDC provider host or full provider ARN, e.g. token.actions.githubusercontent.com */
  provider: string;
  audience?: string;
  /** `sub` claim patterns (StringLike). */
  subjects?: string[];
}

export interface TrustSpec {
  description?: string;
  services?: string[];
  aws?: string[];
  externalId?: string;
  mfa?: boolean;
  federated?: FederatedTrustSpec;
  /** Extra IAM conditions added to the trust statement. */
  conditions?: StatementSpec['conditions'];
}

export interface TemplateUse {
  template: string;
  [param: string]: unknown;
}

export interface ServiceSpec {
  description?: string;
  /** Built-in templates: "s3:ReadOnly", ... */
  policies?: string[];
  /** Resource scoping for the built-ins, per service prefix: { s3: [arn...] } */
  scope?: Record<string, string[]>;
  use?: TemplateUse[];
  /** Inline statements written directly in the spec. */
  statements?: StatementSpec[];
  /** JSON policy documents, relative to the spec file. */
  policyFiles?: string[];
  /** Managed policy ARNs to attach. */
  managed?: string[];
  /** Service short names (ec2, lambda, ...), full service principals, or named trusts. */
  trust?: string[];
  name?: string;
  /** How the role is named when `name` is absent (default: the spec's `naming`, else stable). */
  naming?: Naming;
  path?: string;
  permissionsBoundary?: string;
  maxSessionDuration?: number;
  tags?: Record<string, string>;
  /** Required reason to use a *:FullAccess built-in. */
  allowFullAccess?: string;
  /** Create an instance profile even when no instance group uses the service. */
  instanceProfile?: boolean;
}

export interface VolumeSpec {
  size?: number;
  type?: string;
  kmsKey?: string;
  encrypted?: boolean;
  deviceName?: string;
}

export interface InstanceSpec {
  service: string;
  type: string;
  image: string;
  count?: number;
  ttl?: Duration;
  idleTimeout?: Duration;
  /** Path to a user-data script, relative to the spec. */
  userData?: string;
  /** Inline user-data script. */
  userDataScript?: string;
  subnet?: string;
  securityGroups?: string[];
  publicIp?: boolean;
  spot?: boolean | { maxPrice?: string };
  containers?: boolean;
  volume?: VolumeSpec;
  keyName?: string;
  arch?: 'amd64' | 'arm64';
  tags?: Record<string, string>;
  /**
   * What apply does to running instances when the launch configuration changes (a TTL or idle
   * timeout change is not one: those are tags updated in place). replace (default): launch the new
   * ones, wait until they run, then terminate the old ones. keep: running ones count toward count
   * and run to their end; later launches use the new configuration.
   */
  onChange?: 'replace' | 'keep';
}

export interface AgentSpec {
  mode: 'builtin' | 'binary' | 'none';
  /** https URL of the agent binary (mode binary); {arch} is replaced by amd64 or arm64. */
  url?: string;
  sha256?: { amd64?: string; arm64?: string };
  /** Idle detection: load average below which the machine counts as idle. */
  idleLoad?: number;
}

export interface SecurityGroupSpec {
  description?: string;
  ingress?: Array<{ port?: number; fromPort?: number; toPort?: number; protocol?: string; cidr?: string; cidrs?: string[] }>;
}

export interface LintIgnoreSpec {
  rule: string;
  path?: string;
  reason: string;
}

export interface LintSpec {
  ignore?: LintIgnoreSpec[];
  severity?: Record<string, 'error' | 'warning' | 'info' | 'off'>;
  requireTtl?: boolean;
  trustPolicyLimit?: number;
  maxManagedPolicies?: number;
}

/**
 * Generated role names: `stable` ({prefix}-{spec}-{service}, updated in place across edits) or
 * `content` ({prefix}-{service}-{hash8}: an edit makes a new role, the old one becomes an orphan).
 */
export type Naming = 'stable' | 'content';

export interface Spec {
  version: 1;
  name: string;
  prefix?: string;
  /** Default naming of the services' roles (stable). */
  naming?: Naming;
  region: string;
  account?: string;
  partition?: string;
  tags?: Record<string, string>;
  templates?: Record<string, TemplateSpec>;
  trust?: Record<string, TrustSpec>;
  services?: Record<string, ServiceSpec>;
  instances?: Record<string, InstanceSpec>;
  securityGroups?: Record<string, SecurityGroupSpec>;
  agent?: AgentSpec;
  lint?: LintSpec;
}

/** A validated spec and where it came from: the source map answers "which line made this?". */
export interface LoadedSpec {
  spec: Spec;
  /** Absolute path of the spec file, for resolving relative paths. */
  path: string;
  /** The path as the user gave it, for messages. */
  displayPath: string;
  /** sha256 of the spec file bytes. */
  sourceHash: string;
  yaml: LoadedYaml;
  /**
   * The files the spec refers to (policyFiles, userData) by absolute path, read once by
   * loadSpecFile (src/spec/referenced-files.ts); absent for a spec parsed from text.
   */
  files?: ReadonlyMap<string, import('./referenced-files.js').ReferencedFile>;
}
