/** Case table of src/linter/rules/no-ttl.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n';

const INST = 'instances:\n  train:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n';

export const cases: Record<string, RuleCase[]> = {
  'no-ttl': [
    { name: 'with ttl', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 2h\n` },
    { name: 'without ttl', fire: true, spec: `${SPEC_HEAD}${SVC}${INST}`, message: 'launch train has no TTL', at: { line: 10, column: 3 } },
  ],
};
