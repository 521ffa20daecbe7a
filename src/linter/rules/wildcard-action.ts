/** least-privilege: Action "*" (or "*:*") in an Allow. */
import { elementPath } from '../doc-model.js';
import type { Rule } from '../types.js';
import { patternDeniedInDoc } from '../grants.js';

export const wildcardAction: Rule = {
  meta: {
    id: 'wildcard-action',
    title: 'Allow of every action ("*")',
    severity: 'error',
    category: 'least-privilege',
    docs: {
      what: 'An Allow statement whose Action is "*" or "*:*": every action of every service.',
      why: 'With Resource "*" this is AdministratorAccess; even scoped to a resource it grants every present and future action on it. The seeds\' "Common Security Mistakes" lists `*:*` first.',
      bad: 'statements:\n  - actions: ["*:*"]\n    resources: ["*"]',
      good: 'policies: [s3:ReadOnly]\nscope: { s3: ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"] }',
      fix: 'List the actions the workload calls (CloudTrail or IAM Access Advisor shows them), or use a built-in template.',
    },
    messages: {
      everyAction: 'Action "{{action}}" allows every action in {{doc}}',
      administrator: 'Action "{{action}}" allows every action on every resource (administrator access) in {{doc}}',
    },
  },
  document(d, { report }) {
    if (d.kind !== 'identity') return;
    // Indexed loops: a rule runs mostly before it is optimised, when for-of allocates per step.
    for (let i = 0; i < d.statements.length; i++) {
      const st = d.statements[i]!;
      if (st.effect !== 'Allow' || !st.action) continue;
      for (let j = 0; j < st.action.length; j++) {
        const a = st.action[j]!;
        if (a !== '*' && a !== '*:*') continue;
        // Everything denied again in the same policy on these resources: nothing to warn about.
        if (patternDeniedInDoc(d, st, '*')) continue;
        const all = st.resource?.includes('*') || st.notResource !== undefined;
        report({ at: d.pos(st.index, ...elementPath(st, 'Action', a)), messageId: all ? 'administrator' : 'everyAction', data: { action: a, doc: d.label }, hint: 'list the actions the workload needs, or use a built-in template (charter templates)' });
      }
    }
  },
};
