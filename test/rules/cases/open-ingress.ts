/** Case table of src/linter/rules/open-ingress.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'open-ingress': [
    { name: 'https from anywhere', fire: false, spec: `${SPEC_HEAD}securityGroups:\n  web: { ingress: [{ port: 443, cidr: 0.0.0.0/0 }] }\n` },
    { name: 'ssh from one address', fire: false, spec: `${SPEC_HEAD}securityGroups:\n  ssh: { ingress: [{ port: 22, cidr: 203.0.113.7/32 }] }\n` },
    { name: 'ssh from anywhere', fire: true, spec: `${SPEC_HEAD}securityGroups:\n  ssh: { ingress: [{ port: 22, cidr: 0.0.0.0/0 }] }\n`, message: 'security group ssh allows port 22 from 0.0.0.0/0', at: { line: 6, column: 20 } },
    { name: 'all ports from anywhere', fire: true, spec: `${SPEC_HEAD}securityGroups:\n  all: { ingress: [{ protocol: "-1", cidrs: ["::/0"] }] }\n`, message: 'security group all allows all ports from ::/0', at: { line: 6, column: 20 } },
  ],
};
