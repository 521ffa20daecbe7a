/** What every service handler sees: the state, the resolved options, the request's clock and id. */
import type { AwsManagedCatalogue } from './iam-aws-managed.js';
import type { SandboxState } from './state.js';

export interface ResolvedOptions {
  accountId: string;
  region: string;
  propagationDelayMs: number;
  /** New IAM entities are invisible to Get/List/GAAD this long (IAM's own eventual consistency). */
  iamReadDelayMs: number;
  instanceStartDelayMs: number;
  terminatedRetentionMs: number;
  /** Accounts whose principals a trust policy may name (besides the sandbox's own). */
  knownAccounts: string[];
  /** Service principals a trust policy may name; undefined = any `*.amazonaws.com`. */
  knownServices?: string[];
  /** Managed policies attachable per role (AWS default 10). */
  managedPoliciesPerRole: number;
  /** Trust policy quota in non-whitespace characters (AWS default 2,048; raisable to 4,096). */
  trustPolicySize: number;
  /** GetAccountAuthorizationDetails sometimes returns fewer than MaxItems (deterministic, seeded). */
  gaadShortPages: boolean;
  seed: number;
  /** On-Demand vCPU limit (undefined: unlimited). */
  vcpuLimit?: number;
  /** Instance type patterns with no capacity. */
  insufficientCapacity: RegExp[];
  /** Registered images by id (others: x86_64, root /dev/xvda). */
  images: Record<string, { rootDeviceName?: string; architecture?: string; name?: string }>;
  /** AMI ids that do not exist. */
  missingImages: Set<string>;
  /** AWS managed policies the sandbox knows (undefined: any well-formed ARN, no documents). */
  awsManaged?: AwsManagedCatalogue;
}

export interface Ctx {
  state: SandboxState;
  opts: ResolvedOptions;
  /** The request's time (epoch ms). */
  now: number;
  requestId: string;
}

/** Test accounts AWS examples use; trust policies may name them. */
export const DEFAULT_KNOWN_ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555', '210987654321', '999999999999'];
