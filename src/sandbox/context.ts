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
  /** Accounts whose principals a trust policy may name (besides the sandbox's own); undefined = any well-formed id. */
  knownAccounts?: string[];
  /** Who signs with which access key id (principal ARN, e.g. a user in another account); others are the sandbox's user/sandbox. */
  callers: Record<string, string>;
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

/** Credentials the sandbox issued (AssumeRole*), by access key id: in memory, never persisted. */
export interface Session {
  /** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  arn: string;
  /** The role's ARN (what a trust policy names). */
  roleArn: string;
  assumedRoleId: string;
  account: string;
  expires: number;
}

export interface Ctx {
  state: SandboxState;
  /** The access key id the request was signed with (Authorization header), when signed. */
  accessKeyId?: string;
  /** Sessions the sandbox issued. */
  sessions: Map<string, Session>;
  opts: ResolvedOptions;
  /** The request's time (epoch ms). */
  now: number;
  requestId: string;
}

/** Test accounts AWS examples use (a strict knownAccounts list for tests that want one). */
export const EXAMPLE_ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555', '210987654321', '999999999999'];
