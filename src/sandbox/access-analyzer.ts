/**
 * Access Analyzer (restJson1) as a CONTRACT DOUBLE. The real policy checks are a large proprietary
 * rule base; the sandbox implements the API's shape faithfully (paths, pagination, finding
 * locations as line/column/offset spans into the exact string sent, errors) and a small documented
 * rule set, plus findings a test registers (POST /_sandbox/access-analyzer/findings). See README.md.
 *
 * Built-in ValidatePolicy rules:
 *  - JSON that does not parse → ERROR JSON_SYNTAX_ERROR at the offending offset;
 *  - not an object → ERROR DATA_TYPE_MISMATCH; no Version → SUGGESTION MISSING_VERSION; no Statement →
 *    ERROR MISSING_STATEMENT; per statement: MISSING_EFFECT / INVALID_EFFECT, UNIQUE_SIDS_REQUIRED,
 *    MISSING_ACTION, identity policies MISSING_RESOURCE and UNSUPPORTED_PRINCIPAL, resource
 *    policies MISSING_PRINCIPAL (all ERROR);
 *  - Allow of iam:PassRole (also via iam:Pass*, iam:*, *) with Resource "*" →
 *    SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE at the Resource value;
 *  - an action without a service prefix → ERROR INVALID_ACTION at the action;
 *  - an action covered by a wildcard action of the same statement (s3:GetObject beside s3:Get*) →
 *    SUGGESTION REDUNDANT_ACTION at the covered action.
 * CheckNoNewAccess: FAIL when an Allow statement of the new policy grants an (action, resource) pair
 * that no unconditioned-or-identically-conditioned Allow statement of the existing policy covers;
 * for resource policies (trust policies included) the pair is (principal, action, resource), a
 * missing Resource meaning the resource the policy is attached to ("*"), and a principal is covered
 * only by the same principal or by "*".
 * CheckAccessNotGranted: FAIL when an Allow statement grants a listed action (on a listed resource,
 * if resources are given) and no unconditioned Deny removes it.
 */
import type { Ctx } from './context.js';
import { AwsError } from './errors.js';
import { JsonSyntaxError, parseLocated, pathKey, position, type JsonPath, type JsonValue, type Located } from './json-locate.js';
import type { RegisteredFinding, SandboxState } from './state.js';

const POLICY_TYPES = ['IDENTITY_POLICY', 'RESOURCE_POLICY', 'SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'];
const FINDING_TYPES = ['ERROR', 'SECURITY_WARNING', 'SUGGESTION', 'WARNING'];
const LEARN = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html';

interface Position {
  line: number;
  column: number;
  offset: number;
}
type PathElement = { index: number } | { key: string } | { value: string };
interface Finding {
  findingDetails: string;
  findingType: string;
  issueCode: string;
  learnMoreLink: string;
  locations: Array<{ path: PathElement[]; span: { start: Position; end: Position } }>;
}

const validation = (msg: string) => new AwsError('ValidationException', msg, 400);

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requireString(input: Record<string, unknown>, key: string): string {
  const v = input[key];
  if (typeof v !== 'string' || v === '') throw validation(`Invalid parameter: ${key} is required`);
  return v;
}

function requirePolicyType(input: Record<string, unknown>, allowed = POLICY_TYPES): string {
  const t = requireString(input, 'policyType');
  if (!allowed.includes(t)) throw validation(`Invalid parameter: policyType must be one of ${allowed.join(', ')}`);
  return t;
}

function locate(text: string, loc: Located | undefined, path: JsonPath): Finding['locations'][number] {
  const span = loc?.spans.get(pathKey(path)) ?? { start: 0, end: text.length };
  const resolved = loc?.spans.has(pathKey(path)) ? path : [];
  return {
    path: resolved.map((p) => (typeof p === 'number' ? { index: p } : { value: p })),
    span: { start: position(text, span.start), end: position(text, span.end) },
  };
}

