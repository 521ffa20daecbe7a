/**
 * A service's permission statements, each with its origin: built-ins (scoped by resource type),
 * user templates with typed params, inline `statements:` and `policyFiles:`. Placeholders resolve
 * here; every problem is reported at the spec (or policy file) line that caused it.
 */
import { didYouMean, type SourcePos } from '../diagnostics.js';
import { quoteValue } from '../spec/forms.js';
import { arnProblem } from '../policy/arn.js';
import type { ConditionBlock, ConditionValue, PolicyStatement } from '../policy/types.js';
import type { ServiceSpec, StatementSpec, TemplateParamSpec, TemplateSpec } from '../spec/types.js';
import { BUILTIN_BY_NAME } from '../templates/builtins.js';
import type { CompileContext } from './context.js';
import { expandConditionValue, expandList, expandPlaceholders, type PlaceholderScope, type PlaceholderValue, type Unresolved } from './placeholders.js';
import { scopeActions } from './scope.js';
import { loadPolicyFile } from './policy-file.js';
import type { StatementOrigin } from './types.js';

export interface SourcedStatement {
  statement: PolicyStatement;
  origin: StatementOrigin;
}

export const RESERVED_PLACEHOLDERS = ['region', 'accountId', 'partition'] as const;

/** The spec-wide placeholders: {region} {partition} and {accountId} when the account is known. */
export function baseScope(ctx: CompileContext): PlaceholderScope {
  const values = new Map<string, PlaceholderValue>([
    ['region', ctx.region],
    ['partition', ctx.partition],
  ]);
  if (ctx.account) values.set('accountId', ctx.account);
  return { values, missingHints: new Map([['accountId', 'set `account:` in the spec (12 digits) or write the account ID']]) };
}

function reportUnresolved(ctx: CompileContext, unresolved: Unresolved[], pos: SourcePos, where?: string): void {
  for (const u of unresolved) {
    ctx.problem(pos, `unresolved placeholder {${u.name}}${where ? ` ${where}` : ''}`, u.hint ?? 'declare it as a template param, or use {region} {accountId} {partition}');
  }
  unresolved.length = 0;
}

/** StatementSpec (spec or template) → IAM statement, placeholders resolved. */
function buildStatement(ctx: CompileContext, s: StatementSpec, scope: PlaceholderScope, basePath: Array<string | number>, where?: string): PolicyStatement {
  const un: Unresolved[] = [];
  const field = (name: string, list: string[] | undefined): string[] | undefined => {
    if (!list) return undefined;
    const out: string[] = [];
    list.forEach((v, i) => {
      out.push(...expandPlaceholders(v, scope, un));
      reportUnresolved(ctx, un, ctx.pos(...basePath, name, i), where);
    });
    return out;
  };
  const st: PolicyStatement = { Effect: s.effect ?? 'Allow' };
  if (s.sid !== undefined) st.Sid = s.sid;
  const actions = field('actions', s.actions);
  const notActions = field('notActions', s.notActions);
  const resources = field('resources', s.resources);
  const notResources = field('notResources', s.notResources);
  if (actions) st.Action = actions;
  if (notActions) st.NotAction = notActions;
  if (resources) st.Resource = resources;
  if (notResources) st.NotResource = notResources;
  if (!resources && !notResources) st.Resource = '*';
  if (s.conditions) {
    const cond: ConditionBlock = {};
    for (const [op, block] of Object.entries(s.conditions)) {
      const inner: Record<string, ConditionValue> = {};
      for (const [k, v] of Object.entries(block)) {
        const keyOut = expandPlaceholders(k, scope, un);
        const vpos = ctx.pos(...basePath, 'conditions', op, k);
        const value = expandConditionValue(v, scope, un);
        reportUnresolved(ctx, un, vpos, where);
        for (const ko of keyOut) inner[ko] = value;
      }
      cond[op] = inner;
    }
    st.Condition = cond;
  }
  return st;
}

interface NormalParam {
  name: string;
  type: NonNullable<TemplateParamSpec['type']>;
  default?: TemplateParamSpec['default'];
  required: boolean;
}

function normalParams(t: TemplateSpec): NormalParam[] {
  return (t.params ?? []).map((p) =>
    typeof p === 'string'
      ? { name: p, type: 'string', required: true }
      : { name: p.name, type: p.type ?? 'string', default: p.default, required: p.default === undefined },
  );
}

