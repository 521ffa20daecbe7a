/** Case table of src/linter/rules/imds-v2.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\ninstances:\n  a:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n';

export const cases: Record<string, RuleCase[]> = {
  'imds-v2': [
    { name: 'charter default (required)', fire: false, spec: `${SPEC_HEAD}${SVC}` },
    { name: 'HttpTokens optional', fire: true, spec: `${SPEC_HEAD}${SVC}`, mutate: (b) => { for (const l of b.launches) l.runInstances.MetadataOptions = { HttpTokens: 'optional' }; }, message: 'launch a does not require IMDSv2 (HttpTokens "optional")', at: { line: 10, column: 3 } },
  ],
};
