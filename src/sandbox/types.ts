/**
 * The sandbox's public options and handle. src/sandbox/index.ts implements startSandbox(); plan,
 * apply, tests and `charter sandbox serve` use only this surface.
 */
export interface SandboxOptions {
  /** 0 (default) picks a free port. Always binds 127.0.0.1. */
  port?: number;
  /** Persist state here (atomic write: temp file + rename). */
  stateFile?: string;
  /** Account id returned by STS and used in ARNs. Default 123456789012. */
  accountId?: string;
  region?: string;
  /** How long a new instance profile is invisible to EC2 RunInstances. Default 0. */
  propagationDelayMs?: number;
  /** IAM's own eventual consistency: a new role, instance profile or policy is invisible to Get*, List* and GAAD this long. Default 0. */
  iamReadDelayMs?: number;
  /** pending → running after this long. Default 0. */
  instanceStartDelayMs?: number;
  /** How long terminated instances stay visible. Default 60 000. */
  terminatedRetentionMs?: number;
  /** Added latency per request. Default 0. */
  latencyMs?: number;
  /** Fault injection rates (0..1) per request; `actions` limits faults to matching `service:Action` globs. */
  faults?: { throttle?: number; internalError?: number; connectionReset?: number; actions?: string[] };
  /** Seed for the fault RNG so faulty runs reproduce. */
  seed?: number;
  /** Actions to deny with AccessDenied, e.g. ["iam:GetAccountAuthorizationDetails"]; `*` wildcards allowed ("iam:Get*"). */
  deny?: string[];
  /**
   * Scripted errors, deterministic where `faults` are random: a request whose `service:Action`
   * matches `action` (a glob; a dry run is "ec2:RunInstances(DryRun)") is answered with `error`
   * instead of being handled, for the first `times` matching requests (default: every one).
   * 'throttle' is the service's own throttling error, as `faults.throttle` answers. The first rule
   * that matches and has answers left answers. Counted as calls (in `actions`), like denied ones.
   */
  errors?: ScriptedError[];
  /** Accounts a trust policy may name besides the sandbox's own, as a strict list. Default: any well-formed 12-digit account id. */
  knownAccounts?: string[];
  /**
   * Principals by access key id: a request signed with that key id is that principal (for
   * sts:AssumeRole trust evaluation and GetCallerIdentity), e.g.
   * { AKIAALICE: 'arn:aws:iam::111111111111:user/alice' }. Default: every key is the sandbox's
   * user/sandbox; keys the sandbox issued are their assumed-role sessions.
   */
  callers?: Record<string, string>;
  /** Service principals a trust policy may name. Default: any `*.amazonaws.com`. */
  knownServices?: string[];
  /** Managed policies per role (AWS default 10). */
  managedPoliciesPerRole?: number;
  /** Trust policy size quota, non-whitespace characters (AWS default 2048, raisable to 4096). */
  trustPolicySize?: number;
  /** GetAccountAuthorizationDetails pages sometimes hold fewer than MaxItems, as AWS's may. Default true. */
  gaadShortPages?: boolean;
  /**
   * AWS managed policies the sandbox knows: a directory with one file per policy (named by policy
   * name, holding the default version's document), or a map from name or full ARN to document.
   * Default: none — any well-formed arn:aws:iam::aws:policy/… is attachable, without a document.
   */
  awsManagedPolicies?: string | Record<string, string>;
  /** On-Demand vCPU limit across pending/running instances (one bucket); RunInstances beyond it → VcpuLimitExceeded. Default unlimited. */
  vcpuLimit?: number;
  /** Instance types (globs) with no capacity: RunInstances → InsufficientInstanceCapacity (500). */
  insufficientCapacity?: string[];
  /**
   * Images (AMIs) with a non-default shape, by id: any other well-formed `ami-…` id is an existing
   * x86_64 image with root device /dev/xvda. Used by DescribeImages and by RunInstances (a launch
   * whose block device mappings miss the image's root device gets an extra, unencrypted root volume).
   */
  images?: Record<string, { rootDeviceName?: string; architecture?: 'x86_64' | 'arm64'; name?: string }>;
  /** Well-formed AMI ids that do not exist: DescribeImages and RunInstances → InvalidAMIID.NotFound. */
  missingImages?: string[];
  /** Clock (epoch ms) for delays and timestamps; tests can advance time without sleeping. Default Date.now. */
  clock?: () => number;
}

export interface ScriptedError {
  action: string;
  error: 'throttle' | { code: string; message: string; status?: number };
  times?: number;
}

export interface SandboxStats {
  reads: number;
  writes: number;
  /** Calls per "service:Action", e.g. "iam:CreateRole". */
  actions: Record<string, number>;
  faults: number;
  /** Requests per signing access key id (the `Credential=` of the Authorization header): whose keys reached the sandbox. */
  accessKeys: Record<string, number>;
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:43123 */
  endpoint: string;
  port: number;
  accountId: string;
  region: string;
  stats(): SandboxStats;
  resetStats(): void;
  /** Clear the state (and stats); persisted when stateFile is set. */
  reset(): void;
  stop(): Promise<void>;
}
