/** access-analyzer: findings that come from IAM Access Analyzer (charter lint --access-analyzer). */
import type { Rule } from '../types.js';

export const aaValidate: Rule = {
  meta: {
    id: 'aa-validate',
    title: 'Access Analyzer ValidatePolicy finding',
    severity: 'warning',
    category: 'access-analyzer',
    docs: {
      what: 'A finding of IAM Access Analyzer\'s ValidatePolicy for one of the documents (identity policies as IDENTITY_POLICY, trust policies as RESOURCE_POLICY of type AWS::IAM::AssumeRolePolicyDocument). Severity follows Access Analyzer: ERROR → error, SECURITY_WARNING → error, WARNING → warning, SUGGESTION → info. Only with `--access-analyzer` (needs AWS credentials or --sandbox).',
      why: 'AWS\'s own validator knows the current policy grammar and 100+ checks; running it in CI catches what the offline rules cannot.',
      bad: '{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": { "StringEquals": { "s3:x-amz-acl": "public-read" } } }',
      good: '# whatever Access Analyzer accepts without findings',
      fix: 'Follow the finding\'s learnMoreLink (printed as the hint).',
    },
    messages: {
      finding: '{{code}}: {{details}}',
    },
  },
};

export const aaNewAccess: Rule = {
  meta: {
    id: 'aa-new-access',
    title: 'Document grants new access compared with the reference',
    severity: 'warning',
    category: 'access-analyzer',
    docs: {
      what: 'CheckNoNewAccess returned FAIL: the compiled document allows something its reference did not. With `--reference DIR` the reference is the same document in a previous `charter compile --out DIR`. With `--reference live` it is the deployed document, read and matched as `charter plan` does: the trust policy of the live role (of the same name, or for a hash-named role whose content changed, the previous generation), its inline policy of the same name, and a customer-managed policy\'s default version (when overflow moves statements between the inline and customer-managed policies, the union of the live role\'s). A document with no live counterpart (a new role or policy) is reported at info severity: everything it grants is new.',
      why: 'A pull request that broadens a role should say so; this makes the broadening visible in review.',
      bad: '# reference: s3:GetObject on one bucket; new: s3:GetObject on "*"',
      good: '# new access is intended and reviewed: accept with a reasoned lint.ignore, or update the reference',
      fix: 'Narrow the change, or acknowledge it (lint.ignore with a reason, or regenerate the reference; with --reference live, the access stops being new once applied).',
    },
    messages: {
      newAccess: '{{doc}} grants access {{against}} does not: {{why}}',
      noCounterpart: '{{doc}}: {{missing}}: everything it grants is new',
    },
  },
};

export const aaAccessGranted: Rule = {
  meta: {
    id: 'aa-access-granted',
    title: 'Document grants a denied-listed action',
    severity: 'error',
    category: 'access-analyzer',
    docs: {
      what: 'CheckAccessNotGranted returned FAIL for the deny-list of actions (default iam:*, organizations:*, account:*; `--deny-actions` to change).',
      why: 'Workload roles must never manage identities, the organisation or the account.',
      bad: '{ "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*" }',
      good: '# no iam:*, organizations:* or account:* actions in workload roles',
      fix: 'Remove the action, or adjust --deny-actions if the role is an administrative one.',
    },
    messages: {
      granted: '{{doc}} grants a denied-listed action ({{deny}}){{why}}',
    },
  },
};
