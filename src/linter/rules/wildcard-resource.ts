/** least-privilege: Resource "*" on actions that support resource-level permissions. */
import { wholeServicePattern } from '../../policy/glob.js';
import { sha256Hex } from '../../policy/canonical.js';
import type { Rule } from '../types.js';
import type { ActionInfo } from '../../policy/iam-data.js';

export const wildcardResource: Rule = {
  meta: {
    id: 'wildcard-resource',
    title: 'Resource "*" where the actions could be scoped',
    severity: 'warning',
    category: 'least-privilege',
    docs: {
      what: 'An unconditioned Allow with Resource "*" for actions that support resource-level permissions (actions that only work with "*", such as ec2:DescribeInstances, are exempt).',
      why: '"s3:GetObject" on "*" reads every object in every bucket of the account (and any bucket elsewhere that trusts it). Scoping to ARNs limits the blast radius of a leaked credential.',
      bad: 'policies: [s3:ReadOnly]          # no scope: Resource "*"',
      good: 'policies: [s3:ReadOnly]\nscope: { s3: ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"] }',
      fix: 'Give the service a `scope` (built-ins) or list resources ARNs; or add a condition (e.g. aws:ResourceTag) when ARNs are not known in advance.',
    },
    messages: {
      scopable: 'Resource "*" for {{shown}}, which can be scoped to resource ARNs',
    },
  },
  document(d, { iam, report }) {
    if (d.kind !== 'identity') return;
    for (let i = 0; i < d.statements.length; i++) {
      const st = d.statements[i]!;
      if (st.effect !== 'Allow' || !st.action || !st.resource?.includes('*') || st.conditions.length) continue;
      const scopable: ActionInfo[] = [];
      for (let k = 0; k < st.action.length; k++) {
        const a = st.action[k]!;
        if (wholeServicePattern(a)) continue; // wildcard-action / service-wildcard report these
        // Indexed: "*"-like patterns expand to thousands, and an array iterator allocates a result per step until the function is optimised.
        const infos = iam.expandInfo(a);
        for (let j = 0; j < infos.length; j++) if (!infos[j]!.wildcardOnly) scopable.push(infos[j]!);
      }
      if (scopable.length === 0) continue;
      // Sorted as their names sort (sortKey), each once.
      if (scopable.length > 1) scopable.sort((x, y) => x.sortKey - y.sortKey);
      const list: string[] = [];
      let last: ActionInfo | undefined;
      for (let j = 0; j < scopable.length; j++) if (scopable[j] !== last) list.push((last = scopable[j]!).qualified);
      const shown = list.length > 5 ? `${list.slice(0, 5).join(', ')} and ${list.length - 5} more` : list.join(', ');
      report({ at: d.pos(st.index, 'Resource'), messageId: 'scopable', data: { digest: sha256Hex(list.join(',')) }, context: { shown }, hint: 'list the ARNs (a built-in template takes a `scope`), or add a condition' });
    }
  },
};
