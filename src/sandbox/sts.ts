/**
 * STS (awsQuery, Version 2011-06-15): GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity.
 *
 * AssumeRole* evaluate the target role's trust policy as STS does, so trusts charter writes can be
 * exercised end to end: an explicit Deny wins; an Allow must match the action, the principal (the
 * caller for AssumeRole: `*`, its account id or `:root`, its user/role ARN; the OIDC provider ARN
 * named by the token's issuer for web identity) and every condition. Condition keys: sts:ExternalId,
 * aws:MultiFactorAuthPresent / aws:MultiFactorAuthAge (SerialNumber + TokenCode sent),
 * aws:PrincipalArn, aws:PrincipalAccount, sts:RoleSessionName, and for web identity
 * `<issuer host>:aud`, `:sub`, `:amr` and `:iss`-less claim keys (`<host>:<claim>`). Operators:
 * String(Not)Equals(IgnoreCase), String(Not)Like, Bool, Null, Numeric*, Arn(Not)Equals/Like, with
 * ForAnyValue/ForAllValues and IfExists. The web identity token is a JWT whose payload is read
 * without checking its signature (the sandbox has no issuer keys); an expired `exp` is
 * ExpiredTokenException.
 *
 * The caller of a signed request is found by its access key id: keys the sandbox issued are their
 * sessions, keys in the `callers` option are those principals, any other key is user/sandbox.
 */
import { randomBytes } from 'node:crypto';
import type { Ctx, Session } from './context.js';
import { AwsError, validationError } from './errors.js';
import { qStr, type QTree } from './query.js';
import type { XmlValue } from './xml.js';
import { nameKey } from './state.js';

export type StsHandler = (ctx: Ctx, p: QTree) => XmlValue | undefined;

interface Caller {
  arn: string;
  account: string;
  userId: string;
  /** For an assumed-role session: the role's ARN (what a trust policy names). */
  roleArn?: string;
}

function caller(ctx: Ctx): Caller {
  const key = ctx.accessKeyId;
  const s = key ? ctx.sessions.get(key) : undefined;
  if (s && s.expires > ctx.now) return { arn: s.arn, account: s.account, userId: s.assumedRoleId, roleArn: s.roleArn };
  if (s) throw new AwsError('ExpiredToken', 'The security token included in the request is expired', 400);
  const named = key ? ctx.opts.callers[key] : undefined;
  if (named) {
    const account = /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(named)?.[1] ?? ctx.opts.accountId;
    return { arn: named, account, userId: `AIDA${key!.slice(-16).toUpperCase()}` };
  }
  return { arn: `arn:aws:iam::${ctx.opts.accountId}:user/sandbox`, account: ctx.opts.accountId, userId: 'AIDASANDBOXUSER00000' };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const list = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const strs = (v: Json | undefined): string[] => list(v).map((x) => String(x));

/** IAM wildcard match, case-sensitive (StringLike), or not (actions). */
function like(pattern: string, value: string, ignoreCase = false): boolean {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's').test(value);
}

/** Request context: condition key (lower-case) → values. */
type Context = Map<string, string[]>;

function opMatches(base: string, wanted: string, have: string): boolean {
  switch (base) {
    case 'StringEquals':
    case 'ArnEquals':
      return wanted === have;
    case 'StringEqualsIgnoreCase':
      return wanted.toLowerCase() === have.toLowerCase();
    case 'StringLike':
    case 'ArnLike':
      return like(wanted, have);
    case 'Bool':
      return wanted.toLowerCase() === have.toLowerCase();
    case 'NumericEquals':
      return Number(have) === Number(wanted);
    case 'NumericLessThan':
      return Number(have) < Number(wanted);
    case 'NumericLessThanEquals':
      return Number(have) <= Number(wanted);
    case 'NumericGreaterThan':
      return Number(have) > Number(wanted);
    case 'NumericGreaterThanEquals':
      return Number(have) >= Number(wanted);
    default:
      return false;
  }
}

