/** grammar: a service condition key that applies to none of the statement's actions. */
import type { ActionInfo } from '../../policy/iam-data.js';
import type { Rule } from '../types.js';

/** A wildcard before the first ":" (a pattern over services). */
function wildcardService(a: string): boolean {
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    if (c === 58) return false;
    if (c === 42 || c === 63) return a.includes(':');
  }
  return false;
}

export const conditionKeyNotApplicable: Rule = {
  meta: {
    id: 'condition-key-not-applicable',
    title: 'Condition key does not apply to the actions',
    severity: 'warning',
    category: 'grammar',
    docs: {
      what: 'A service-specific condition key (not a global aws: key) that none of the statement\'s actions supports, per the Service Authorization Reference (action keys and resource-type keys).',
      why: 'The key is absent from every request the statement covers: an Allow conditioned on it never grants, and a Deny with a negated operator or IfExists may deny or allow everything. The seeds\' "ec2:Region" style conditions on the wrong service are typical.',
      bad: '{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "StringEquals": { "ec2:Region": "us-west-2" } } }',
      good: '{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "StringEquals": { "aws:RequestedRegion": "us-west-2" } } }',
      fix: 'Use a key the actions support (the global aws: keys work everywhere), or split the statement so each key sits with the actions it applies to.',
    },
    messages: {
      notApplicable: 'condition key "{{key}}" applies to none of the statement\'s actions ({{shown}})',
    },
  },
  document(d, { iam, report }) {
    for (const st of d.statements) {
      if (!st.action || st.conditions.length === 0) continue;
      if (st.action.some((a) => a === '*' || wildcardService(a))) continue;
      // The actions' details, expanded when a service key is first checked (most keys are global).
      let infos: ActionInfo[] | undefined;
      const seen = new Set<string>();
      for (const c of st.conditions) {
        if (seen.has(c.key)) continue;
        seen.add(c.key);
        const i = c.key.indexOf(':');
        if (i <= 0) continue;
        const prefix = c.key.slice(0, i).toLowerCase();
        if (iam.isGlobalConditionKey(c.key)) continue;
        if (prefix === 'aws' || iam.isFederationPrefix(prefix) || !iam.hasService(prefix) || !iam.conditionKeysLoaded(prefix)) continue;
        if (!iam.serviceHasConditionKey(prefix, c.key)) continue; // condition-key-unknown reports it
        infos ??= st.action.flatMap((a) => (a === '*' ? [] : iam.expandInfo(a)));
        if (infos.length === 0) break;
        if (infos.some((a) => iam.keyAppliesToAction(c.key, a))) continue;
        const names = [...new Set(infos.map((a) => a.qualified))];
        const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')}, …` : names.join(', ');
        report({ at: d.keyPos(st.index, 'Condition', c.op, c.key), messageId: 'notApplicable', data: { key: c.key, actions: names.join(',') }, context: { shown }, hint: 'use a key these actions support, or a global aws: key' });
      }
    }
  },
};