/** Check and convert one param value; undefined when invalid (a problem is reported). */
function paramValue(ctx: CompileContext, p: NormalParam, v: unknown, pos: SourcePos, base: PlaceholderScope): PlaceholderValue | undefined {
  const un: Unresolved[] = [];
  const str = (s: string) => {
    const r = expandPlaceholders(s, base, un);
    reportUnresolved(ctx, un, pos);
    return r;
  };
  switch (p.type) {
    case 'list': {
      const items = Array.isArray(v) ? v : [v];
      if (!items.every((x) => typeof x === 'string' || typeof x === 'number')) {
        ctx.problem(pos, `param ${p.name} must be a list of strings`);
        return undefined;
      }
      return items.flatMap((x) => str(String(x)));
    }
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        ctx.problem(pos, `param ${p.name} must be a number, got ${JSON.stringify(v)}`);
        return undefined;
      }
      return String(v);
    case 'boolean':
      if (typeof v !== 'boolean') {
        ctx.problem(pos, `param ${p.name} must be true or false, got ${JSON.stringify(v)}`);
        return undefined;
      }
      return String(v);
    case 'arn':
    case 'string': {
      if (typeof v !== 'string' && typeof v !== 'number') {
        ctx.problem(pos, `param ${p.name} must be a ${p.type === 'arn' ? 'ARN' : 'string'}, got ${Array.isArray(v) ? 'a list' : JSON.stringify(v)}`, p.type === 'string' ? 'declare it with type: list to pass several values' : undefined);
        return undefined;
      }
      const r = str(String(v));
      const bad = p.type === 'arn' ? r.map((x) => ({ x, problem: arnProblem(x) })).find((b) => b.problem && b.problem.part !== 'placeholder') : undefined;
      if (bad?.problem) {
        ctx.problem(pos, `param ${p.name} must be an ARN: ${quoteValue(bad.x)} ${bad.problem.message}`, bad.problem.hint);
        return undefined;
      }
      return r.length === 1 ? r[0]! : r;
    }
  }
}

function uniquePos(list: SourcePos[]): SourcePos[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = `${p.file}:${p.line}:${p.col}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

async function builtinStatements(ctx: CompileContext, svcName: string, svc: ServiceSpec, base: PlaceholderScope, out: SourcedStatement[]): Promise<void> {
  const scope = svc.scope ?? {};
  const usedScopes = new Set<string>();
  const policies = svc.policies ?? [];
  for (let i = 0; i < policies.length; i++) {
    const name = policies[i]!;
    const b = BUILTIN_BY_NAME.get(name);
    if (!b) continue; // reported by the loader
    const ppos = ctx.pos('services', svcName, 'policies', i);
    const from = `builtin ${name}`;
    const arnsRaw = scope[b.service];
    if (!arnsRaw) {
      out.push({ statement: { Effect: 'Allow', Action: [...b.actions], Resource: '*' }, origin: { pos: [ppos], from: [from] } });
      continue;
    }
    usedScopes.add(b.service);
    const un: Unresolved[] = [];
    const arns = arnsRaw.flatMap((a, j) => {
      const r = expandPlaceholders(a, base, un);
      const pos = ctx.pos('services', svcName, 'scope', b.service, j);
      reportUnresolved(ctx, un, pos);
      return r.map((arn) => ({ arn, pos }));
    });
    const scopePos = ctx.pos('services', svcName, 'scope', b.service);
    const malformed = arns.filter((a) => !a.arn.includes('{') && arnProblem(a.arn));
    for (const a of malformed) {
      const p = arnProblem(a.arn)!;
      ctx.problem(a.pos, `scope ARN "${a.arn}" ${p.message}`, p.hint);
    }
    const { groups, problems } = await scopeActions(b.service, b.actions, arns.filter((a) => !malformed.includes(a)), scopePos);
    // A malformed scope ARN is the problem to fix; the actions it leaves without an ARN are not reported on top of it.
    for (const p of problems) if (!(malformed.length && p.kind === 'no-arn-for-action')) ctx.problem(p.pos, `${p.message} (built-in ${name})`, p.hint);
    for (const g of groups) {
      const wildcardOnly = g.resources.length === 1 && g.resources[0] === '*';
      out.push({
        statement: { Effect: 'Allow', Action: g.actions, Resource: g.resources },
        origin: { pos: [ppos, ...(wildcardOnly ? [] : uniquePos(g.pos))], from: wildcardOnly ? [from, `wildcard-only actions (scope ${b.service} does not apply)`] : [from, `scope ${b.service}`] },
      });
    }
  }
  for (const key of Object.keys(scope)) {
    if (!usedScopes.has(key)) {
      const services = [...new Set(policies.map((p) => BUILTIN_BY_NAME.get(p)?.service).filter((s): s is string => !!s))];
      const guess = didYouMean(key, services);
      ctx.problem(ctx.keyPos('services', svcName, 'scope', key), `scope "${key}" scopes none of this service's built-ins`, guess ? `did you mean "${guess}"?` : `scope keys are service prefixes of the built-ins under policies: (${services.join(', ') || 'none'})`);
    }
  }
}

