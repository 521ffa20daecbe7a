/** condition: exact-match operators given wildcard values (they match "*" literally). */
import type { Rule } from '../types.js';

/**
 * ArnEquals/ArnNotEquals are not listed: IAM documents them as identical to ArnLike/ArnNotLike
 * (each ARN component may hold * and ?), and AWS's own managed policies rely on that.
 */
const EXACT = new Set(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase']);

/** A value with `*` or `?` outside policy variables (`${*}` is the escaped literal). */
export function hasLiteralWildcard(v: string): boolean {
  const stripped = v.replace(/\$\{[^}]*\}/g, '');
  return stripped.includes('*') || stripped.includes('?');
}

function likeOf(base: string): string {
  if (base.startsWith('Arn')) return base.includes('Not') ? 'ArnNotLike' : 'ArnLike';
  return base.includes('Not') ? 'StringNotLike' : 'StringLike';
}

export const conditionWildcardLiteral: Rule = {
  meta: {
    id: 'condition-wildcard-literal',
    title: 'Wildcard in an exact-match condition',
    severity: 'error',
    category: 'condition',
    docs: {
      what: 'StringEquals or StringNotEquals (and their IgnoreCase forms) with "*" or "?" in a value. These operators do not expand wildcards: "*" matches only the one-character string "*". (ArnEquals is not reported: IAM evaluates it exactly like ArnLike, wildcards included.)',
      why: 'The seeds\' "mandatory TTL" guardrail `Deny RunInstances when StringNotEquals aws:RequestTag/spawn:ttl = "*"` denies every launch (no tag value is literally "*") — the opposite of what it meant; an Allow with StringEquals "team-*" never matches.',
      bad: '"Condition": { "StringNotEquals": { "aws:RequestTag/spawn:ttl": "*" } }',
      good: '"Condition": { "Null": { "aws:RequestTag/spawn:ttl": "true" } }      # deny when the tag is missing\n# or: "StringNotLike": { "aws:RequestTag/spawn:ttl": "*" }',
      fix: 'Use StringLike / StringNotLike / ArnLike / ArnNotLike for patterns, or Null to test whether a key is present.',
    },
    messages: {
      literalWildcard: '{{op}} does not expand wildcards in {{key}}, {{effect}}',
    },
  },
  document(d, { report }) {
    for (const st of d.statements)
      for (const c of st.conditions) {
        if (!EXACT.has(c.base)) continue;
        const bad = c.values.filter(hasLiteralWildcard);
        if (bad.length === 0) continue;
        const like = likeOf(c.base);
        const negated = c.base.includes('Not');
        const effect = negated
          ? `so it is true for every value except the literal "${bad[0]}"${st.effect === 'Deny' ? ': this Deny applies to (almost) every request' : ''}`
          : `so it matches only the literal string "${bad[0]}"${st.effect === 'Allow' ? ': this Allow (almost) never applies' : ''}`;
        report({
          at: d.keyPos(st.index, 'Condition', c.op, c.key),
          messageId: 'literalWildcard',
          data: { op: c.op, key: c.key },
          context: { effect },
          hint: `use ${c.set ? c.set + ':' : ''}${like}${c.ifExists ? 'IfExists' : ''}, or Null to test whether the key is present`,
        });
      }
  },
};
