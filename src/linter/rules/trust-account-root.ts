/** trust: a whole account (root principal) may assume the role, unconditionally. */
import type { Rule } from '../types.js';
import { stmtName } from './util.js';
import { isRootPrincipal, principalsOf } from './trust-util.js';

export const trustAccountRoot: Rule = {
  meta: {
    id: 'trust-account-root',
    title: 'Whole account trusted without conditions',
    severity: 'warning',
    category: 'trust',
    docs: {
      what: 'A trust statement naming an account root ("arn:aws:iam::111122223333:root" or a bare account id) without any condition.',
      why: 'The root principal delegates to the whole account: every user and role there whose own policies allow sts:AssumeRole can assume this role. It is rarely what the author meant.',
      bad: '{ "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "sts:AssumeRole" }',
      good: '{ "Principal": { "AWS": "arn:aws:iam::111122223333:role/deployer" }, "Action": "sts:AssumeRole", "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } } }',
      fix: 'Name the role or user, or add a condition (aws:PrincipalArn, sts:ExternalId, MFA).',
    },
    messages: {
      wholeAccount: '{{where}} trusts the whole account {{accounts}} without conditions',
    },
  },
  document(d, { report }) {
    if (d.kind !== 'trust') return;
    for (const st of d.statements) {
      if (st.effect !== 'Allow' || st.conditions.length) continue;
      const roots = principalsOf(st).aws.filter(isRootPrincipal);
      if (roots.length === 0) continue;
      report({ at: d.pos(st.index, 'Principal'), messageId: 'wholeAccount', data: { where: stmtName(d, st), accounts: roots.join(', ') }, hint: 'name the role/user, or add aws:PrincipalArn / ExternalId / MFA conditions' });
    }
  },
};
