/** grammar: unknown condition operators (with IfExists and ForAllValues/ForAnyValue). */
import { didYouMean } from '../../diagnostics.js';
import type { Rule } from '../types.js';

export const BASE_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
];
const BASE = new Set(BASE_OPERATORS);

export const conditionOperator: Rule = {
  meta: {
    id: 'condition-operator',
    title: 'Unknown condition operator',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A Condition operator IAM does not know, including misuse of the IfExists suffix (not with Null) and of the ForAllValues:/ForAnyValue: prefixes.',
      why: 'IAM rejects the document; a typo like "StringEqual" would otherwise hide the condition you meant.',
      bad: '"Condition": { "StringEqual": { "aws:RequestedRegion": "us-west-2" } }',
      good: '"Condition": { "StringEquals": { "aws:RequestedRegion": "us-west-2" } }',
      fix: 'Use one of the IAM operators (StringEquals, StringLike, ArnLike, Bool, NumericLessThan, DateGreaterThan, IpAddress, Null, …), optionally with IfExists or a ForAllValues:/ForAnyValue: prefix.',
    },
    messages: {
      unknownOperator: 'unknown condition operator "{{op}}"',
    },
  },
  document(d, { report }) {
    for (const st of d.statements) {
      if (st.conditions.length === 0) continue;
      for (const op of new Set(st.conditions.map((c) => c.op))) {
        const c = st.conditions.find((x) => x.op === op)!;
        const ok = BASE.has(c.base) && !(c.base === 'Null' && c.ifExists);
        if (ok && !(op.split(':').length > 2)) continue;
        const guess = didYouMean(c.base, BASE_OPERATORS);
        report({ at: d.keyPos(st.index, 'Condition', op), messageId: 'unknownOperator', data: { op }, hint: guess && guess !== c.base ? `did you mean "${op.replace(c.base, guess)}"?` : 'see charter rules condition-operator for the list' });
      }
    }
  },
};
