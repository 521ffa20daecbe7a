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
  },
  cases: [
    { name: 'Action only', fire: false, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' }] } },
    { name: 'neither', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }, message: 'neither' },
    { name: 'both', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:*', NotAction: 'ec2:Describe*', Resource: '*' }] }, message: 'both' },
  ],
  document(d, { report }) {
    for (const st of d.statements) {
      const a = st.raw.Action !== undefined;
      const na = st.raw.NotAction !== undefined;
      if (!a && !na) report({ at: d.pos(st.index), message: `${stmtName(d, st)} has neither Action nor NotAction`, hint: 'add "Action": [...]' });
      else if (a && na) report({ at: d.keyPos(st.index, 'NotAction'), message: `${stmtName(d, st)} has both Action and NotAction`, hint: 'keep one of them' });
    }
  },
};
