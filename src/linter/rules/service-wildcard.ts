/** least-privilege: service:* in an Allow. */
import { elementPath } from '../doc-model.js';
import type { Rule } from '../types.js';
import { patternDeniedInDoc } from '../grants.js';

/** "svc:*" with a service of letters, digits and "-" (what /^[A-Za-z0-9-]+:\*$/ says, without a regex per action). */
function isServiceStar(a: string): boolean {
  const n = a.length;
  if (n < 3 || a.charCodeAt(n - 1) !== 42 || a.charCodeAt(n - 2) !== 58) return false;
  for (let i = 0; i < n - 2; i++) {
    const c = a.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45)) return false;
  }
  return true;
}

export const serviceWildcard: Rule = {
  meta: {
    id: 'service-wildcard',
    title: 'Allow of every action of a service (service:*)',
    severity: 'warning',
    category: 'least-privilege',
    docs: {
      what: 'An Allow statement with an action such as "s3:*" or "dynamodb:*" (every action of the service, including deleting, policy and permission changes).',
      why: 's3:* includes s3:PutBucketPolicy and s3:DeleteBucket; dynamodb:* includes DeleteTable. Workloads rarely need more than a handful of actions.',
      bad: '{ "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*" }',
      good: '{ "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/my-table" }',
      fix: 'List the actions needed (a built-in ReadOnly/WriteOnly template often fits). A *:FullAccess built-in with `allowFullAccess: <reason>` is accepted instead of this finding.',
    },
    messages: {
      serviceWildcard: '"{{action}}" allows every {{service}} action, including destructive and permission-changing ones',
    },
  },
  document(d, { report }) {
    if (d.kind !== 'identity') return;
    // Indexed loops: a rule runs mostly before it is optimised, when for-of allocates per step.
    for (let i = 0; i < d.statements.length; i++) {
      const st = d.statements[i]!;
      if (st.effect !== 'Allow' || !st.action) continue;
      let from: string[] | undefined;
      for (let j = 0; j < st.action.length; j++) {
        const a = st.action[j]!;
        if (!isServiceStar(a)) continue;
        from ??= d.origin?.(st.index) ?? [];
        // A *:FullAccess built-in with allowFullAccess is reported (or accepted) by full-access-builtin.
        if (from.some((f) => f === `builtin ${a.slice(0, -2)}:FullAccess`)) continue;
        // A Deny in the same policy that takes the whole service away on these resources leaves nothing to warn about.
        if (patternDeniedInDoc(d, st, a)) continue;
        report({ at: d.pos(st.index, ...elementPath(st, 'Action', a)), messageId: 'serviceWildcard', data: { action: a, service: a.slice(0, -2) }, hint: 'list the actions the workload calls' });
      }
    }
  },
};
