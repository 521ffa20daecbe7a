/** Case table of src/linter/rules/unencrypted-volume.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

const INST = 'instances:\n  train:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n';

const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n';

export const cases: Record<string, RuleCase[]> = {
  'unencrypted-volume': [
    { name: 'default volume', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    volume: { size: 50 }\n` },
    { name: 'explicitly unencrypted', fire: true, spec: `${SPEC_HEAD}${SVC}${INST}    volume: { size: 50, encrypted: false }\n`, message: 'launch train uses an unencrypted EBS volume', at: { line: 15, column: 36 } },
  ],
};
