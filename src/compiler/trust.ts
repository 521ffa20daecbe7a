/**
 * Trust (assume-role) policies. Service short names become NAME.amazonaws.com (a full principal is
 * kept), with an aws:SourceAccount condition when the account is known and the service is one that
 * sends it (src/policy/source-account.ts; others get a statement of their own without it). Named trusts add AWS
 * principals (sts:ExternalId, aws:MultiFactorAuthPresent) and federated OIDC
 * (sts:AssumeRoleWithWebIdentity with `HOST:aud` StringEquals and `HOST:sub` StringLike).
 */
import type { ConditionBlock, ConditionValue, PolicyStatement } from '../policy/types.js';
import { isServiceShortName, servicePrincipal } from '../spec/principals.js';
import { arnProblem } from '../policy/arn.js';
import { sendsSourceAccount } from '../policy/source-account.js';
import type { TrustSpec } from '../spec/types.js';
import type { CompileContext } from './context.js';
import { baseScope, type SourcedStatement } from './permissions.js';
import { expandConditionValue, expandPlaceholders, type Unresolved } from './placeholders.js';

function addCond(c: ConditionBlock, op: string, key: string, value: ConditionValue): void {
  (c[op] ??= {})[key] = value;
}

/** Add a named trust's extra conditions, placeholders resolved (problems at the condition's line). */
function mergeConditions(ctx: CompileContext, trustName: string, into: ConditionBlock, extra: TrustSpec['conditions']): void {
  const base = baseScope(ctx);
  const un: Unresolved[] = [];
  for (const [op, block] of Object.entries(extra ?? {})) {
    for (const [k, v] of Object.entries(block)) {
      const key = expandPlaceholders(k, base, un)[0]!;
      const value = expandConditionValue(v, base, un);
      for (const u of un) ctx.problem(ctx.pos('trust', trustName, 'conditions', op, k), `unresolved placeholder {${u.name}}`, u.hint);
      un.length = 0;
      addCond(into, op, key, value);
    }
  }
}

