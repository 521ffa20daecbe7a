/** trust: a role anyone may assume. */
import type { Rule } from '../types.js';
import { stmtName } from './util.js';
import { hasConditionKey, principalsOf } from './trust-util.js';

const LIMITING_KEYS = ['aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOrgID', 'aws:PrincipalServiceName'];

export const trustAnyPrincipal: Rule = {
  meta: {
    id: 'trust-any-principal',
    title: 'Trust policy lets anyone assume the role',
    severity: 'error',
    category: 'trust',
    docs: {
      what: 'An Allow in a trust policy with Principal "*" or {"AWS": "*"}: any AWS account (any IAM principal in the world) may assume the role. With a condition that pins the caller (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount …) it is a warning.',
      why: 'Without conditions the role and everything it can do is public.',
      bad: '{ "Effect": "Allow", "Principal": { "AWS": "*" }, "Action": "sts:AssumeRole" }',
      good: '{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:role/ci" }, "Action": "sts:AssumeRole", "Condition": { "StringEquals": { "sts:ExternalId": "…" } } }',
      fix: 'Name the accounts or roles that may assume it (spec `trust:` with `aws:` entries).',
    },
    messages: {
      anyone: '{{where}} lets anyone{{matching}} assume the role (Principal "*")',
    },
  },
  document(d, { report }) {
    if (d.kind !== 'trust') return;
    for (const st of d.statements) {
      if (st.effect !== 'Allow') continue;
      if (!principalsOf(st).any) continue;
      const limited = hasConditionKey(st, ...LIMITING_KEYS);
      report({
        at: d.pos(st.index, 'Principal'),
        messageId: 'anyone',
        data: { where: stmtName(d, st), matching: limited ? ' matching its conditions' : '' },
        hint: 'name the accounts or roles that may assume it',
        severity: limited ? 'warning' : 'error',
      });
    }
  },
};
