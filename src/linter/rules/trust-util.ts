/** Helpers for trust-policy rules. */
import { isObject } from '../doc-model.js';
import type { Stmt } from '../types.js';

export interface Principals {
  any: boolean;
  aws: string[];
  service: string[];
  federated: string[];
}

export function principalsOf(st: Stmt): Principals {
  const out: Principals = { any: false, aws: [], service: [], federated: [] };
  const p = st.principal;
  if (p === '*') {
    out.any = true;
    return out;
  }
  if (!isObject(p)) return out;
  const list = (v: unknown) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  out.aws = list(p.AWS);
  out.service = list(p.Service);
  out.federated = list(p.Federated);
  if (out.aws.includes('*')) out.any = true;
  return out;
}

/** Account id of an AWS principal: "123456789012", "arn:aws:iam::123456789012:root|role/x|user/x". */
export function principalAccount(p: string): string | undefined {
  if (/^\d{12}$/.test(p)) return p;
  const m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(p);
  return m ? m[1] : undefined;
}

export function isRootPrincipal(p: string): boolean {
  return /^\d{12}$/.test(p) || /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(p);
}

export function hasConditionKey(st: Stmt, ...keys: string[]): boolean {
  const want = keys.map((k) => k.toLowerCase());
  return st.conditions.some((c) => want.includes(c.key.toLowerCase()));
}

/** The issuer host of an OIDC provider given as ARN (`…:oidc-provider/HOST`), URL or host. */
export function oidcIssuer(federated: string): string | undefined {
  const arn = /^arn:[^:]+:iam::[^:]*:oidc-provider\/(.+)$/.exec(federated);
  if (arn) return arn[1]!.replace(/\/+$/, '');
  if (/^arn:|saml-provider|^cognito-identity\.amazonaws\.com$/.test(federated)) return undefined;
  return federated.replace(/^https:\/\//, '').replace(/\/+$/, '') || undefined;
}
