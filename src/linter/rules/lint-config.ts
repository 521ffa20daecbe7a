/** grammar: the spec's lint settings: suppressions without a reason, unknown rule ids. Reported by the engine. */
import type { Rule } from '../types.js';
import { SPEC_HEAD } from './util.js';

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
  cases: [
    { name: 'reasoned suppression', fire: false, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: [ec2:TerminateInstances]\n        resources: ["*"]  # charter-ignore wildcard-resource: reaper terminates any instance\n    trust: [ec2]\n` },
    { name: 'comment without reason', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: [ec2:TerminateInstances]\n        resources: ["*"]  # charter-ignore wildcard-resource\n    trust: [ec2]\n`, message: 'no reason', at: { line: 9, column: 27 } },
    { name: 'a suppression naming an unknown rule', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: [ec2:TerminateInstances]\n        resources: ["*"]  # charter-ignore wildcard-resources: reaper terminates any instance\n    trust: [ec2]\n`, message: 'names unknown rule "wildcard-resources"', at: { line: 9, column: 27 } },
    { name: 'unknown rule in lint.severity', fire: true, spec: `${SPEC_HEAD}lint:\n  severity: { wildcard-resources: off }\nservices:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, message: 'unknown rule', at: { line: 6, column: 15 } },
  ],
};
