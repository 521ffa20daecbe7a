/** grammar: the spec's lint settings: suppressions without a reason, unknown rule ids. Reported by the engine. */
import type { Rule } from '../types.js';

export const lintConfig: Rule = {
  meta: {
    id: 'lint-config',
    title: 'Suppression without a reason, or unknown rule id',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A `lint.ignore` entry or `# charter-ignore` comment without a reason, or a suppression / `lint.severity` entry naming a rule that does not exist.',
      why: 'A reviewer must see why a finding is accepted; a suppression with a typo in its rule id silently suppresses nothing.',
      bad: 'lint:\n  ignore:\n    - rule: wildcard-resource        # no reason',
      good: 'lint:\n  ignore:\n    - rule: wildcard-resource\n      path: services.agent\n      reason: DescribeInstances supports no resource-level permissions',
      fix: 'Give every suppression a reason; use the ids `charter rules` lists.',
    },
    messages: {
      unknownSeverityRule: 'lint.severity names unknown rule "{{rule}}"',
      unknownRule: '{{what}} names unknown rule "{{rule}}"',
      noReason: '{{what}} has no reason',
    },
  },
};
