/** grammar: Action and NotAction both present, or neither. */
import type { Rule } from '../types.js';
import { stmtName } from './util.js';

export const statementAction: Rule = {
  meta: {
    id: 'statement-action',
    title: 'Action/NotAction missing or both present',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A statement needs exactly one of Action or NotAction.',
      why: 'IAM rejects a statement with neither or with both.',
      bad: '{ "Effect": "Allow", "Resource": "*" }',
      good: '{ "Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*" }',
      fix: 'Keep exactly one of Action (preferred) or NotAction.',
    },
    messages: {
      neither: '{{where}} has neither Action nor NotAction',
      both: '{{where}} has both Action and NotAction',
    },
  },
  document(d, { report }) {
    for (const st of d.statements) {
      const a = st.raw.Action !== undefined;
      const na = st.raw.NotAction !== undefined;
      if (!a && !na) report({ at: d.pos(st.index), messageId: 'neither', data: { where: stmtName(d, st) }, hint: 'add "Action": [...]' });
      else if (a && na) report({ at: d.keyPos(st.index, 'NotAction'), messageId: 'both', data: { where: stmtName(d, st) }, hint: 'keep one of them' });
    }
  },
};
