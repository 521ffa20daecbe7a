/** Case table of src/linter/rules/user-data-size.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'user-data-size': [
    { name: 'small script', fire: false, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\ninstances:\n  a:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n    userDataScript: "echo hi"\n` },
    { name: 'huge script', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\ninstances:\n  a:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n    userData: ./big.sh\n`, files: { 'big.sh': '#!/bin/sh\necho hi\n' }, mutate: (b) => { for (const l of b.launches) l.userDataSize = 20000; }, message: 'user-data of launch a is 20000 / 16384 bytes', at: { line: 15, column: 15 } },
  ],
};
