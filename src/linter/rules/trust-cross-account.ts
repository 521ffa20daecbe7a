/** trust: another account may assume the role without ExternalId or MFA. */
import type { Rule } from '../types.js';
import { stmtName } from './util.js';
import { hasConditionKey, principalAccount, principalsOf } from './trust-util.js';

export const trustCrossAccount: Rule = {
  meta: {
    id: 'trust-cross-account',
    title: 'Cross-account trust without ExternalId or MFA',
    severity: 'warning',
    category: 'trust',
    docs: {
      what: 'A trust statement allowing principals of another account (any account, for a policy file whose account is unknown) to assume the role with no sts:ExternalId condition and no MFA condition (aws:MultiFactorAuthPresent / aws:MultiFactorAuthAge).',
      why: 'Third parties acting for several customers need an ExternalId to avoid the confused-deputy problem; human cross-account access should require MFA.',
      bad: 'trust:\n  partner: { aws: ["arn:aws:iam::111111111111:root"] }',
      good: 'trust:\n  partner: { aws: ["arn:aws:iam::111111111111:root"], externalId: x-7f3a, mfa: true }',
      fix: 'Add `externalId:` (third parties) or `mfa: true` (people) to the named trust.',
    },
    messages: {
      crossAccount: '{{where}} lets account {{accounts}} assume the role without an ExternalId or MFA condition',
    },
  },
  document(d, { report }) {
    if (d.kind !== 'trust') return;
    for (const st of d.statements) {
      if (st.effect !== 'Allow') continue;
      const others = [...new Set(principalsOf(st).aws.map(principalAccount).filter((a): a is string => a !== undefined && a !== d.account))];
      if (others.length === 0) continue;
      if (hasConditionKey(st, 'sts:ExternalId', 'aws:MultiFactorAuthPresent', 'aws:MultiFactorAuthAge')) continue;
      report({ at: d.pos(st.index, 'Principal'), messageId: 'crossAccount', data: { where: stmtName(d, st), accounts: others.join(', ') }, hint: 'add externalId (third parties) or mfa: true (people) to the trust' });
    }
  },
};
