/** size: document sizes against IAM quotas, reported as "used / limit". */
import type { Rule } from '../types.js';
import { allow, doc } from './util.js';

export const INLINE_AGGREGATE_LIMIT = 10240;
export const MANAGED_POLICY_LIMIT = 6144;
export const TRUST_POLICY_LIMIT = 2048;

function bigPolicy(n: number): unknown {
  return doc(...Array.from({ length: n }, (_, i) => allow(['s3:ListBucket', 's3:GetObject'], [`arn:aws:s3:::bucket-number-${i}-with-a-long-name-for-size`, `arn:aws:s3:::bucket-number-${i}-with-a-long-name-for-size/*`])));
}

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
  },
  cases: [
    { name: 'small policy', fire: false, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*')) },
    { name: 'policy file over 6,144 (managed quota)', fire: true, policy: bigPolicy(40), message: '/ 6144' },
    { name: 'policy file over 10,240', fire: true, policy: bigPolicy(100), message: '/ 10240' },
  ],
  document(d, { report }) {
    const specLimit = d.kind === 'trust' ? TRUST_POLICY_LIMIT : MANAGED_POLICY_LIMIT;
    if (d.container === 'inline') return; // measured as an aggregate per role
    const limit = d.kind === 'trust' ? (d.trustLimit ?? specLimit) : specLimit;
    const what = d.kind === 'trust' ? 'trust policy' : 'managed policy';
    if (d.container === 'file' && d.kind === 'identity' && d.size > limit) {
      // A policy file may become an inline policy (up to 10,240 per role) or a managed one (6,144).
      if (d.size > INLINE_AGGREGATE_LIMIT) report({ at: d.pos(), message: `${d.label} is ${d.size} / ${INLINE_AGGREGATE_LIMIT} characters: too large for any customer policy (inline aggregate ${INLINE_AGGREGATE_LIMIT}, managed ${MANAGED_POLICY_LIMIT})`, hint: 'split it', key: 'size file' });
      else report({ at: d.pos(), message: `${d.label} is ${d.size} / ${MANAGED_POLICY_LIMIT} characters: over the managed policy quota (it fits only inline, up to ${INLINE_AGGREGATE_LIMIT} per role)`, severity: 'warning', hint: 'split it to use it as a managed policy', key: 'size file managed' });
      return;
    }
    if (d.size > limit) report({ at: d.pos(), message: `${d.label} is ${d.size} / ${limit} characters (${what} quota)`, hint: d.kind === 'trust' ? 'trim principals, or raise lint.trustPolicyLimit if your quota is 4,096' : 'split it, or merge statements', key: `size ${what}` });
    else if (d.size > limit * 0.9) report({ at: d.pos(), message: `${d.label} is ${d.size} / ${limit} characters, near the ${what} quota`, severity: 'info', key: `near ${what}` });
  },
  principal(p, { report }) {
    const inline = p.docs.filter((d) => d.container === 'inline');
    if (inline.length === 0) return;
    const used = inline.reduce((n, d) => n + d.size, 0);
    if (used > INLINE_AGGREGATE_LIMIT) report({ at: p.at, message: `${p.label}: inline policies total ${used} / ${INLINE_AGGREGATE_LIMIT} characters`, hint: 'move statements to managed policies', subject: p.label, key: 'size inline' });
    else if (used > INLINE_AGGREGATE_LIMIT * 0.9) report({ at: p.at, message: `${p.label}: inline policies total ${used} / ${INLINE_AGGREGATE_LIMIT} characters, near the quota`, severity: 'info', subject: p.label, key: 'near inline' });
  },
};
