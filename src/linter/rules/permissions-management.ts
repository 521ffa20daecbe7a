/** least-privilege: unconstrained permissions-management actions. */
import { wholeServicePattern } from '../../policy/glob.js';
import { deniedInDoc } from '../grants.js';
import { elementPath } from '../doc-model.js';
import type { Rule } from '../types.js';
import type { ActionInfo } from '../../policy/iam-data.js';

export const permissionsManagement: Rule = {
  meta: {
    id: 'permissions-management',
    title: 'Unconstrained permissions-management actions',
    severity: 'warning',
    category: 'least-privilege',
    docs: {
      what: 'An Allow, on Resource "*" and without conditions, of actions whose access level is "Permissions management" (they change who may do what: resource policies, grants, ACLs, IAM policies).',
      why: 'These actions let the holder widen access to data or to itself (s3:PutBucketPolicy, kms:CreateGrant, iam:PutRolePolicy, lambda:AddPermission …).',
      bad: '{ "Effect": "Allow", "Action": ["s3:PutBucketPolicy", "kms:CreateGrant"], "Resource": "*" }',
      good: '{ "Effect": "Allow", "Action": "kms:CreateGrant", "Resource": "arn:aws:kms:us-west-2:123456789012:key/…", "Condition": { "Bool": { "kms:GrantIsForAWSResource": "true" } } }',
      fix: 'Scope them to the exact resources, add conditions, or move them to a separate administrative role.',
    },
    messages: {
      permissionsManagement: 'permissions-management actions on every resource without conditions: {{shown}}',
    },
  },
  document(d, { iam, report }) {
    if (d.kind !== 'identity') return;
    for (let i = 0; i < d.statements.length; i++) {
      const st = d.statements[i]!;
      if (st.effect !== 'Allow' || !st.action || st.conditions.length) continue;
      if (!(st.resource?.includes('*') || st.notResource)) continue;
      const pm = new Set<ActionInfo>();
      let first: string | undefined;
      for (let k = 0; k < st.action.length; k++) {
        const a = st.action[k]!;
        if (wholeServicePattern(a)) continue;
        // Indexed: "*"-like patterns expand to thousands, and an array iterator allocates a result per step until the function is optimised.
        const infos = iam.expandInfo(a);
        for (let j = 0; j < infos.length; j++) {
          const info = infos[j]!;
          if (info.accessLevel.includes('Permissions management') && !pm.has(info) && !deniedInDoc(d, st, info.qualified)) {
            pm.add(info);
            first ??= a;
          }
        }
      }
      if (pm.size === 0) continue;
      const list = [...pm].sort((x, y) => x.sortKey - y.sortKey).map((i) => i.qualified);
      const shown = list.length > 5 ? `${list.slice(0, 5).join(', ')} and ${list.length - 5} more` : list.join(', ');
      report({ at: d.pos(st.index, ...elementPath(st, 'Action', first ?? '')), messageId: 'permissionsManagement', data: { actions: list.join(',') }, context: { shown }, hint: 'scope them to specific resources or add conditions' });
    }
  },
};
