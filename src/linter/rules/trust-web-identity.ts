/** trust: web-identity (OIDC) trusts that any workflow, pipeline or pod of the provider may assume. */
import type { Cond, DocView, Rule, Stmt } from '../types.js';
import { stmtName } from './util.js';
import { oidcIssuer, principalsOf } from './trust-util.js';

const WEB = 'sts:AssumeRoleWithWebIdentity';

/** Claim-type prefixes of the `sub` claims of common providers, before the part that names who. */
const SUB_PREFIXES = ['repo:', 'project_path:', 'organization:', 'system:serviceaccount:'];

export type SubScope = { kind: 'any' } | { kind: 'org'; owner: string } | { kind: 'narrow' };

/** How much one `sub` pattern admits: anything, every repository of one owner, or less. */
export function subScope(pattern: string): SubScope {
  const prefix = SUB_PREFIXES.find((p) => pattern.toLowerCase().startsWith(p)) ?? '';
  const rest = pattern.slice(prefix.length);
  if (/^[*?]/.test(rest) || rest === '') return { kind: 'any' };
  // "org/*" (GitHub, GitLab groups) or "org:*" (Terraform Cloud organisations): every repository / project of the owner.
  const m = /^([^*?/:]+)[/:]\*/.exec(rest);
  if (m) return { kind: 'org', owner: m[1]! };
  return { kind: 'narrow' };
}

function claimConds(st: Stmt, issuer: string, claim: string): Cond[] {
  const key = `${issuer}:${claim}`.toLowerCase();
  return st.conditions.filter((c) => c.key.toLowerCase() === key && !c.base.includes('Not'));
}

function admits(issuer: string, owner: string): string {
  if (issuer === 'token.actions.githubusercontent.com') return `every repository of ${owner}, on every branch, pull request and environment`;
  if (issuer === 'app.terraform.io') return `every project and workspace of the Terraform Cloud organisation ${owner}`;
  return `every project of ${owner}, on every branch and environment`;
}

function check(d: DocView, st: Stmt, report: Parameters<NonNullable<Rule['document']>>[1]['report']): void {
  const actions = st.action ?? [];
  for (const fed of principalsOf(st).federated) {
    const issuer = oidcIssuer(fed);
    if (!issuer) continue;
    if (!fed.includes('oidc-provider/') && !actions.some((a) => a.toLowerCase() === WEB.toLowerCase() || a === '*' || a.toLowerCase() === 'sts:*')) continue;
    const subs = claimConds(st, issuer, 'sub');
    const where = stmtName(d, st);
    if (subs.length === 0) {
      report({ at: d.pos(st.index, 'Principal'), messageId: 'noSub', data: { where, issuer }, hint: `add a StringEquals/StringLike condition on ${issuer}:sub naming the repository and branch (spec: federated.subjects)`, severity: 'error' });
    } else {
      const scopes = subs.flatMap((c) => c.values.map((v) => ({ c, v, s: subScope(c.base === 'StringEquals' ? v.replace(/[*?]/g, 'x') : v) })));
      const any = scopes.find((x) => x.s.kind === 'any');
      const org = scopes.find((x) => x.s.kind === 'org');
      if (any) report({ at: d.pos(st.index, 'Condition', any.c.op, any.c.key), messageId: 'anySub', data: { where, issuer, sub: any.v }, hint: 'name the repository and branch or environment, e.g. "repo:ORG/REPO:ref:refs/heads/main"', severity: 'error' });
      else if (org && org.s.kind === 'org') report({ at: d.pos(st.index, 'Condition', org.c.op, org.c.key), messageId: 'orgSub', data: { where, issuer, sub: org.v, admits: admits(issuer, org.s.owner) }, hint: 'name the repository and the branch or environment that deploys', severity: 'warning' });
    }
    if (claimConds(st, issuer, 'aud').length === 0) report({ at: d.pos(st.index, 'Principal'), messageId: 'noAud', data: { where, issuer }, hint: `add StringEquals ${issuer}:aud (sts.amazonaws.com for GitHub Actions)`, severity: 'warning' });
  }
}

export const trustWebIdentity: Rule = {
  meta: {
    id: 'trust-web-identity',
    title: 'Web-identity (OIDC) trust that admits too many identities',
    severity: 'error',
    category: 'trust',
    docs: {
      what: 'An Allow in a trust policy for an OIDC provider (GitHub Actions, GitLab, Terraform Cloud, Bitbucket, EKS service accounts, any oidc-provider/…) with no `sub` condition or a `sub` that matches anything ("*", "repo:*") is an error; an organisation-wide `sub` ("repo:ORG/*") is a warning naming what it admits; a missing `aud` condition is a warning. The same holds for a spec\'s `federated:` trust (its `subjects`).',
      why: 'A provider issues tokens to every repository, pipeline or pod it serves: without a narrow `sub`, any of them — including other people\'s — can assume the role.',
      bad: '{ "Effect": "Allow", "Principal": { "Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": { "StringLike": { "token.actions.githubusercontent.com:sub": "repo:*" } } }',
      good: '{ "Effect": "Allow", "Principal": { "Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": { "StringEquals": { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main" } } }',
      fix: 'Condition the trust on `HOST:sub` naming the repository and branch or environment, and on `HOST:aud` (spec: `federated: { subjects: [...], audience: ... }`).',
    },
    messages: {
      noSub: '{{where}} trusts the OIDC provider {{issuer}} with no {{issuer}}:sub condition: any identity it issues tokens for (any workflow of any repository) can assume the role',
      anySub: '{{where}} trusts {{issuer}} for sub "{{sub}}", which matches any identity of the provider: any workflow of any repository can assume the role',
      orgSub: '{{where}} trusts {{issuer}} for sub "{{sub}}", which admits {{admits}}',
      noAud: '{{where}} trusts {{issuer}} without an {{issuer}}:aud condition: tokens minted for any audience are accepted',
    },
  },
  document(d, { report }) {
    if (d.kind !== 'trust') return;
    for (const st of d.statements) if (st.effect === 'Allow') check(d, st, report);
  },
};
