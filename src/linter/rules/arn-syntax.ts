/** grammar: Resource entries that are not "*" or a well-formed ARN. */
import { elementPath } from '../doc-model.js';
import type { Rule } from '../types.js';
import { arnProblem } from '../../policy/arn.js';

const ELEMENTS = ['Resource', 'NotResource'] as const;

export const arnSyntax: Rule = {
  meta: {
    id: 'arn-syntax',
    title: 'Malformed resource ARN',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A Resource or NotResource entry that is not "*" and not a well-formed ARN, naming the part that is wrong: fewer than six colon-separated parts (and what stands where), an unknown partition, an empty or malformed service, a region that is not one, an account that is not 12 digits, or an unresolved {placeholder}.',
      why: 'IAM rejects some malformed ARNs; others are accepted and match nothing, so the permission silently does not work.',
      bad: '"Resource": "arn:aws:ssm:{region}:{accountId}:parameter/app/*"   # placeholders copied from a doc',
      good: '"Resource": "arn:aws:ssm:us-west-2:123456789012:parameter/app/*"   # or write {region} in a charter spec, which resolves it',
      fix: 'Write the full ARN; in a charter spec use {partition}, {region} and {accountId}, which the compiler resolves.',
    },
    messages: {
      // The finding is the ARN and the part that is wrong (its data); the sentence saying how is context.
      badArn: '{{element}} "{{arn}}" {{problem}}',
    },
  },
  document(d, { report }) {
    // Indexed loops: a rule runs mostly before it is optimised, when for-of allocates per step.
    for (let i = 0; i < d.statements.length; i++) {
      const st = d.statements[i]!;
      for (let e = 0; e < ELEMENTS.length; e++) {
        const el = ELEMENTS[e]!;
        const rs = el === 'Resource' ? st.resource : st.notResource;
        if (!rs) continue;
        for (let j = 0; j < rs.length; j++) {
          const r = rs[j]!;
          const p = arnProblem(r);
          if (p) report({ at: d.pos(st.index, ...elementPath(st, el, r)), messageId: 'badArn', data: { element: el, arn: r, part: p.part }, context: { problem: p.message }, hint: p.hint });
        }
      }
    }
  },
};
