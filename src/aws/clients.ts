/**
 * AWS SDK clients, created lazily (the SDK costs ~0.5 s to load, so nothing on the compile/lint
 * path imports it). Credentials come from the SDK's default Node provider chain (environment,
 * profiles with SSO/assume-role, credential_process, web identity, instance metadata), resolved
 * ONCE per set of clients: the STS client's memoised provider is handed to every other client, so a
 * credential_process runs once and an MFA code is asked for once (mfa.ts). Endpoints:
 * an explicit one (--endpoint / --sandbox), else the SDK honours AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_IAM / _EC2 / _ACCESSANALYZER / _STS itself.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { CharterRetryStrategy, type RetryDelay } from './retry-strategy.js';
import { terminalMfaCode, type MfaCodeProvider } from './mfa.js';
import { CredentialStepError, isServiceOrNetworkError } from './errors.js';
import { profileSettings, SERVICE_KEYS, type ServiceKey } from './profile.js';

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
  /** Asked for the code of a profile's mfa_serial (default: prompt on a terminal, else fail clearly). */
  mfaCode?: MfaCodeProvider;
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
  // The default chain reads `mfaCodeProvider` from the client config it is given (fromIni).
  const base = { ...clientConfig(o), mfaCodeProvider: o.mfaCode ?? terminalMfaCode };
  const cfg = (svc: keyof NonNullable<AwsOptions['endpoints']>) => {
    const endpoint = o.endpoints?.[svc];
    return endpoint ? { ...base, endpoint } : base;
  };
  // One STS client owns the one credential provider of the run (the SDK memoises it until the
  // credentials near expiry); every client, STS included, is handed it instead of running the chain
  // itself. A failing AWS call inside the chain (AssumeRole, AssumeRoleWithWebIdentity) is labelled
  // as that call at its endpoint, not as the call that needed the credentials.
  let credentials: Promise<object> | undefined;
  const shared = () =>
    (credentials ??= import('@aws-sdk/client-sts').then((m) => {
      const stsEndpoint = o.endpoints?.sts ?? o.endpoint;
      // The chain's own STS calls (role_arn, web identity) go where this run's STS calls go: the
      // SDK would send them to the public endpoint for a --profile's endpoint_url.
      // (The assumers pass their options on to the STS client they make, endpoint included.)
      const at = { endpoint: stsEndpoint, region: o.region };
      const assumers = stsEndpoint ? { roleAssumer: m.getDefaultRoleAssumer(at), roleAssumerWithWebIdentity: m.getDefaultRoleAssumerWithWebIdentity(at) } : {};
      const owner = new m.STSClient({ ...cfg('sts'), ...assumers });
      const inner = owner.config.credentials;
      return async (...args: Parameters<typeof inner>) => {
        try {
          return await inner(...args);
        } catch (e) {
          if (!isServiceOrNetworkError(e)) throw e;
          throw new CredentialStepError(credentialStep(o), serviceEndpoint(o, 'sts'), e);
        }
      };
    }));
  const make = async <C>(svc: ServiceKey, ctor: (c: object) => C): Promise<C> => ctor(o.credentials ? cfg(svc) : { ...cfg(svc), credentials: await shared() });
  return {
    options: o,
    // IAM is a global service: its endpoint lives in us-east-1 for the aws partition.
    iam: () => (iam ??= import('@aws-sdk/client-iam').then((m) => make('iam', (c) => new m.IAMClient(c)))),
    ec2: () => (ec2 ??= import('@aws-sdk/client-ec2').then((m) => make('ec2', (c) => new m.EC2Client(c)))),
    sts: () => (sts ??= import('@aws-sdk/client-sts').then((m) => make('sts', (c) => new m.STSClient(c)))),
    accessAnalyzer: () => (aa ??= import('@aws-sdk/client-accessanalyzer').then((m) => make('accessanalyzer', (c) => new m.AccessAnalyzerClient(c)))),
  };
}

const PUBLIC_HOST: Record<ServiceKey, (region: string) => string> = {
  iam: () => 'iam.amazonaws.com',
  ec2: (r) => `ec2.${r}.amazonaws.com`,
  sts: (r) => `sts.${r}.amazonaws.com`,
  accessanalyzer: (r) => `access-analyzer.${r}.amazonaws.com`,
};

/** Where a service's calls go: the configured endpoint, else AWS_ENDPOINT_URL_<SVC> / AWS_ENDPOINT_URL, else AWS's public one. */
export function serviceEndpoint(o: AwsOptions, svc: ServiceKey, env: NodeJS.ProcessEnv = process.env): string {
  return o.endpoints?.[svc] ?? o.endpoint ?? env[`AWS_ENDPOINT_URL_${svc.toUpperCase()}`] ?? env.AWS_ENDPOINT_URL ?? `https://${PUBLIC_HOST[svc](o.region)}`;
}

/** The endpoint an AWS call (`iam:GetRole`, `access-analyzer:ValidatePolicy`) goes to; undefined for a service charter has no client for. */
export function actionEndpoint(o: AwsOptions, action: string): string | undefined {
  const svc = action.slice(0, action.indexOf(':')).replace('-', '');
  return (SERVICE_KEYS as readonly string[]).includes(svc) ? serviceEndpoint(o, svc as ServiceKey) : undefined;
}

/** The AWS call the credential chain makes for this profile (what a failure inside it was). */
function credentialStep(o: AwsOptions, env: NodeJS.ProcessEnv = process.env): string {
  const name = o.profile ?? env.AWS_PROFILE;
  const p = name ? profileSettings(name, env) : {};
  if (p.web_identity_token_file || (!name && env.AWS_WEB_IDENTITY_TOKEN_FILE)) return 'sts:AssumeRoleWithWebIdentity';
  if (p.sso_session || p.sso_start_url) return 'sso:GetRoleCredentials';
  if (p.role_arn) return 'sts:AssumeRole';
  return 'the credential provider chain';
}

/** Dummy credentials for the sandbox (it accepts any signature). */
export const SANDBOX_CREDENTIALS = { accessKeyId: 'AKIDSANDBOXEXAMPLE00', secretAccessKey: 'sandbox-secret-not-a-real-key' };