function templateStatements(ctx: CompileContext, svcName: string, svc: ServiceSpec, base: PlaceholderScope, out: SourcedStatement[]): void {
  const templates = ctx.loaded.spec.templates ?? {};
  (svc.use ?? []).forEach((u, i) => {
    const t = templates[u.template];
    if (!t) return; // reported by the loader
    const usePos = ctx.pos('services', svcName, 'use', i);
    const params = normalParams(t);
    const values = new Map(base.values);
    let ok = true;
    for (const p of params) {
      if ((RESERVED_PLACEHOLDERS as readonly string[]).includes(p.name)) {
        ctx.problem(ctx.pos('templates', u.template, 'params'), `template param "${p.name}" shadows the built-in placeholder {${p.name}}`, 'rename the param');
        ok = false;
        continue;
      }
      const given = Object.prototype.hasOwnProperty.call(u, p.name) ? u[p.name] : undefined;
      const v = given !== undefined ? given : p.default;
      if (v === undefined) {
        ctx.problem(usePos, `template ${u.template} needs param "${p.name}"`, `add ${p.name}: <${p.type}> to this use`);
        ok = false;
        continue;
      }
      const pv = paramValue(ctx, p, v, given !== undefined ? ctx.pos('services', svcName, 'use', i, p.name) : ctx.pos('templates', u.template, 'params'), base);
      if (pv === undefined) ok = false;
      else values.set(p.name, pv);
    }
    const names = params.map((p) => p.name);
    for (const k of Object.keys(u)) {
      if (k === 'template' || names.includes(k)) continue;
      const guess = didYouMean(k, names);
      ctx.problem(ctx.keyPos('services', svcName, 'use', i, k), `template ${u.template} has no param "${k}"`, guess ? `did you mean "${guess}"?` : names.length ? `params: ${names.join(', ')}` : 'it takes no params');
      ok = false;
    }
    if (!ok) return;
    const scope: PlaceholderScope = { values, missingHints: base.missingHints };
    t.statements.forEach((s, j) => {
      const path = ['templates', u.template, 'statements', j];
      const st = buildStatement(ctx, s, scope, path, `in template ${u.template} (used by services.${svcName}.use[${i}])`);
      out.push({ statement: st, origin: { pos: [usePos, ctx.pos(...path)], from: [`template ${u.template}`] } });
    });
  });
}

/** Every permission statement of a service, in spec order, with origins. */
export async function serviceStatements(ctx: CompileContext, svcName: string, svc: ServiceSpec): Promise<SourcedStatement[]> {
  const out: SourcedStatement[] = [];
  const base = baseScope(ctx);
  await builtinStatements(ctx, svcName, svc, base, out);
  templateStatements(ctx, svcName, svc, base, out);
  (svc.statements ?? []).forEach((s, i) => {
    const path = ['services', svcName, 'statements', i];
    out.push({ statement: buildStatement(ctx, s, base, path), origin: { pos: [ctx.pos(...path)], from: [`statements[${i}]`] } });
  });
  (svc.policyFiles ?? []).forEach((f, i) => {
    const loaded = loadPolicyFile(ctx, f, ctx.pos('services', svcName, 'policyFiles', i), base);
    out.push(...loaded);
  });
  return out;
}

/** Resolve placeholders in a list of ARNs (managed, boundary), reporting at each entry. */
export function resolveArns(ctx: CompileContext, list: readonly string[], posOf: (i: number) => SourcePos): string[] {
  const base = baseScope(ctx);
  const un: Unresolved[] = [];
  const out: string[] = [];
  list.forEach((s, i) => {
    out.push(...expandList([s], base, un));
    reportUnresolved(ctx, un, posOf(i));
  });
  return out;
}
