/** grammar: empty lists in Action, Resource, Principal or condition values. */
import { isObject } from '../doc-model.js';
import type { Rule } from '../types.js';

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
    for (const st of d.statements) {
      for (const el of ['Action', 'NotAction', 'Resource', 'NotResource']) {
        const v = st.raw[el];
        if (Array.isArray(v) && v.length === 0) report({ at: d.pos(st.index, el), messageId: 'emptyElement', data: { element: el }, hint: 'IAM rejects it: fill it or remove the statement' });
      }
      for (const el of ['Principal', 'NotPrincipal']) {
        const p = st.raw[el];
        if (!isObject(p)) continue;
        for (const [k, v] of Object.entries(p)) if (Array.isArray(v) && v.length === 0) report({ at: d.pos(st.index, el, k), messageId: 'emptyPrincipal', data: { element: el, type: k } });
      }
      for (const c of st.conditions)
        if (Array.isArray(c.raw) && c.raw.length === 0) report({ at: d.pos(st.index, 'Condition', c.op, c.key), messageId: 'emptyCondition', data: { operator: c.op, key: c.key }, hint: 'give it at least one value', severity: 'warning' });
    }
  },
};