function finding(text: string, loc: Located | undefined, type: string, code: string, details: string, path: JsonPath, anchor?: string): Finding {
  return {
    findingDetails: details, findingType: type, issueCode: code, learnMoreLink: `${LEARN}${anchor ? '#' + anchor : ''}`,
    locations: [locate(text, loc, path)],
  };
}

function asList(v: JsonValue | undefined): Array<{ v: JsonValue; index?: number }> {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map((x, index) => ({ v: x, index })) : [{ v }];
}

function statementsOf(doc: JsonValue): Array<{ s: Record<string, JsonValue>; path: JsonPath; index: number }> {
  if (!isObj(doc)) return [];
  const st = (doc as Record<string, JsonValue>).Statement;
  if (Array.isArray(st)) return st.flatMap((s, i) => (isObj(s) ? [{ s: s as Record<string, JsonValue>, path: ['Statement', i], index: i }] : []));
  return isObj(st) ? [{ s: st as Record<string, JsonValue>, path: ['Statement'], index: 0 }] : [];
}

function globMatch(pattern: string, s: string): boolean {
  const re = new RegExp('^' + pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('') + '$', 'i');
  return re.test(s);
}

function builtinFindings(text: string, policyType: string, loc: Located): Finding[] {
  const out: Finding[] = [];
  const doc = loc.value;
  const add = (type: string, code: string, details: string, path: JsonPath, anchor: string) => out.push(finding(text, loc, type, code, details, path, anchor));
  const at = (path: JsonPath, key: string, index?: number): JsonPath => (index === undefined ? [...path, key] : [...path, key, index]);
  if (!isObj(doc)) {
    add('ERROR', 'DATA_TYPE_MISMATCH', 'The text does not match the expected JSON data type Object. Update the text to use an object.', [], 'access-analyzer-reference-policy-checks-error-data-type-mismatch');
    return out;
  }
  if (doc.Version === undefined) {
    add('SUGGESTION', 'MISSING_VERSION', 'We recommend that you specify the Version element to help you with debugging permission issues.', [], 'access-analyzer-reference-policy-checks-suggestion-missing-version');
  }
  if (doc.Statement === undefined) {
    add('ERROR', 'MISSING_STATEMENT', 'Add a Statement element to the policy.', [], 'access-analyzer-reference-policy-checks-error-missing-statement');
  }
  const sids = new Map<string, number>();
  for (const { s, path } of statementsOf(doc)) {
    if (s.Effect === undefined) add('ERROR', 'MISSING_EFFECT', 'Add an Effect element to the policy statement with a value of Allow or Deny.', path, 'access-analyzer-reference-policy-checks-error-missing-effect');
    else if (s.Effect !== 'Allow' && s.Effect !== 'Deny') add('ERROR', 'INVALID_EFFECT', `The effect ${String(s.Effect)} is not valid. Use Allow or Deny.`, [...path, 'Effect'], 'access-analyzer-reference-policy-checks-error-invalid-effect');
    if (typeof s.Sid === 'string' && s.Sid !== '') {
      if (sids.has(s.Sid)) add('ERROR', 'UNIQUE_SIDS_REQUIRED', `Duplicate statement IDs are not supported for this policy type. Update the Sid value ${s.Sid}.`, [...path, 'Sid'], 'access-analyzer-reference-policy-checks-error-unique-sids-required');
      sids.set(s.Sid, 1);
    }
    if (s.Action === undefined && s.NotAction === undefined) add('ERROR', 'MISSING_ACTION', 'Add an Action or NotAction element to the policy statement.', path, 'access-analyzer-reference-policy-checks-error-missing-action');
    if (policyType === 'IDENTITY_POLICY') {
      if (s.Resource === undefined && s.NotResource === undefined) add('ERROR', 'MISSING_RESOURCE', 'Add a Resource or NotResource element to the policy statement.', path, 'access-analyzer-reference-policy-checks-error-missing-resource');
      for (const key of ['Principal', 'NotPrincipal']) {
        if (s[key] !== undefined) add('ERROR', 'UNSUPPORTED_PRINCIPAL', `You cannot use a ${key} element in an identity-based policy. Remove the ${key} element.`, [...path, key], 'access-analyzer-reference-policy-checks-error-unsupported-principal');
      }
    } else if (policyType === 'RESOURCE_POLICY' && s.Principal === undefined && s.NotPrincipal === undefined) {
      add('ERROR', 'MISSING_PRINCIPAL', 'Add a Principal element to the policy statement.', path, 'access-analyzer-reference-policy-checks-error-missing-principal');
    }
    const actionKey = s.Action !== undefined ? 'Action' : 'NotAction';
    for (const { v, index } of asList(s[actionKey])) {
      if (typeof v === 'string' && v !== '*' && !/^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]*$/.test(v)) {
        add('ERROR', 'INVALID_ACTION', `The action ${v} does not exist. Actions must be prefixed with a service, e.g. s3:GetObject.`, at(path, actionKey, index), 'access-analyzer-reference-policy-checks-error-invalid-action');
      }
    }
    const listed = asList(s[actionKey]).filter((x): x is { v: string; index?: number } => typeof x.v === 'string');
    for (const a of listed) {
      const cover = listed.find((b) => b !== a && b.v.includes('*') && globMatch(b.v, a.v) && !(a.v.includes('*') && globMatch(a.v, b.v) && (a.index ?? 0) < (b.index ?? 0)));
      if (cover) {
        add('SUGGESTION', 'REDUNDANT_ACTION', `The ${a.v} action is redundant because the ${cover.v} action grants access to the same operations. We recommend that you remove the redundant action.`, at(path, actionKey, a.index), 'access-analyzer-reference-policy-checks-suggestion-redundant-action');
      }
    }
    if (s.Effect !== 'Allow' || policyType !== 'IDENTITY_POLICY' || s.Action === undefined) continue;
    const passRole = asList(s.Action).some(({ v }) => typeof v === 'string' && globMatch(v, 'iam:PassRole'));
    if (!passRole) continue;
    for (const { v, index } of asList(s.Resource)) {
      if (v === '*') {
        add('SECURITY_WARNING', 'PASS_ROLE_WITH_STAR_IN_RESOURCE', 'Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.', at(path, 'Resource', index), 'access-analyzer-reference-policy-checks-security-warning-pass-role-with-star-in-resource');
      }
    }
  }
  return out;
}

