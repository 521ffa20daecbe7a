/** grammar: Resource/NotResource rules for identity policies (exactly one) and trust policies (none). */
import type { Rule } from '../types.js';
import { stmtName } from './util.js';

export const statementResource: Rule = {
  meta: {
    id: 'statement-resource',
    title: 'Resource/NotResource missing, doubled, or in a trust policy',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'An identity-policy statement needs exactly one of Resource or NotResource; a role trust policy must have neither.',
      why: 'IAM rejects the document ("Policy statement must contain resources" / "Has prohibited field Resource").',
      bad: '{ "Effect": "Allow", "Action": "s3:GetObject" }',
      good: '{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*" }',
      fix: 'Add Resource to identity statements; remove it from trust statements.',
    },
    messages: {
      inTrust: '{{where}}: a trust policy cannot have {{element}}',
      neither: '{{where}} has neither Resource nor NotResource',
      both: '{{where}} has both Resource and NotResource',
    },
  },
  document(d, { report }) {
    for (const st of d.statements) {
      const r = st.raw.Resource !== undefined;
      const nr = st.raw.NotResource !== undefined;
      if (d.kind === 'trust') {
        if (r || nr) report({ at: d.keyPos(st.index, r ? 'Resource' : 'NotResource'), messageId: 'inTrust', data: { where: stmtName(d, st), element: r ? 'Resource' : 'NotResource' }, hint: 'remove it: the role itself is the resource' });
        continue;
      }
      if (!r && !nr) report({ at: d.pos(st.index), messageId: 'neither', data: { where: stmtName(d, st) }, hint: 'add "Resource": [...] (the narrowest ARNs that work)' });
      else if (r && nr) report({ at: d.keyPos(st.index, 'NotResource'), messageId: 'both', data: { where: stmtName(d, st) }, hint: 'keep one of them' });
    }
  },
};
