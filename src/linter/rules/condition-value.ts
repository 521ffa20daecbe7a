/** grammar: condition values of the wrong type for their operator. */
import type { Cond, Rule } from '../types.js';

const DATE_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d{1,2}))?$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+(\/\d{1,3})?$/;
const VAR = /\$\{[^}]+\}/;

function problem(c: Cond, v: string): string | undefined {
  if (VAR.test(v)) return undefined; // a policy variable: checked at request time
  switch (c.base) {
    case 'Bool':
    case 'Null':
      return /^(true|false)$/i.test(v) ? undefined : `${c.base} takes "true" or "false"`;
    case 'NumericEquals': case 'NumericNotEquals': case 'NumericLessThan': case 'NumericLessThanEquals': case 'NumericGreaterThan': case 'NumericGreaterThanEquals':
      return /^-?\d+(\.\d+)?$/.test(v) ? undefined : `${c.base} takes a number`;
    case 'DateEquals': case 'DateNotEquals': case 'DateLessThan': case 'DateLessThanEquals': case 'DateGreaterThan': case 'DateGreaterThanEquals':
      return DATE_RE.test(v) || /^\d+$/.test(v) ? undefined : `${c.base} takes an ISO 8601 date or epoch seconds`;
    case 'IpAddress': case 'NotIpAddress': {
      const m = IPV4_CIDR.exec(v);
      if (m) return m.slice(1, 5).every((o) => Number(o) <= 255) && (m[6] === undefined || Number(m[6]) <= 32) ? undefined : `${c.base}: "${v}" is not a valid IPv4 address or CIDR`;
      return v.includes(':') && IPV6_CIDR.test(v) ? undefined : `${c.base} takes an IP address or CIDR`;
    }
    case 'BinaryEquals':
      return /^[A-Za-z0-9+/]+={0,2}$/.test(v) ? undefined : `${c.base} takes base64`;
    default:
      return undefined;
  }
}

export const conditionValue: Rule = {
  meta: {
    id: 'condition-value',
    title: 'Condition value of the wrong type',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A condition value that does not fit its operator: Bool/Null need true or false, Numeric* a number, Date* an ISO 8601 date, IpAddress a CIDR, BinaryEquals base64.',
      why: 'IAM rejects some of these; others are accepted and never match, so the statement silently does nothing (or a Deny silently protects nothing).',
      bad: '"Condition": { "Bool": { "aws:SecureTransport": "yes" } }',
      good: '"Condition": { "Bool": { "aws:SecureTransport": "true" } }',
      fix: 'Write the value in the type the operator compares.',
    },
    messages: {
      badValue: 'condition {{op}} {{key}}: {{problem}}, got {{value}}',
    },
  },
  document(d, { report }) {
    for (const st of d.statements)
      for (const c of st.conditions) {
        for (const v of c.values) {
          const p = problem(c, v);
          if (p) {
            report({ at: d.pos(st.index, 'Condition', c.op, c.key), messageId: 'badValue', data: { op: c.op, key: c.key, problem: p, value: JSON.stringify(v) } });
            break;
          }
        }
      }
  },
};
