/** Case table of src/linter/rules/lint-config.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'lint-config': [
    { name: 'reasoned suppression', fire: false, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: [ec2:TerminateInstances]\n        resources: ["*"]  # charter-ignore wildcard-resource: reaper terminates any instance\n    trust: [ec2]\n` },
    { name: 'comment without reason', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: [ec2:TerminateInstances]\n        resources: ["*"]  # charter-ignore wildcard-resource\n    trust: [ec2]\n`, message: 'no reason', at: { line: 9, column: 27 } },
    { name: 'a suppression naming an unknown rule', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: [ec2:TerminateInstances]\n        resources: ["*"]  # charter-ignore wildcard-resources: reaper terminates any instance\n    trust: [ec2]\n`, message: 'names unknown rule "wildcard-resources"', at: { line: 9, column: 27 } },
    { name: 'unknown rule in lint.severity', fire: true, spec: `${SPEC_HEAD}lint:\n  severity: { wildcard-resources: off }\nservices:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, message: 'unknown rule', at: { line: 6, column: 15 } },
  ],
};
