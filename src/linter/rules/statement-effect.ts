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
    messages: {
      noEffect: '{{where}} has no Effect',
      badEffect: 'Effect {{effect}} is not "Allow" or "Deny"',
    },
  },
  document(d, { report }) {
    for (const st of d.statements) {
      const e = st.raw.Effect;
      if (e === undefined) report({ at: d.pos(st.index), messageId: 'noEffect', data: { where: stmtName(d, st) }, hint: 'add "Effect": "Allow" or "Deny"' });
      else if (e !== 'Allow' && e !== 'Deny') {
        const fix = typeof e === 'string' && /^allow$/i.test(e) ? 'Allow' : typeof e === 'string' && /^deny$/i.test(e) ? 'Deny' : undefined;
        report({ at: d.pos(st.index, 'Effect'), messageId: 'badEffect', data: { effect: JSON.stringify(e) }, hint: fix ? `write "${fix}" (case-sensitive)` : 'use "Allow" or "Deny"' });
      }
    }
  },
};
