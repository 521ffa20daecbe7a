/** condition: Allow conditioned on aws:MultiFactorAuthPresent = false. */
import type { Rule } from '../types.js';

export const mfaFalseAllow: Rule = {
  meta: {
    id: 'mfa-false-allow',
    title: 'Allow when MFA is absent',
    severity: 'warning',
    category: 'condition',
    docs: {
      what: 'An Allow with Bool (or BoolIfExists) aws:MultiFactorAuthPresent "false".',
      why: 'It grants precisely to sessions without MFA; and because long-term access keys carry no MultiFactorAuthPresent key at all, Bool "false" does not even match them (BoolIfExists does). Either way it is not an MFA requirement — the usual intent is a Deny with BoolIfExists "false".',
      bad: '{ "Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*", "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "false" } } }',
      good: '{ "Effect": "Deny", "Action": "ec2:StopInstances", "Resource": "*", "Condition": { "BoolIfExists": { "aws:MultiFactorAuthPresent": "false" } } }',
      fix: 'Require MFA with "true" in the Allow, or deny with BoolIfExists "false".',
    },
    messages: {
      mfaFalse: 'Allow when {{key}} is "false" grants to sessions without MFA (it does not require MFA)',
    },
  },
  document(d, { report }) {
    for (const st of d.statements) {
      if (st.effect !== 'Allow') continue;
      for (const c of st.conditions) {
        if (c.base !== 'Bool' || c.key.toLowerCase() !== 'aws:multifactorauthpresent') continue;
        if (!c.values.some((v) => v.toLowerCase() === 'false')) continue;
        report({ at: d.keyPos(st.index, 'Condition', c.op, c.key), messageId: 'mfaFalse', data: { key: c.key }, hint: 'use "true" in the Allow, or a Deny with BoolIfExists "false"' });
      }
    }
  },
};
