/** grammar: Effect missing or not exactly Allow/Deny. */
import type { Rule } from '../types.js';
import { stmtName } from './util.js';

export const statementEffect: Rule = {
  meta: {
    id: 'statement-effect',
    title: 'Effect missing or invalid',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A statement without Effect, or with a value other than exactly "Allow" or "Deny" (the match is case-sensitive).',
      why: 'IAM rejects the document; "allow" in lower case is a common slip.',
      bad: '{ "Effect": "allow", "Action": "s3:GetObject", "Resource": "*" }',
      good: '{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }',
      fix: 'Write Effect as "Allow" or "Deny".',
    },
  },
  cases: [
    { name: 'Allow', fire: false, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] } },
    { name: 'Deny', fire: false, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:ListAllMyBuckets', Resource: '*' }] } },
    { name: 'lower case', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }, message: '"allow"' },
    { name: 'missing', fire: true, policy: { Version: '2012-10-17', Statement: [{ Action: 's3:ListAllMyBuckets', Resource: '*' }] }, message: 'no Effect' },
  ],
  document(d, { report }) {
    for (const st of d.statements) {
      const e = st.raw.Effect;
      if (e === undefined) report({ at: d.pos(st.index), message: `${stmtName(d, st)} has no Effect`, hint: 'add "Effect": "Allow" or "Deny"' });
      else if (e !== 'Allow' && e !== 'Deny') {
        const fix = typeof e === 'string' && /^allow$/i.test(e) ? 'Allow' : typeof e === 'string' && /^deny$/i.test(e) ? 'Deny' : undefined;
        report({ at: d.pos(st.index, 'Effect'), message: `Effect ${JSON.stringify(e)} is not "Allow" or "Deny"`, hint: fix ? `write "${fix}" (case-sensitive)` : 'use "Allow" or "Deny"' });
      }
    }
  },
};
