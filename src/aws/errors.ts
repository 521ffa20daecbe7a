/**
 * AWS errors as users should read them. A missing permission names the action, the principal
 * (from GetCallerIdentity) and the read-only policy that suffices.
 */
import { RuntimeError } from '../diagnostics.js';

interface AwsErrorLike {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function asAws(e: unknown): AwsErrorLike | undefined {
  return e !== null && typeof e === 'object' ? (e as AwsErrorLike) : undefined;
}

/**
 * The AWS error code of an error: the SDK's `Code` (the code on the wire: `NoSuchEntity` where the
 * exception's name is `NoSuchEntityException`), else its name; for a plain Error, the Node system
 * error code (`ECONNRESET`) or else `Error`; '' when there is none (not an object, no name).
 * The one place that reads an error's code: apply's retry and IAM/EC2 steps compare against it too.
 */
export function errorCode(e: unknown): string {
  if (e === null || typeof e !== 'object') return '';
  const o = e as { name?: unknown; Code?: unknown; code?: unknown };
  if (typeof o.Code === 'string') return o.Code;
  if (typeof o.name === 'string' && o.name !== 'Error') return o.name;
  if (typeof o.code === 'string') return o.code;
  return typeof o.name === 'string' ? o.name : '';
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'NotAuthorized']);

export function isAccessDenied(e: unknown): boolean {
  const code = errorCode(e);
  if (DENIED.has(code)) return true;
  return asAws(e)?.$metadata?.httpStatusCode === 403 && !/signature|token|expired/i.test(code);
}