function registered(state: SandboxState, text: string, policyType: string, loc: Located | undefined): Finding[] {
  return state.findings
    .filter((f) => (f.match === undefined || text.includes(f.match)) && (f.policyType === undefined || f.policyType === policyType))
    .map((f) => ({ ...finding(text, loc, f.findingType, f.issueCode, f.findingDetails, f.path ?? []), learnMoreLink: f.learnMoreLink ?? LEARN }));
}

function validatePolicy(ctx: Ctx, input: unknown, query: URLSearchParams): unknown {
  if (!isObj(input)) throw validation('Invalid request body');
  const text = requireString(input, 'policyDocument');
  const policyType = requirePolicyType(input);
  const rt = input.validatePolicyResourceType;
  if (rt !== undefined && typeof rt !== 'string') throw validation('Invalid parameter: validatePolicyResourceType');
  const maxRaw = query.get('maxResults');
  const max = maxRaw === null ? 100 : Number(maxRaw);
  if (!Number.isInteger(max) || max < 1) throw validation('Invalid parameter: maxResults');
  const tokenRaw = query.get('nextToken');
  const start = tokenRaw === null ? 0 : Number(Buffer.from(tokenRaw, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw validation('Invalid parameter: nextToken');
  let all: Finding[];
  let loc: Located | undefined;
  try {
    loc = parseLocated(text);
    all = builtinFindings(text, policyType, loc);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const p = position(text, e.offset);
    all = [{
      findingDetails: `Fix the JSON syntax error at index ${e.offset} line ${p.line} column ${p.column}: ${e.message}`, findingType: 'ERROR',
      issueCode: 'JSON_SYNTAX_ERROR', learnMoreLink: `${LEARN}#access-analyzer-reference-policy-checks-error-json-syntax-error`,
      locations: [{ path: [], span: { start: p, end: position(text, Math.min(text.length, e.offset + 1)) } }],
    }];
  }
  all.push(...registered(ctx.state, text, policyType, loc));
  const page = all.slice(start, start + max);
  const next = start + max < all.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return { findings: page, ...(next ? { nextToken: next } : {}) };
}

interface Stmt {
  effect: string;
  actions: string[] | undefined;
  resources: string[] | undefined;
  condition: string;
  /** "TYPE:value" per principal ("*" for Principal "*"); undefined without a Principal. */
  principals: string[] | undefined;
  index: number;
  sid?: string;
}

function principalsOf(p: JsonValue | undefined): string[] | undefined {
  if (p === undefined) return undefined;
  if (p === '*') return ['*'];
  if (!isObj(p)) return [String(p)];
  return Object.entries(p).flatMap(([type, v]) => asList(v as JsonValue).map(({ v: x }) => (x === '*' && type === 'AWS' ? '*' : `${type}:${String(x)}`)));
}

function parseStatements(text: string, field: string): Stmt[] {
  let doc: JsonValue;
  try {
    doc = parseLocated(text).value;
  } catch {
    throw validation(`Invalid parameter: ${field} is not valid JSON`);
  }
  const strs = (v: JsonValue | undefined) => (v === undefined ? undefined : asList(v).map(({ v: x }) => String(x)));
  return statementsOf(doc).map(({ s, index }) => ({
    effect: String(s.Effect), actions: strs(s.Action), resources: strs(s.Resource), condition: JSON.stringify(s.Condition ?? null), principals: principalsOf(s.Principal), index,
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
  }));
}

function covers(patterns: string[] | undefined, value: string): boolean {
  return patterns !== undefined && patterns.some((p) => globMatch(p, value) || p === '*');
}

function checkNoNewAccess(_ctx: Ctx, input: unknown): unknown {
  if (!isObj(input)) throw validation('Invalid request body');
  const next = parseStatements(requireString(input, 'newPolicyDocument'), 'newPolicyDocument');
  const existing = parseStatements(requireString(input, 'existingPolicyDocument'), 'existingPolicyDocument');
  const resourcePolicy = requirePolicyType(input, ['IDENTITY_POLICY', 'RESOURCE_POLICY']) === 'RESOURCE_POLICY';
  const resourcesOf = (x: Stmt) => x.resources ?? (resourcePolicy ? ['*'] : undefined);
  const principalCovered = (e: Stmt, p: string) => e.principals !== undefined && e.principals.some((q) => q === '*' || q === p);
  const reasons: Array<{ description: string; statementIndex: number; statementId?: string }> = [];
  for (const s of next.filter((x) => x.effect === 'Allow')) {
    const resources = resourcesOf(s);
    const principals = resourcePolicy ? s.principals : [''];
    const ok =
      s.actions !== undefined && resources !== undefined && principals !== undefined &&
      s.actions.every((a) => resources.every((r) => principals.every((p) =>
        existing.some((e) => e.effect === 'Allow' && (e.condition === 'null' || e.condition === s.condition) && covers(e.actions, a) && covers(resourcesOf(e), r) && (!resourcePolicy || principalCovered(e, p))))));
    if (!ok) reasons.push({ description: `New access in the statement with index: ${s.index}.`, statementIndex: s.index, ...(s.sid ? { statementId: s.sid } : {}) });
  }
  return reasons.length
    ? { result: 'FAIL', message: 'The modified permissions grant new access compared to your existing policy.', reasons }
    : { result: 'PASS', message: 'The modified permissions do not grant new access compared to your existing policy.', reasons: [] };
}

function checkAccessNotGranted(_ctx: Ctx, input: unknown): unknown {
  if (!isObj(input)) throw validation('Invalid request body');
  const stmts = parseStatements(requireString(input, 'policyDocument'), 'policyDocument');
  requirePolicyType(input, ['IDENTITY_POLICY', 'RESOURCE_POLICY']);
  const access = input.access;
  if (!Array.isArray(access) || access.length === 0) throw validation('Invalid parameter: access is required');
  const reasons: Array<{ description: string; statementIndex: number; statementId?: string }> = [];
  for (const a of access) {
    if (!isObj(a)) throw validation('Invalid parameter: access');
    const actions = Array.isArray(a.actions) ? a.actions.map(String) : [];
    const resources = Array.isArray(a.resources) ? a.resources.map(String) : ['*'];
    if (actions.length === 0 && !Array.isArray(a.resources)) throw validation('Invalid parameter: access entries need actions or resources');
    for (const s of stmts.filter((x) => x.effect === 'Allow')) {
      const grants = (actions.length ? actions : ['*']).some((act) => resources.some((r) => {
        if (!covers(s.actions, act) || !(covers(s.resources, r) || r === '*')) return false;
        return !stmts.some((d) => d.effect === 'Deny' && d.condition === 'null' && covers(d.actions, act) && covers(d.resources, r));
      }));
      if (grants && !reasons.some((x) => x.statementIndex === s.index)) {
        reasons.push({ description: `One or more of the listed actions or resources in the statement with index: ${s.index}.`, statementIndex: s.index, ...(s.sid ? { statementId: s.sid } : {}) });
      }
    }
  }
  return reasons.length
    ? { result: 'FAIL', message: 'The policy document grants access to perform one or more of the listed actions or resources.', reasons }
    : { result: 'PASS', message: 'The policy document does not grant access to perform the listed actions or resources.', reasons: [] };
}

export interface AaRoute {
  method: string;
  path: string;
  action: string;
  handler: (ctx: Ctx, input: unknown, query: URLSearchParams) => unknown;
}

export const ACCESS_ANALYZER_ROUTES: AaRoute[] = [
  { method: 'POST', path: '/policy/validation', action: 'ValidatePolicy', handler: validatePolicy },
  { method: 'POST', path: '/policy/check-no-new-access', action: 'CheckNoNewAccess', handler: checkNoNewAccess },
  { method: 'POST', path: '/policy/check-access-not-granted', action: 'CheckAccessNotGranted', handler: checkAccessNotGranted },
];

/** Body: one finding or { findings: [...] }; see RegisteredFinding. Returns how many were added. */
export function registerFindings(state: SandboxState, body: unknown): number {
  const list = isObj(body) && Array.isArray(body.findings) ? body.findings : [body];
  const parsed: RegisteredFinding[] = list.map((f: unknown) => {
    if (!isObj(f)) throw new Error('each finding must be an object');
    const { findingType, issueCode, findingDetails } = f;
    if (typeof findingType !== 'string' || !FINDING_TYPES.includes(findingType)) throw new Error(`findingType must be one of ${FINDING_TYPES.join(', ')}`);
    if (typeof issueCode !== 'string' || !issueCode) throw new Error('issueCode is required');
    if (typeof findingDetails !== 'string') throw new Error('findingDetails is required');
    if (f.match !== undefined && typeof f.match !== 'string') throw new Error('match must be a string');
    if (f.policyType !== undefined && (typeof f.policyType !== 'string' || !POLICY_TYPES.includes(f.policyType))) throw new Error('policyType is invalid');
    if (f.path !== undefined && !(Array.isArray(f.path) && f.path.every((x) => typeof x === 'string' || typeof x === 'number'))) throw new Error('path must be an array of keys and indexes');
    return {
      findingType, issueCode, findingDetails, match: f.match as string | undefined, policyType: f.policyType as string | undefined,
      learnMoreLink: typeof f.learnMoreLink === 'string' ? f.learnMoreLink : undefined, path: f.path as Array<string | number> | undefined,
    };
  });
  state.findings.push(...parsed);
  return parsed.length;
}
