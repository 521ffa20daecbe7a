/** Case table of src/linter/rules/public-ip.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n';

const INST = 'instances:\n  train:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n';

export const cases: Record<string, RuleCase[]> = {
  'public-ip': [
    { name: 'private', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}` },
    { name: 'public', fire: true, spec: `${SPEC_HEAD}${SVC}${INST}    publicIp: true\n`, message: 'launch train gets a public IP address', at: { line: 15, column: 15 } },
  ],
};
