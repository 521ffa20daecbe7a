/** grammar: Version missing, 2008-10-17, or unknown (an error when policy variables are used). */
import { isObject, usesPolicyVariables } from '../doc-model.js';
import type { Rule } from '../types.js';

export const policyVersion: Rule = {
  meta: {
    id: 'policy-version',
    title: 'Policy Version missing, old or unknown',
    severity: 'warning',
    category: 'grammar',
    docs: {
      what: 'A policy document without `"Version": "2012-10-17"`, with the old 2008-10-17, or with any other value.',
      why: 'Without Version (or with 2008-10-17) IAM reads `${aws:username}` and other policy variables as literal text, so a statement scoped with a variable silently matches nothing — or the wrong thing. An unknown Version is rejected by IAM.',
      bad: '{ "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*" }] }',
      good: '{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*" }] }',
      fix: 'Add `"Version": "2012-10-17"` at the top of the document (charter-compiled documents always have it).',
    },
    messages: {
      missing: '{{doc}} has no Version (IAM assumes 2008-10-17)',
      missingWithVariables: '{{doc}} has no Version, so its policy variables (${...}) are literal text',
      old: 'Version 2008-10-17 is the old policy language',
      oldWithVariables: 'Version 2008-10-17 treats policy variables (${...}) as literal text',
      unknown: 'unknown Version {{version}}',
    },
  },
  document(d, { report }) {
    if (!isObject(d.raw)) return;
    const v = d.raw.Version;
    if (v === '2012-10-17') return;
    // Whether policy variables are used matters only for a missing or old Version.
    const vars = v === undefined || v === '2008-10-17' ? d.statements.some(usesPolicyVariables) : false;
    if (v === undefined) {
      report({
        at: d.pos(),
        messageId: vars ? 'missingWithVariables' : 'missing',
        data: {},
        context: { doc: d.label },
        hint: 'add "Version": "2012-10-17"',
        severity: vars ? 'error' : 'warning',
      });
    } else if (v === '2008-10-17') {
      report({
        at: d.pos(undefined, 'Version'),
        messageId: vars ? 'oldWithVariables' : 'old',
        data: {},
        hint: 'use "Version": "2012-10-17"',
        severity: vars ? 'error' : 'warning',
      });
    } else {
      report({ at: d.pos(undefined, 'Version'), messageId: 'unknown', data: { version: JSON.stringify(v) }, hint: 'use "Version": "2012-10-17"', severity: 'error' });
    }
  },
};
