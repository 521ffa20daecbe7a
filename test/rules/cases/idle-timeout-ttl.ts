/** Case table of src/linter/rules/idle-timeout-ttl.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n';

const INST = 'instances:\n  train:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n';

export const cases: Record<string, RuleCase[]> = {
  'idle-timeout-ttl': [
    { name: 'idle shorter than ttl', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 2h\n    idleTimeout: 30m\n` },
    { name: 'idle one second shorter', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 1h\n    idleTimeout: 59m59s\n` },
    { name: 'idle without ttl', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    idleTimeout: 30m\n` },
    { name: 'ttl without idle', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 30m\n` },
    { name: 'idle longer than ttl', fire: true, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 1h\n    idleTimeout: 2h\n`, message: 'idleTimeout 2h is not shorter than ttl 1h', severity: 'warning', at: { line: 15, column: 5 } },
    { name: 'idle equal to ttl in other units', fire: true, spec: `${SPEC_HEAD}${SVC}${INST}    idleTimeout: 60m\n    ttl: 1h\n`, message: 'idleTimeout 60m is not shorter than ttl 1h', at: { line: 14, column: 5 } },
    { name: 'flow mapping', fire: true, spec: `${SPEC_HEAD}${SVC}instances:\n  a: { service: web, type: t3.micro, image: ami-0123456789abcdef0, ttl: 1d, idleTimeout: 2d }\n`, at: { line: 10, column: 77 } },
    { name: 'spec-only lint (not compiled)', fire: true, compile: false, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 1h\n    idleTimeout: 1h30m\n`, at: { line: 15, column: 5 } },
  ],
};
