/** grammar: empty lists in Action, Resource, Principal or condition values. */
import { isObject } from '../doc-model.js';
import type { Rule } from '../types.js';
import { allow, doc } from './util.js';

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
  },
  cases: [
    { name: 'filled lists', fire: false, policy: doc(allow(['s3:GetObject'], ['arn:aws:s3:::b/*'])) },
    { name: 'empty Resource', fire: true, policy: doc(allow('s3:GetObject', [])), message: 'Resource' },
    { name: 'empty condition values', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*', { StringEquals: { 'aws:PrincipalTag/team': [] } })), message: 'condition' },
  ],
  document(d, { report }) {
    for (const st of d.statements) {
      for (const el of ['Action', 'NotAction', 'Resource', 'NotResource']) {
        const v = st.raw[el];
        if (Array.isArray(v) && v.length === 0) report({ at: d.pos(st.index, el), message: `${el} is an empty list`, hint: 'IAM rejects it: fill it or remove the statement' });
      }
      for (const el of ['Principal', 'NotPrincipal']) {
        const p = st.raw[el];
        if (!isObject(p)) continue;
        for (const [k, v] of Object.entries(p)) if (Array.isArray(v) && v.length === 0) report({ at: d.pos(st.index, el, k), message: `${el}.${k} is an empty list` });
      }
      for (const c of st.conditions)
        if (Array.isArray(c.raw) && c.raw.length === 0) report({ at: d.pos(st.index, 'Condition', c.op, c.key), message: `condition ${c.op} ${c.key} has an empty value list`, hint: 'give it at least one value', severity: 'warning' });
    }
  },
};