const NEGATED: Record<string, string> = { StringNotEquals: 'StringEquals', StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase', StringNotLike: 'StringLike', ArnNotEquals: 'ArnEquals', ArnNotLike: 'ArnLike', NumericNotEquals: 'NumericEquals' };

/** One condition entry: every key of the operator block must hold. */
function conditionHolds(op: string, block: Record<string, Json>, c: Context): boolean {
  const m = /^(ForAnyValue:|ForAllValues:)?(.+?)(IfExists)?$/.exec(op)!;
  const set = m[1]?.slice(0, -1);
  const name = m[2]!;
  const ifExists = Boolean(m[3]);
  for (const [key, raw] of Object.entries(block)) {
    const wanted = strs(raw);
    const have = c.get(key.toLowerCase());
    if (name === 'Null') {
      const absent = have === undefined || have.length === 0;
      if (!wanted.some((w) => (w.toLowerCase() === 'true') === absent)) return false;
      continue;
    }
    if (have === undefined || have.length === 0) {
      if (ifExists || set === 'ForAllValues') continue;
      // A negated operator on a missing key holds (StringNotEquals of nothing).
      if (NEGATED[name] && !set) continue;
      return false;
    }
    const negated = NEGATED[name];
    const base = negated ?? name;
    const any = (h: string) => wanted.some((w) => opMatches(base, w, h));
    let ok: boolean;
    if (set === 'ForAllValues') ok = have.every((h) => (negated ? !any(h) : any(h)));
    else if (set === 'ForAnyValue') ok = have.some((h) => (negated ? !any(h) : any(h)));
    else ok = negated ? !have.some(any) : have.some(any);
    if (!ok) return false;
  }
  return true;
}

function conditionsHold(cond: Json | undefined, c: Context): boolean {
  if (cond === undefined || cond === null || typeof cond !== 'object' || Array.isArray(cond)) return true;
  return Object.entries(cond).every(([op, block]) => block !== null && typeof block === 'object' && !Array.isArray(block) && conditionHolds(op, block as Record<string, Json>, c));
}

/** Does a trust statement's Principal admit who is asking? */
type Who = { kind: 'aws'; caller: Caller } | { kind: 'federated'; provider: string };

function principalMatches(principal: Json | undefined, who: Who): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object' || Array.isArray(principal)) return false;
  if (who.kind === 'federated') return strs(principal.Federated).some((p) => p === who.provider);
  const c = who.caller;
  return strs(principal.AWS).some((p) => p === '*' || p === c.account || p === `arn:aws:iam::${c.account}:root` || p === c.arn || (c.roleArn !== undefined && p === c.roleArn));
}

function actionMatches(stmt: Record<string, Json>, action: string): boolean {
  if (stmt.Action !== undefined) return strs(stmt.Action).some((a) => like(a, action, true));
  if (stmt.NotAction !== undefined) return !strs(stmt.NotAction).some((a) => like(a, action, true));
  return false;
}

/** Allowed when an Allow statement matches and no Deny does. */
function trustAllows(trust: string, action: string, who: Who, c: Context): boolean {
  let doc: Json;
  try {
    doc = JSON.parse(trust) as Json;
  } catch {
    return false;
  }
  const stmts = doc && typeof doc === 'object' && !Array.isArray(doc) ? list(doc.Statement) : [];
  let allowed = false;
  for (const s of stmts) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) continue;
    if (!actionMatches(s, action) || !principalMatches(s.Principal, who) || !conditionsHold(s.Condition, c)) continue;
    if (s.Effect === 'Deny') return false;
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

const ROLE_ARN_RE = /^arn:aws[\w-]*:iam::(\d{12}):role(\/|\/[\u0021-\u007E]+\/)([\w+=,.@-]+)$/;

interface Target {
  arn: string;
  name: string;
  id: string;
  trust: string;
  maxSessionDuration: number;
}

