/** condition: ForAllValues in an Allow without a Null check (true when the key is absent). */
import type { Rule } from '../types.js';
import { keyValuedness } from './set-operator-single-valued.js';

export const forAllValuesWithoutNull: Rule = {
  meta: {
    id: 'forallvalues-without-null',
    title: 'ForAllValues without a Null check',
    severity: 'warning',
    category: 'condition',
    docs: {
      what: 'An Allow with a ForAllValues: condition on a key, and no Null condition requiring the key to be present.',
      why: 'ForAllValues is true when the request has no values for the key: "only these tag keys" also allows a request with no tags at all, and a multi-valued key that is absent passes every ForAllValues test.',
      bad: '"Condition": { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "env"] } }',
      good: '"Condition": { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "env"] }, "Null": { "aws:TagKeys": "false" } }',
      fix: 'Add `Null: { <key>: "false" }` to the same statement (or use ForAnyValue when one match is meant).',
    },
    messages: {
      noNull: '{{op}} on {{key}} is also true when the request has no {{key}} at all',
    },
  },
  document(d, { iam, report }) {
    for (const st of d.statements) {
      if (st.effect !== 'Allow') continue;
      for (const c of st.conditions) {
        if (c.set !== 'ForAllValues') continue;
        // on a single-valued key the fix is to drop the prefix: set-operator-single-valued says so
        if (keyValuedness(c.key, iam) === 'single') continue;
        const key = c.key.toLowerCase();
        const checked = st.conditions.some((x) => x.base === 'Null' && x.key.toLowerCase() === key && x.values.every((v) => v.toLowerCase() === 'false'));
        if (checked) continue;
        report({ at: d.keyPos(st.index, 'Condition', c.op, c.key), messageId: 'noNull', data: { op: c.op, key: c.key }, hint: `add "Null": { "${c.key}": "false" } to the statement` });
      }
    }
  },
};
