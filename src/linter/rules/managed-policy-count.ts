/** size: managed policies attached to one role. */
import type { Rule } from '../types.js';

export const managedPolicyCount: Rule = {
  meta: {
    id: 'managed-policy-count',
    title: 'Too many managed policies on a role',
    severity: 'error',
    category: 'size',
    docs: {
      what: 'A role with more managed policies attached (AWS managed plus the ones charter creates when inline policies overflow) than the account quota: 10 by default, `lint.maxManagedPolicies` when your quota was raised (up to 20).',
      why: 'AttachRolePolicy fails with LimitExceeded half-way through an apply.',
      bad: 'managed: [ ...eleven ARNs... ]',
      good: 'managed: [ ...at most ten... ]',
      fix: 'Fold policies together, or set lint.maxManagedPolicies to your raised quota.',
    },
    messages: {
      tooMany: '{{principal}} has {{count}} / {{limit}} managed policies attached',
    },
  },
  principal(p, { report }) {
    if (!p.role) return;
    const limit = p.role && p.limitManaged ? p.limitManaged : 10;
    const n = p.role.managed.length;
    if (n > limit) report({ at: p.at, messageId: 'tooMany', data: {}, context: { principal: p.label, count: n, limit }, hint: 'fold policies together, or set lint.maxManagedPolicies to your quota', subject: p.label });
  },
};
