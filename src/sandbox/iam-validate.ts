/**
 * IAM's input validation as the real service does it: name patterns and lengths (ValidationError
 * with the service's "1 validation error detected" wording), tags, and policy documents
 * (MalformedPolicyDocument; size quotas counted without whitespace → LimitExceeded).
 */
import { policySize } from '../policy/canonical.js';
import type { Ctx } from './context.js';
import { AwsError, invalidInput, limitExceeded, malformed, validationError } from './errors.js';
import { nameKey, type TagRec } from './state.js';

function constraint(value: string, field: string, what: string): AwsError {
  return validationError(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${what}`);
}

const NAME_RE = /^[\w+=,.@-]+$/;
const PATH_RE = /^(\/|\/[\u0021-\u007E]+\/)$/;

export function checkName(value: string | undefined, field: string, max: number): string {
  if (value === undefined || value === '') throw constraint(value ?? 'null', field, 'Member must not be null');
  if (value.length > max) throw constraint(value, field, `Member must have length less than or equal to ${max}`);
  if (!NAME_RE.test(value)) throw constraint(value, field, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return value;
}

export function checkPath(value: string | undefined, field = 'path'): string {
  if (value === undefined) return '/';
  if (value.length > 512) throw constraint(value, field, 'Member must have length less than or equal to 512');
  if (!PATH_RE.test(value)) throw constraint(value, field, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
  return value;
}

export function checkPathPrefix(value: string | undefined): string {
  if (value === undefined) return '/';
  if (!/^\/[\u0021-\u007F]*$/.test(value)) throw constraint(value, 'pathPrefix', 'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*');
  return value;
}

export function checkDescription(value: string | undefined): string | undefined {
  if (value !== undefined && value.length > 1000) throw constraint(value, 'description', 'Member must have length less than or equal to 1000');
  if (value !== undefined && !/^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/.test(value)) {
    throw constraint(value, 'description', 'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*');
  }
  return value;
}

export function checkMaxItems(value: string | undefined, def = 100): number {
  if (value === undefined) return def;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw constraint(value, 'maxItems', 'Member must have value between 1 and 1000');
  return n;
}

const TAG_KEY_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function checkTags(tags: TagRec[], existing: TagRec[] = [], max = 50): void {
  if (tags.length > 50) throw constraint('[...]', 'tags', 'Member must have length less than or equal to 50');
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key.length < 1 || t.Key.length > 128) throw constraint(t.Key, 'tags.member.key', 'Member must have length less than or equal to 128');
    if (!TAG_KEY_RE.test(t.Key)) throw constraint(t.Key, 'tags.member.key', 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    if (t.Value.length > 256) throw constraint(t.Value, 'tags.member.value', 'Member must have length less than or equal to 256');
    if (!TAG_VALUE_RE.test(t.Value)) throw constraint(t.Value, 'tags.member.value', 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidInput('User is not authorized to perform tag operations with the reserved prefix aws:');
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
  }
  const merged = new Set([...existing.map((t) => t.Key.toLowerCase()), ...seen]);
  if (merged.size > max) throw limitExceeded(`The number of tags has reached the maximum limit.`);
}

/** Merge tags: same key (case-insensitive) replaced in place, new keys appended. */
export function mergeTags(existing: TagRec[], add: TagRec[]): TagRec[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of add) {
    const i = out.findIndex((o) => o.Key.toLowerCase() === t.Key.toLowerCase());
    if (i >= 0) out[i] = { ...t };
    else out.push({ ...t });
  }
  return out;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObj(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: Json | undefined): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

export function parsePolicy(doc: string | undefined, field: string): { [k: string]: Json } {
  if (doc === undefined || doc === '') throw validationError(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  if (doc.length > 131072) throw constraint('...', field, 'Member must have length less than or equal to 131072');
  let v: Json;
  try {
    v = JSON.parse(doc) as Json;
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!isObj(v)) throw malformed('Syntax errors in policy.');
  return v;
}

const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STMT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const ACTION_RE = /^([a-zA-Z0-9-]+:[a-zA-Z0-9*?]+|\*)$/;

function statements(doc: { [k: string]: Json }): Array<{ [k: string]: Json }> {
  for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) throw malformed(`Syntax errors in policy.`);
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') throw malformed('The policy failed legacy parsing');
  const st = doc.Statement;
  const list = Array.isArray(st) ? st : st === undefined ? undefined : [st];
  if (!list || list.length === 0) throw malformed('Syntax errors in policy.');
  const out: Array<{ [k: string]: Json }> = [];
  const sids = new Set<string>();
  for (const s of list) {
    if (!isObj(s)) throw malformed('Syntax errors in policy.');
    for (const k of Object.keys(s)) if (!STMT_KEYS.has(k)) throw malformed(`Syntax errors in policy.`);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed(s.Effect === undefined ? 'Missing required field Effect' : 'Invalid effect: ' + JSON.stringify(s.Effect));
    if (s.Sid !== undefined) {
      if (typeof s.Sid !== 'string') throw malformed('Syntax errors in policy.');
      if (s.Sid !== '' && sids.has(s.Sid)) throw malformed('Statement IDs (SID) in a single policy must be unique.');
      sids.add(s.Sid);
    }
    if (s.Action === undefined && s.NotAction === undefined) throw malformed('Policy statement must contain actions.');
    const actions = strings(s.Action ?? s.NotAction);
    if (!actions) throw malformed('Syntax errors in policy.');
    for (const a of actions) {
      if (!ACTION_RE.test(a)) throw malformed(a.includes(':') ? `Actions/Condition can contain only one colon.` : `Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.`);
    }
    if (s.Condition !== undefined && !isObj(s.Condition)) throw malformed('Syntax errors in policy.');
    out.push(s);
  }
  return out;
}

/** An identity (inline or managed) policy. */
export function validateIdentityPolicy(doc: string | undefined, field = 'policyDocument'): void {
  const v = parsePolicy(doc, field);
  for (const s of statements(v)) {
    // IAM's wording; the empty Sid passes, as the expression it names allows.
    if (typeof s.Sid === 'string' && !/^[0-9A-Za-z]*$/.test(s.Sid)) throw malformed('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
    if (s.Principal !== undefined || s.NotPrincipal !== undefined) throw malformed('Policy document should not specify a principal.');
    if (s.Resource === undefined && s.NotResource === undefined) throw malformed('Policy statement must contain resources.');
    const res = strings(s.Resource ?? s.NotResource);
    if (!res) throw malformed('Syntax errors in policy.');
    for (const r of res) if (r !== '*' && !r.startsWith('arn:')) throw malformed(`Resource ${r} must be in ARN format or "*".`);
  }
}

const TRUST_ACTIONS = new Set(['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext', 'sts:*', '*']);
const SERVICE_RE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

function checkAwsPrincipal(p: string, ctx: Ctx): boolean {
  if (p === '*') return true;
  const account = /^\d{12}$/.test(p) ? p : /^arn:aws[\w-]*:(iam|sts)::(\d{12}):(.+)$/.exec(p)?.[2];
  if (!account) return false;
  const known = account === ctx.opts.accountId || ctx.opts.knownAccounts === undefined || ctx.opts.knownAccounts.includes(account);
  if (!known) return false;
  if (account !== ctx.opts.accountId || /^\d{12}$/.test(p)) return true;
  const res = /^arn:aws[\w-]*:iam::\d{12}:(.+)$/.exec(p)?.[1];
  if (res === undefined) return /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+$/.test(p);
  if (res === 'root') return true;
  const role = /^role(\/|\/.*\/)([\w+=,.@-]+)$/.exec(res);
  if (role) return ctx.state.roles[nameKey(role[2]!)]?.path === role[1];
  // The sandbox has no IAM users; a user in its own account is accepted only by name "sandbox".
  return /^user\/(?:.*\/)?sandbox$/.test(res);
}

function checkPrincipal(pr: Json | undefined, ctx: Ctx): void {
  if (pr === undefined) return;
  if (pr === '*') return;
  if (!isObj(pr)) throw malformed('Syntax errors in policy.');
  for (const [kind, value] of Object.entries(pr)) {
    const list = strings(value);
    if (!list) throw malformed('Syntax errors in policy.');
    for (const p of list) {
      let ok: boolean;
      if (kind === 'AWS') ok = checkAwsPrincipal(p, ctx);
      else if (kind === 'Service') ok = ctx.opts.knownServices ? ctx.opts.knownServices.includes(p) : SERVICE_RE.test(p);
      else if (kind === 'Federated') ok = p.length > 0;
      else if (kind === 'CanonicalUser') ok = /^[0-9a-f]{64}$/.test(p);
      else throw malformed(`Invalid principal in policy: "${kind}"`);
      if (!ok) throw malformed(`Invalid principal in policy: "${kind === 'Service' ? 'SERVICE' : kind}":"${p}"`);
    }
  }
}

/** A role's trust policy: principals must exist, only sts actions, no Resource; size quota. */
export function validateTrustPolicy(doc: string | undefined, ctx: Ctx, field = 'assumeRolePolicyDocument'): void {
  const v = parsePolicy(doc, field);
  for (const s of statements(v)) {
    if (s.Resource !== undefined || s.NotResource !== undefined) throw malformed('Has prohibited field Resource');
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw malformed('AssumeRolepolicy contained an invalid principal: null');
    const actions = strings(s.Action ?? s.NotAction) ?? [];
    for (const a of actions) if (!TRUST_ACTIONS.has(a.toLowerCase())) throw malformed('AssumeRole policy may only specify STS AssumeRole actions.');
    checkPrincipal(s.Principal ?? s.NotPrincipal, ctx);
  }
  const size = policySize(doc!);
  if (size > ctx.opts.trustPolicySize) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${ctx.opts.trustPolicySize}`);
}

export const INLINE_AGGREGATE_QUOTA = 10240;
export const MANAGED_POLICY_QUOTA = 6144;

export function checkManagedSize(doc: string): void {
  if (policySize(doc) > MANAGED_POLICY_QUOTA) throw limitExceeded(`Cannot exceed quota for PolicySize: ${MANAGED_POLICY_QUOTA}`);
}
