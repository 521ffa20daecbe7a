/** grammar: empty lists in Action, Resource, Principal or condition values. */
import { isObject } from '../doc-model.js';
import type { Rule } from '../types.js';

const ELEMENTS = ['Action', 'NotAction', 'Resource', 'NotResource'];
const PRINCIPALS = ['Principal', 'NotPrincipal'];

export const emptyArray: Rule = {
  meta: {
    id: 'empty-array',
    title: 'Empty list',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'An empty list in Action, NotAction, Resource, NotResource, a Principal entry, or a condition value.',
      why: 'IAM rejects empty Action/Resource lists; an empty condition value list makes the condition ambiguous (it never matches, or always does with a negated operator). Usually a template parameter that expanded to nothing.',
      bad: '{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": [] }',
      good: '{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::my-bucket/*"] }',
      fix: 'Fill the list, or remove the element (and the statement if it grants nothing).',
    },
    messages: {
      emptyElement: '{{element}} is an empty list',
      emptyPrincipal: '{{element}}.{{type}} is an empty list',
      emptyCondition: 'condition {{operator}} {{key}} has an empty value list',
    },
  },
  document(d, { report }) {
    // Indexed loops: a rule runs mostly before it is optimised, when for-of allocates per step.
    for (let i = 0; i < d.statements.length; i++) {
      const st = d.statements[i]!;
      for (let e = 0; e < ELEMENTS.length; e++) {
        const el = ELEMENTS[e]!;
        const v = st.raw[el];
        if (Array.isArray(v) && v.length === 0) report({ at: d.pos(st.index, el), messageId: 'emptyElement', data: { element: el }, hint: 'IAM rejects it: fill it or remove the statement' });
      }
      for (let e = 0; e < PRINCIPALS.length; e++) {
        const el = PRINCIPALS[e]!;
        const p = st.raw[el];
        if (!isObject(p)) continue;
        for (const [k, v] of Object.entries(p)) if (Array.isArray(v) && v.length === 0) report({ at: d.pos(st.index, el, k), messageId: 'emptyPrincipal', data: { element: el, type: k } });
      }
      for (let j = 0; j < st.conditions.length; j++) {
        const c = st.conditions[j]!;
        if (Array.isArray(c.raw) && c.raw.length === 0) report({ at: d.pos(st.index, 'Condition', c.op, c.key), messageId: 'emptyCondition', data: { operator: c.op, key: c.key }, hint: 'give it at least one value', severity: 'warning' });
      }
    }
  },
};
