/**
 * AWS SDK clients, created lazily (the SDK costs ~0.5 s to load, so nothing on the compile/lint
 * path imports it). Credentials come from the SDK's default Node provider chain (environment,
 * profiles with SSO/assume-role, credential_process, web identity, instance metadata). Endpoints:
 * an explicit one (--endpoint / --sandbox), else the SDK honours AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_IAM / _EC2 / _ACCESSANALYZER / _STS itself.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { CharterRetryStrategy, type RetryDelay } from './retry-strategy.js';

export interface AwsOptions {
  region: string;
  profile?: string;
  /** One endpoint for every service (the sandbox serves all of them on one port). */
  endpoint?: string;
  /** Per-service endpoints (a --profile's endpoint_url / services section); win over `endpoint`. */
  endpoints?: Partial<Record<'iam' | 'ec2' | 'sts' | 'accessanalyzer', string>>;
  /**
   * A stable identity for the endpoint when its URL is not one (the embedded sandbox listens on a
   * new port each run: "sandbox:<state file>"). Apply keys its attempts by it.
   */
  endpointIdentity?: string;
  /** Total attempts per call; only throttling and transient errors are retried (retry-strategy.ts). Default 8. */
  maxAttempts?: number;
  /** Backoff before each retry (tests shorten it); default full-jitter exponential like the SDK's. */
  retryDelay?: RetryDelay;
  /** Static credentials (the sandbox accepts any). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/** The config every client shares. */
export function clientConfig(o: AwsOptions) {
  return {
    region: o.region,
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    maxAttempts: o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryStrategy: new CharterRetryStrategy(o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, o.retryDelay),
  };
}

export interface AwsClients {
  iam(): Promise<IAMClient>;
  ec2(): Promise<EC2Client>;
  sts(): Promise<STSClient>;
  accessAnalyzer(): Promise<AccessAnalyzerClient>;
  options: AwsOptions;
}

/** Lazily constructed, memoised clients for one set of options. */
export function awsClients(o: AwsOptions): AwsClients {
  // The SDK warns on every run that a future version will need Node 22; charter's users cannot act
  // on that, so keep stderr for charter's own messages (set the variable to "false" to see it).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let iam: Promise<IAMClient> | undefined;
  let ec2: Promise<EC2Client> | undefined;
  let sts: Promise<STSClient> | undefined;
  let aa: Promise<AccessAnalyzerClient> | undefined;
  const base = clientConfig(o);
  const cfg = (svc: keyof NonNullable<AwsOptions['endpoints']>) => {
    const endpoint = o.endpoints?.[svc];
    return endpoint ? { ...base, endpoint } : base;
  };
  return {
    options: o,
    // IAM is a global service: its endpoint lives in us-east-1 for the aws partition.
    iam: () => (iam ??= import('@aws-sdk/client-iam').then((m) => new m.IAMClient(cfg('iam')))),
    ec2: () => (ec2 ??= import('@aws-sdk/client-ec2').then((m) => new m.EC2Client(cfg('ec2')))),
    sts: () => (sts ??= import('@aws-sdk/client-sts').then((m) => new m.STSClient(cfg('sts')))),
    accessAnalyzer: () => (aa ??= import('@aws-sdk/client-accessanalyzer').then((m) => new m.AccessAnalyzerClient(cfg('accessanalyzer')))),
  };
}

/** Dummy credentials for the sandbox (it accepts any signature). */
export const SANDBOX_CREDENTIALS = { accessKeyId: 'AKIDSANDBOXEXAMPLE00', secretAccessKey: 'sandbox-secret-not-a-real-key' };
