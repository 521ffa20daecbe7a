/** Case table of src/linter/rules/unused-suppression.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'unused-suppression': [
    { name: 'used suppression', fire: false, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: [ec2:TerminateInstances]\n        resources: ["*"]  # charter-ignore wildcard-resource: reaper terminates any instance\n    trust: [ec2]\n` },
    { name: 'unused ignore entry', fire: true, spec: `${SPEC_HEAD}lint:\n  ignore:\n    - { rule: wildcard-action, reason: legacy }\nservices:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, message: 'suppresses nothing', at: { line: 7, column: 7 } },
  ],
};
