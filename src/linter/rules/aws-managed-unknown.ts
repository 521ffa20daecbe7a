/** grammar: an AWS managed policy ARN that is not in charter's catalogue (typo, wrong path). */
import { didYouMean } from '../../diagnostics.js';
import { ALL_AWS_MANAGED_NAMES, KNOWN_AWS_MANAGED, catalogueLookup } from '../aws-managed.js';
import type { Rule } from '../types.js';

export const awsManagedUnknown: Rule = {
  meta: {
    id: 'aws-managed-unknown',
    title: 'AWS managed policy not in the catalogue',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'An `arn:aws:iam::aws:policy/…` ARN that charter\'s catalogue of AWS managed policies (the 1,388 names of a 2025 snapshot of AWS managed policies, src/linter/aws-managed-names.ts; for the ones commonly attached to workload, instance, Lambda, container and job-function roles, src/linter/aws-managed.ts, also their path) does not hold: a known name under the wrong path (AWSLambdaBasicExecutionRole lives under service-role/) or a near miss of a known name (a typo of at most two letters for names outside the pathed list) is an error; any other name is a warning, since AWS has more managed policies than the catalogue lists.',
      why: 'AttachRolePolicy rejects an ARN that does not exist (NoSuchEntity) half-way through an apply, after the role was created without it.',
      bad: 'managed: [arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole]',
      good: 'managed: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      fix: 'Use the ARN the hint gives; for a policy the catalogue does not know, check it with `aws iam get-policy --policy-arn ARN` and suppress the warning with a reason.',
    },
    messages: {
      wrongPath: '{{subject}}: AWS managed policy {{policy}} is not at {{arn}}: it is {{actual}} (AttachRolePolicy would fail with NoSuchEntity)',
      nearMiss: '{{subject}}: no AWS managed policy {{policy}}; the catalogue has {{guess}} (AttachRolePolicy would fail with NoSuchEntity)',
      notCatalogued: '{{subject}}: AWS managed policy {{policy}} is not in charter\'s catalogue of {{size}} policies',
    },
  },
  principal(p, { report }) {
    for (const m of p.managed) {
      if (m.kind !== 'aws') continue;
      const v = catalogueLookup(m.arn);
      if (!v || v.kind === 'known') continue;
      const partition = m.arn.slice(4, m.arn.indexOf(':', 4));
      const arnOf = (name: string, path: string) => `arn:${partition}:iam::aws:policy${path}${name}`;
      if (v.kind === 'wrong-path') {
        report({ at: m.at, messageId: 'wrongPath', data: { subject: p.label, policy: v.name, arn: m.arn, actual: arnOf(v.name, v.path) }, hint: `use ${arnOf(v.name, v.path)}`, subject: p.label });
        continue;
      }
      // A near miss of a catalogued name (path known), or a one- or two-letter typo of any other
      // snapshot name (a newer policy than the snapshot is often a few letters from an older one).
      const guess = didYouMean(v.name, KNOWN_AWS_MANAGED.keys()) ?? didYouMean(v.name, ALL_AWS_MANAGED_NAMES, 2);
      if (guess) {
        const path = KNOWN_AWS_MANAGED.get(guess);
        report({ at: m.at, messageId: 'nearMiss', data: { subject: p.label, policy: v.name, guess }, hint: path ? `did you mean ${arnOf(guess, path)}?` : `did you mean ${guess}?`, subject: p.label });
        continue;
      }
      report({ at: m.at, messageId: 'notCatalogued', data: { subject: p.label, policy: v.name }, context: { size: ALL_AWS_MANAGED_NAMES.size }, hint: `check it exists (aws iam get-policy --policy-arn ${m.arn}); suppress with a reason if it does`, severity: 'warning', subject: p.label });
    }
  },
};
