/** grammar: Principal outside trust policies; trust statements without Principal; NotPrincipal in trust. */
import type { Rule } from '../types.js';
import { SPEC_HEAD, stmtName, trustOf } from './util.js';

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
  cases: [
    { name: 'trust with principal', fire: false, policy: trustOf({ Service: 'ec2.amazonaws.com' }) },
    { name: 'trust statement without principal', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }, { Effect: 'Allow', Action: 'sts:AssumeRole' }] }, message: 'no Principal', at: { line: 11, column: 5 } },
    { name: 'a Principal in a compiled identity policy (what a spec cannot write: set on the bundle)', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::b/*"]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) (r.inline[0]!.document.Statement[0] as unknown as Record<string, unknown>).Principal = { AWS: 'arn:aws:iam::111122223333:root' }; }, message: 'an identity policy cannot name a Principal', at: { line: 8, column: 9 } },
    { name: 'NotPrincipal in trust', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' }] }, message: 'NotPrincipal', at: { line: 6, column: 7 } },
  ],
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
