/** grammar: Version missing, 2008-10-17, or unknown (an error when policy variables are used). */
import { isObject, usesPolicyVariables } from '../doc-model.js';
import type { Rule } from '../types.js';
import { allow } from './util.js';

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
  cases: [
    { name: 'current version', fire: false, policy: { Version: '2012-10-17', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')] } },
    { name: 'missing version', fire: true, policy: { Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')] }, message: 'policy case.json has no Version (IAM assumes 2008-10-17)', severity: 'warning', at: { line: 1, column: 1 } },
    { name: 'missing version with variables', fire: true, policy: { Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/${aws:username}/*')] }, message: 'policy case.json has no Version, so its policy variables (${...}) are literal text', severity: 'error', at: { line: 1, column: 1 } },
    { name: 'old version without variables', fire: true, policy: { Version: '2008-10-17', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')] }, message: 'Version 2008-10-17 is the old policy language', severity: 'warning', at: { line: 2, column: 14 } },
    { name: 'old version with variables', fire: true, policy: { Version: '2008-10-17', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/${aws:username}/*')] }, message: 'Version 2008-10-17 treats policy variables (${...}) as literal text', severity: 'error', at: { line: 2, column: 14 } },
    { name: 'unknown version', fire: true, policy: { Version: '2012-10-18', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')] }, message: 'unknown Version "2012-10-18"', at: { line: 2, column: 14 } },
  ],
  document(d, { report }) {
    if (!isObject(d.raw)) return;
    const v = d.raw.Version;
    const vars = d.statements.some(usesPolicyVariables);
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
    } else if (v !== '2012-10-17') {
      report({ at: d.pos(undefined, 'Version'), messageId: 'unknown', data: { version: JSON.stringify(v) }, hint: 'use "Version": "2012-10-17"', severity: 'error' });
    }
  },
};