/** The OIDC provider host of a provider given as host, URL or ARN. */
export function oidcHost(provider: string): string {
  const arn = /^arn:[^:]+:iam::[^:]*:oidc-provider\/(.+)$/.exec(provider);
  const host = arn ? arn[1]! : provider.replace(/^https:\/\//, '');
  return host.replace(/\/+$/, '');
}

export function trustStatements(ctx: CompileContext, svcName: string, trust: readonly string[]): SourcedStatement[] {
  const named = ctx.loaded.spec.trust ?? {};
  const out: SourcedStatement[] = [];
  const base = baseScope(ctx);
  const un: Unresolved[] = [];
  /**
   * Statements trusting `services`: those that send aws:SourceAccount get it as a condition (when
   * the account is known), the others a statement of their own without it; `extra` conditions go
   * on both.
   */
  const serviceStatements = (services: string[], extra: ConditionBlock = {}): PolicyStatement[] => {
    const withKey = ctx.account ? services.filter(sendsSourceAccount) : [];
    const without = services.filter((s) => !withKey.includes(s));
    const out: PolicyStatement[] = [];
    for (const [group, key] of [[withKey, true], [without, false]] as const) {
      if (!group.length) continue;
      const c: ConditionBlock = {};
      if (key) addCond(c, 'StringEquals', 'aws:SourceAccount', ctx.account!);
      for (const [op, block] of Object.entries(extra)) for (const [k, v] of Object.entries(block)) addCond(c, op, k, structuredClone(v));
      const st: PolicyStatement = { Effect: 'Allow', Principal: { Service: group }, Action: 'sts:AssumeRole' };
      if (Object.keys(c).length) st.Condition = c;
      out.push(st);
    }
    return out;
  };

  // Bare service principals of this service: one statement.
  const direct: string[] = [];
  const directPos = [] as ReturnType<CompileContext['pos']>[];
  trust.forEach((t, i) => {
    if (named[t]) return;
    if (isServiceShortName(t) || t.includes('.')) {
      direct.push(servicePrincipal(t));
      directPos.push(ctx.pos('services', svcName, 'trust', i));
    }
  });
  for (const st of serviceStatements(direct)) {
    const mine = (st.Principal as { Service: string[] }).Service;
    const pos = direct.flatMap((d, i) => (mine.includes(d) ? [directPos[i]!] : []));
    out.push({ statement: st, origin: { pos, from: mine.map((d) => `service ${d}`) } });
  }

  trust.forEach((t, i) => {
    const spec = named[t];
    if (!spec) return;
    const usePos = ctx.pos('services', svcName, 'trust', i);
    const defPos = ctx.pos('trust', t);
    const from = [`trust ${t}`];
    if (spec.services?.length) {
      const extra: ConditionBlock = {};
      mergeConditions(ctx, t, extra, spec.conditions);
      for (const st of serviceStatements(spec.services.map(servicePrincipal), extra)) out.push({ statement: st, origin: { pos: [usePos, ctx.pos('trust', t, 'services')], from } });
    }
    if (spec.aws?.length) {
      const principals: string[] = [];
      spec.aws.forEach((a, j) => {
        // A bare 12-digit account ID means the account's root (any principal the account allows).
        const resolved = expandPlaceholders(a, base, un).map((x) => (/^[0-9]{12}$/.test(x) ? `arn:${ctx.partition}:iam::${x}:root` : x));
        for (const u of un) ctx.problem(ctx.pos('trust', t, 'aws', j), `unresolved placeholder {${u.name}}`, u.hint);
        if (!un.length) {
          for (const x of resolved) {
            const p = x.startsWith('arn:') ? arnProblem(x) : undefined;
            if (p) ctx.problem(ctx.pos('trust', t, 'aws', j), `trust ${t}: aws principal "${x}" ${p.message}`, p.hint);
            else if (!x.startsWith('arn:') && x !== '*') ctx.problem(ctx.pos('trust', t, 'aws', j), `trust ${t}: aws principal "${x}" is neither an account id nor an ARN`, 'an account id is 12 digits; a principal ARN looks like arn:aws:iam::123456789012:role/NAME');
          }
        }
        un.length = 0;
        principals.push(...resolved);
      });
      const c: ConditionBlock = {};
      if (spec.externalId !== undefined) addCond(c, 'StringEquals', 'sts:ExternalId', spec.externalId);
      if (spec.mfa) addCond(c, 'Bool', 'aws:MultiFactorAuthPresent', 'true');
      mergeConditions(ctx, t, c, spec.conditions);
      const st: PolicyStatement = { Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' };
      if (Object.keys(c).length) st.Condition = c;
      out.push({ statement: st, origin: { pos: [usePos, ctx.pos('trust', t, 'aws')], from } });
    } else if (spec.externalId !== undefined || spec.mfa) {
      ctx.problem(ctx.pos('trust', t), `trust ${t}: externalId and mfa apply to aws: principals, and there are none`, 'add aws: [account or role ARNs]');
    }
    if (spec.federated) {
      const f = spec.federated;
      const host = oidcHost(f.provider);
      let providerArn: string;
      if (f.provider.startsWith('arn:')) providerArn = f.provider;
      else if (ctx.account) providerArn = `arn:${ctx.partition}:iam::${ctx.account}:oidc-provider/${host}`;
      else {
        ctx.problem(ctx.pos('trust', t, 'federated', 'provider'), `trust ${t}: the OIDC provider ARN needs the account ID`, 'set `account:` in the spec, or give the provider as a full ARN');
        providerArn = `arn:${ctx.partition}:iam::{accountId}:oidc-provider/${host}`;
      }
      const c: ConditionBlock = {};
      addCond(c, 'StringEquals', `${host}:aud`, f.audience ?? 'sts.amazonaws.com');
      if (f.subjects?.length) addCond(c, 'StringLike', `${host}:sub`, f.subjects);
      else ctx.problem(ctx.pos('trust', t, 'federated'), `trust ${t}: a federated trust needs subjects (the \`sub\` claims allowed)`, 'e.g. subjects: ["repo:ORG/REPO:ref:refs/heads/main"]; without them any identity of the provider could assume the role');
      mergeConditions(ctx, t, c, spec.conditions);
      out.push({
        statement: { Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: c },
        origin: { pos: [usePos, ctx.pos('trust', t, 'federated')], from },
      });
    }
  });
  return out;
}