export function isNotFound(e: unknown): boolean {
  const code = errorCode(e);
  return code === 'NoSuchEntity' || code === 'NoSuchEntityException' || code.endsWith('NotFound');
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function httpStatus(e: unknown): number | undefined {
  return asAws(e)?.$metadata?.httpStatusCode;
}

/**
 * Real throttling, by the code on the wire (IAM `Throttling`, EC2 `RequestLimitExceeded`, …) or
 * HTTP 429. Not IAM's `LimitExceeded` (HTTP 409): that is a quota (5 policy versions, one role per
 * instance profile, 10 managed policies per role), and retrying it only waits to fail again. The
 * SDK's own classifier counts `LimitExceededException` as throttling; charter's retry strategy
 * uses this one instead.
 */
const THROTTLE_CODES = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'Throttled', 'SlowDown', 'RequestThrottled', 'BandwidthLimitExceeded', 'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

export function isThrottle(e: unknown): boolean {
  return THROTTLE_CODES.has(errorCode(e)) || httpStatus(e) === 429;
}

const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH',
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError',
]);
const SERVER_CODES = new Set(['InternalError', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException', 'Unavailable', 'ServiceFailure']);

/**
 * A call whose outcome is unknown or transient: 5xx, network failure (the request may or may not
 * have reached AWS), a signature the SDK re-signed after correcting clock skew.
 */
export function isTransient(e: unknown): boolean {
  const code = errorCode(e);
  if (NETWORK_CODES.has(code) || SERVER_CODES.has(code)) return true;
  const o = asAws(e) as (AwsErrorLike & { code?: unknown; $metadata?: { clockSkewCorrected?: boolean } }) | undefined;
  if (typeof o?.code === 'string' && NETWORK_CODES.has(o.code)) return true;
  if (o?.$metadata?.clockSkewCorrected) return true;
  const s = httpStatus(e);
  if (s !== undefined && s >= 500) return true;
  return /socket hang up|ECONNRESET|connection reset|EPIPE|other side closed/i.test(errorMessage(e));
}

/** Throttling or transient: worth another attempt. Quotas, validation, missing entities are not. */
export function isRetryable(e: unknown): boolean {
  return isThrottle(e) || isTransient(e);
}

/**
 * The error a user sees when `action` was denied to `principal` (at `endpoint` when known). A read
 * points at the read-only policy plan needs; a write (apply's, reap's) says the identity needs that action.
 */
export class AccessDeniedError extends RuntimeError {
  readonly action: string;
  readonly principal: string;
  constructor(action: string, principal: string, detail?: string, o: { endpoint?: string; write?: boolean } = {}) {
    super(
      `access denied: ${principal || 'the caller'} may not call ${action}${o.endpoint ? ` at ${o.endpoint}` : ''}${detail ? ` (${detail})` : ''}. ` +
        (o.write
          ? `charter needs ${action} to change what it manages: grant it to the identity charter runs as`
          : `charter plan needs read-only access; this policy suffices: charter plan --print-required-policy`),
    );
    this.name = 'AccessDeniedError';
    this.action = action;
    this.principal = principal;
  }
}

/**
 * An AWS call the credential chain made on the way to the one that needed credentials (AssumeRole
 * for a role_arn profile, AssumeRoleWithWebIdentity): explained as that call at its endpoint.
 */
export class CredentialStepError extends Error {
  constructor(readonly step: string, readonly endpoint: string, readonly error: unknown) {
    super(`${step} failed: ${errorMessage(error)}`);
    this.name = 'CredentialStepError';
  }
}

/** An error from an AWS endpoint (it answered: $metadata) or from reaching it (a network error). */
export function isServiceOrNetworkError(e: unknown): boolean {
  if (e instanceof RuntimeError || errorCode(e) === 'CredentialsProviderError') return false;
  return httpStatus(e) !== undefined || NETWORK_CODES.has(errorCode(e)) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET/.test(errorMessage(e));
}

/**
 * An answer that is not AWS's (a proxy's or load balancer's HTML error page): "HTTP 502 (text/html)".
 * The SDK reports it as an `Unknown` error or, for JSON protocols, as a JSON SyntaxError.
 */
function foreignResponse(e: unknown): string | undefined {
  const r = (e as { $response?: { statusCode?: number; headers?: Record<string, string | undefined> } } | null)?.$response;
  const status = r?.statusCode ?? httpStatus(e);
  if (status === undefined) return undefined;
  const type = (r?.headers?.['content-type'] ?? '').split(';')[0]!.trim();
  const foreign = (type !== '' && !/json|xml/i.test(type)) || errorCode(e) === 'Unknown' || e instanceof SyntaxError;
  return foreign ? `HTTP ${status}${type ? ` (${type})` : ''}` : undefined;
}

/** The call a failed apply step made, as apply's send recorded it on the error (typed, not read from prose). */
export interface FailedCall {
  /** "iam:CreateRole". */
  operation: string;
  /** Where it went ("https://iam.amazonaws.com", the sandbox's URL). */
  endpoint?: string;
  /** The AWS error code ("AccessDenied", "InvalidParameterValue"); absent when there is none. */
  code?: string;
}

export function failedCall(e: unknown): FailedCall | undefined {
  const o = e as { charterAction?: unknown; charterEndpoint?: unknown } | null;
  if (typeof o?.charterAction !== 'string') return undefined;
  const code = errorCode(e);
  return { operation: o.charterAction, ...(typeof o.charterEndpoint === 'string' ? { endpoint: o.charterEndpoint } : {}), ...(code && code !== 'Error' ? { code } : {}) };
}

/**
 * The sentence for a failed apply step: a call apply's send made is explained as plan's reads are
 * (explainAwsError: the operation, the endpoint, the code and AWS's message); an error that is no
 * call's (a step's own check) keeps its code and message.
 */
export function stepErrorMessage(e: unknown): string {
  const call = failedCall(e);
  if (call) return explainAwsError(e, call.operation, '', call.endpoint, { write: (e as { charterWrite?: unknown }).charterWrite === true }).message;
  const code = errorCode(e);
  return `${code && code !== 'Error' && code !== 'RuntimeError' ? code + ': ' : ''}${errorMessage(e)}`;
}

/**
 * Wrap any AWS error: AccessDenied becomes AccessDeniedError, others a RuntimeError naming the call
 * and, when known, the endpoint it went to.
 */
export function explainAwsError(e: unknown, action: string, principal: string, endpoint?: string, o: { write?: boolean } = {}): Error {
  if (e instanceof RuntimeError) return e;
  if (e instanceof CredentialStepError) {
    const inner = isAccessDenied(e.error)
      ? `${e.step} at ${e.endpoint} was denied: ${errorMessage(e.error)} (the role's trust policy does not admit this caller, or a condition it sets, such as ExternalId or MFA, is not met)`
      : explainAwsError(e.error, e.step, '', e.endpoint).message;
    return new RuntimeError(`could not get the credentials for ${action}: ${inner}`);
  }
  const at = endpoint ? ` at ${endpoint}` : '';
  // Not AWS's answer (a proxy's HTML page, 403 or 5xx): said first, it is not a denial by IAM.
  const foreign = foreignResponse(e);
  if (foreign) return new RuntimeError(`${action} failed${at}: the endpoint answered ${foreign}, not an AWS response (a proxy or gateway in front of it, or the wrong URL?)`);
  if (isAccessDenied(e)) return new AccessDeniedError(action, principal, asAws(e)?.message, { ...(endpoint ? { endpoint } : {}), ...(o.write ? { write: true } : {}) });
  const code = errorCode(e);
  const msg = asAws(e)?.message ?? String(e);
  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(msg)) {
    return new RuntimeError(`no AWS credentials for ${action}: ${msg}. Give charter credentials: a profile that has them (--profile or AWS_PROFILE; after \`aws sso login\` for SSO profiles), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or a role; or try --sandbox`);
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(msg)) {
    // The address in the message is where the call really went.
    const host = /(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED)\s+(\S+)/.exec(msg)?.[1];
    return new RuntimeError(`cannot reach ${host ?? endpoint ?? 'the endpoint'} for ${action}: ${msg}`);
  }
  // The retries (the SDK's attempts, apply's extra rounds) ran out: say it was throttling, not a refusal.
  if (isThrottle(e)) return new RuntimeError(`${action} failed${at}: throttled, and still throttled after every retry: ${code}: ${msg} (try again later)`);
  return new RuntimeError(`${action} failed${at}: ${code ? code + ': ' : ''}${msg}`);
}