function target(ctx: Ctx, p: QTree, denied: () => AwsError): Target {
  const arn = qStr(p, 'RoleArn');
  if (!arn) throw validationError("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  const m = ROLE_ARN_RE.exec(arn);
  if (!m) throw validationError(`${arn} is invalid`);
  const role = m[1] === ctx.opts.accountId ? ctx.state.roles[nameKey(m[3]!)] : undefined;
  // AWS does not say whether the role exists: a missing role is the same AccessDenied.
  if (!role || role.path !== m[2]) throw denied();
  return { arn, name: role.name, id: role.id, trust: role.trust, maxSessionDuration: role.maxSessionDuration };
}

function sessionName(p: QTree): string {
  const n = qStr(p, 'RoleSessionName');
  if (!n) throw validationError("1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
  if (!/^[\w+=,.@-]{2,64}$/.test(n)) throw validationError(`1 validation error detected: Value '${n}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  return n;
}

function duration(p: QTree, max: number): number {
  const raw = qStr(p, 'DurationSeconds');
  if (raw === undefined) return 3600;
  const d = Number(raw);
  if (!Number.isInteger(d) || d < 900) throw validationError(`1 validation error detected: Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
  if (d > max) throw validationError(`The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
  return d;
}

function issue(ctx: Ctx, t: Target, name: string, seconds: number): { xml: { [k: string]: XmlValue }; session: Session } {
  const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const expires = ctx.now + seconds * 1000;
  const session: Session = { arn: `arn:aws:sts::${ctx.opts.accountId}:assumed-role/${t.name}/${name}`, roleArn: t.arn, assumedRoleId: `${t.id}:${name}`, account: ctx.opts.accountId, expires };
  ctx.sessions.set(accessKeyId, session);
  return {
    session,
    xml: {
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: randomBytes(30).toString('base64'), SessionToken: randomBytes(48).toString('base64'), Expiration: new Date(expires).toISOString() },
      AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.arn },
    },
  };
}

/** The payload of a JWT (not verified). */
function jwtClaims(token: string | undefined): Record<string, Json> {
  const parts = (token ?? '').split('.');
  if (parts.length !== 3) throw new AwsError('InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)', 400);
  try {
    const v = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Json;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    // fall through
  }
  throw new AwsError('InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)', 400);
}

export const STS_ACTIONS: Record<string, StsHandler> = {
  GetCallerIdentity: (ctx) => {
    const c = caller(ctx);
    return { UserId: c.userId, Account: c.account, Arn: c.arn };
  },

  AssumeRole: (ctx, p) => {
    const c = caller(ctx);
    const denied = () => new AwsError('AccessDenied', `User: ${c.arn} is not authorized to perform: sts:AssumeRole on resource: ${qStr(p, 'RoleArn')}`, 403);
    const t = target(ctx, p, denied);
    const name = sessionName(p);
    const context: Context = new Map([
      ['aws:principalarn', [c.roleArn ?? c.arn]],
      ['aws:principalaccount', [c.account]],
      ['sts:rolesessionname', [name]],
    ]);
    const externalId = qStr(p, 'ExternalId');
    if (externalId !== undefined) context.set('sts:externalid', [externalId]);
    // With an MFA code the request context has MultiFactorAuthPresent true and an age; without one
    // (long-term keys) the keys are absent, so a Bool check fails and a Null check sees "true".
    if (qStr(p, 'SerialNumber') && qStr(p, 'TokenCode')) {
      context.set('aws:multifactorauthpresent', ['true']);
      context.set('aws:multifactorauthage', ['0']);
    }
    if (qStr(p, 'TokenCode') !== undefined && !/^\d{6}$/.test(qStr(p, 'TokenCode')!)) throw validationError(`1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*`);
    if (!trustAllows(t.trust, 'sts:AssumeRole', { kind: 'aws', caller: c }, context)) throw denied();
    const { xml } = issue(ctx, t, name, duration(p, t.maxSessionDuration));
    return { ...xml, PackedPolicySize: 0 };
  },

  AssumeRoleWithWebIdentity: (ctx, p) => {
    const claims = jwtClaims(qStr(p, 'WebIdentityToken'));
    const denied = () => new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
    const t = target(ctx, p, denied);
    const name = sessionName(p);
    const iss = typeof claims.iss === 'string' ? claims.iss : '';
    const host = iss.replace(/^https:\/\//, '').replace(/\/+$/, '');
    if (!host) throw new AwsError('InvalidIdentityToken', 'No OpenIDConnect provider found in your account for ' + iss, 400);
    if (typeof claims.exp === 'number' && claims.exp * 1000 <= ctx.now) throw new AwsError('ExpiredTokenException', 'Token expired: current date/time ' + Math.floor(ctx.now / 1000) + ' must be before the expiration date/time' + claims.exp, 400);
    const context: Context = new Map();
    for (const [k, v] of Object.entries(claims)) if (typeof v === 'string' || Array.isArray(v)) context.set(`${host}:${k}`.toLowerCase(), strs(v));
    context.set('sts:rolesessionname', [name]);
    const provider = `arn:aws:iam::${ctx.opts.accountId}:oidc-provider/${host}`;
    if (!trustAllows(t.trust, 'sts:AssumeRoleWithWebIdentity', { kind: 'federated', provider }, context)) throw denied();
    const { xml } = issue(ctx, t, name, duration(p, t.maxSessionDuration));
    const aud = strs(claims.aud)[0];
    return { ...xml, SubjectFromWebIdentityToken: typeof claims.sub === 'string' ? claims.sub : '', Provider: provider, ...(aud ? { Audience: aud } : {}), PackedPolicySize: 0 };
  },
};
