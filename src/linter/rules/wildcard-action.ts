/** least-privilege: Action "*" (or "*:*") in an Allow. */
import { elementPath } from '../doc-model.js';
import type { Rule } from '../types.js';
import { patternDeniedInDoc } from '../grants.js';
import { allow, doc, SPEC_HEAD } from './util.js';

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
  cases: [
    { name: 'specific actions', fire: false, policy: doc(allow(['s3:GetObject'], 'arn:aws:s3:::b/*')) },
    { name: 'Deny of everything is fine', fire: false, policy: doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }) },
    { name: 'Allow * with Deny * in the same policy (a disabled policy)', fire: false, policy: doc(allow('*', '*'), { Effect: 'Deny', Action: '*', Resource: '*' }) },
    { name: 'Allow * with only IAM denied still allows every other action', fire: true, policy: doc(allow('*', '*'), { Effect: 'Deny', Action: 'iam:*', Resource: '*' }), message: 'administrator access', at: { line: 6, column: 17 } },
    { name: 'every action on one bucket', fire: true, policy: doc(allow('*', ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'])), message: 'Action "*" allows every action in policy case.json', at: { line: 6, column: 17 } },
    { name: 'AdministratorAccess', fire: true, policy: doc(allow('*', '*')), message: 'every action', at: { line: 6, column: 17 } },
    { name: '*:* (seed mistake)', fire: true, policy: doc(allow('*:*', '*')), message: '"*:*"', at: { line: 6, column: 17 } },
    { name: 'Action * in a spec', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: ["*"]\n        resources: ["*"]\n    trust: [ec2]\n`, message: 'administrator', at: { line: 8, column: 19 } },
  ],
  document(d, { report }) {
    if (d.kind !== 'identity') return;
    for (const st of d.statements) {
      if (st.effect !== 'Allow' || !st.action) continue;
      for (const a of st.action) {
        if (a !== '*' && a !== '*:*') continue;
        // Everything denied again in the same policy on these resources: nothing to warn about.
        if (patternDeniedInDoc(d, st, '*')) continue;
        const all = st.resource?.includes('*') || st.notResource !== undefined;
        report({ at: d.pos(st.index, ...elementPath(st, 'Action', a)), messageId: all ? 'administrator' : 'everyAction', data: { action: a, doc: d.label }, hint: 'list the actions the workload needs, or use a built-in template (charter templates)' });
      }
    }
  },
};
