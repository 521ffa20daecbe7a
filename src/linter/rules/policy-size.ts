/** size: document sizes against IAM quotas, reported as "used / limit". */
import type { Rule } from '../types.js';

export const INLINE_AGGREGATE_LIMIT = 10240;
export const MANAGED_POLICY_LIMIT = 6144;
export const TRUST_POLICY_LIMIT = 2048;

export const policySizeRule: Rule = {
  meta: {
    id: 'policy-size',
    title: 'Policy document over its IAM size quota',
    severity: 'error',
    category: 'size',
    docs: {
      what: 'Sizes in IAM\'s measure (characters excluding whitespace): a role\'s inline policies together over 10,240; a managed policy over 6,144; a trust policy over 2,048 (raise `lint.trustPolicyLimit` up to 4,096 if your account\'s quota was raised). Above 90% of a limit it is an info finding. A policy file is measured as a managed policy (or a trust policy).',
      why: 'IAM rejects oversized documents at apply time (LimitExceeded), mid-way through a change. The seeds quote 2,048 for inline policies: that is the trust-policy default, not the inline limit.',
      bad: '# a role whose inline statements total 11,000 characters',
      good: '# charter splits overflowing inline statements into customer-managed policies; keep each under 6,144',
      fix: 'Merge statements with the same resources, use wildcards in action names with care, or split into managed policies.',
    },
    messages: {
      fileTooLarge: '{{doc}} is {{size}} / {{inline}} characters: too large for any customer policy (inline aggregate {{inline}}, managed {{managed}})',
      fileOverManaged: '{{doc}} is {{size}} / {{managed}} characters: over the managed policy quota (it fits only inline, up to {{inline}} per role)',
      overQuota: '{{doc}} is {{size}} / {{limit}} characters ({{what}} quota)',
      nearQuota: '{{doc}} is {{size}} / {{limit}} characters, near the {{what}} quota',
      inlineTotal: '{{principal}}: inline policies total {{size}} / {{limit}} characters',
      inlineNear: '{{principal}}: inline policies total {{size}} / {{limit}} characters, near the quota',
    },
  },
  document(d, { report }) {
    const specLimit = d.kind === 'trust' ? TRUST_POLICY_LIMIT : MANAGED_POLICY_LIMIT;
    if (d.container === 'inline') return; // measured as an aggregate per role
    const limit = d.kind === 'trust' ? (d.trustLimit ?? specLimit) : specLimit;
    const what = d.kind === 'trust' ? 'trust policy' : 'managed policy';
    if (d.container === 'file' && d.kind === 'identity' && d.size > limit) {
      // A policy file may become an inline policy (up to 10,240 per role) or a managed one (6,144).
      if (d.size > INLINE_AGGREGATE_LIMIT) report({ at: d.pos(), messageId: 'fileTooLarge', data: {}, context: { doc: d.label, size: d.size, inline: INLINE_AGGREGATE_LIMIT, managed: MANAGED_POLICY_LIMIT }, hint: 'split it' });
      else report({ at: d.pos(), messageId: 'fileOverManaged', data: {}, context: { doc: d.label, size: d.size, inline: INLINE_AGGREGATE_LIMIT, managed: MANAGED_POLICY_LIMIT }, severity: 'warning', hint: 'split it to use it as a managed policy' });
      return;
    }
    if (d.size > limit) report({ at: d.pos(), messageId: 'overQuota', data: { what }, context: { doc: d.label, size: d.size, limit }, hint: d.kind === 'trust' ? 'trim principals, or raise lint.trustPolicyLimit if your quota is 4,096' : 'split it, or merge statements' });
    else if (d.size > limit * 0.9) report({ at: d.pos(), messageId: 'nearQuota', data: { what }, context: { doc: d.label, size: d.size, limit }, severity: 'info' });
  },
  principal(p, { report }) {
    const inline = p.docs.filter((d) => d.container === 'inline');
    if (inline.length === 0) return;
    const used = inline.reduce((n, d) => n + d.size, 0);
    if (used > INLINE_AGGREGATE_LIMIT) report({ at: p.at, messageId: 'inlineTotal', data: {}, context: { principal: p.label, size: used, limit: INLINE_AGGREGATE_LIMIT }, hint: 'move statements to managed policies', subject: p.label });
    else if (used > INLINE_AGGREGATE_LIMIT * 0.9) report({ at: p.at, messageId: 'inlineNear', data: {}, context: { principal: p.label, size: used, limit: INLINE_AGGREGATE_LIMIT }, severity: 'info', subject: p.label });
  },
};
