/** grammar: Principal outside trust policies; trust statements without Principal; NotPrincipal in trust. */
import type { Rule } from '../types.js';
import { stmtName } from './util.js';

export const statementPrincipal: Rule = {
  meta: {
    id: 'statement-principal',
    title: 'Principal where it does not belong, or missing in a trust policy',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'Principal/NotPrincipal in an identity policy (inline or managed), a trust-policy statement without Principal, or NotPrincipal in a trust policy.',
      why: 'IAM rejects identity policies with Principal ("Policy document should not specify a principal"); a trust statement needs to say who may assume the role.',
      bad: '{ "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*" }   # in an identity policy',
      good: '{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*" }',
      fix: 'Move who-may-assume into the role\'s trust (spec `trust:`), and keep identity policies free of Principal.',
    },
    messages: {
      inIdentity: '{{where}}: an identity policy cannot name a {{element}}',
      notPrincipal: '{{where}}: NotPrincipal is not supported in a role trust policy',
      noPrincipal: '{{where}} has no Principal',
    },
  },
  document(d, { report }) {
    for (const st of d.statements) {
      const hasP = st.raw.Principal !== undefined;
      const hasNP = st.raw.NotPrincipal !== undefined;
      if (d.kind === 'identity') {
        if (hasP || hasNP) report({ at: d.keyPos(st.index, hasP ? 'Principal' : 'NotPrincipal'), messageId: 'inIdentity', data: { where: stmtName(d, st), element: hasP ? 'Principal' : 'NotPrincipal' }, hint: 'who may assume the role belongs in its trust policy' });
        continue;
      }
      if (hasNP) report({ at: d.keyPos(st.index, 'NotPrincipal'), messageId: 'notPrincipal', data: { where: stmtName(d, st) }, hint: 'name the principals that may assume the role' });
      else if (!hasP) report({ at: d.pos(st.index), messageId: 'noPrincipal', data: { where: stmtName(d, st) }, hint: 'a trust statement says who may assume the role: "Principal": {"Service": "ec2.amazonaws.com"}' });
    }
  },
};
