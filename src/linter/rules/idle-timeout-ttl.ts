/** launch: an idle timeout that the TTL always beats, so it can never fire. */
import { parseDuration } from '../../compiler/launch.js';
import { instanceViews } from '../launch-view.js';
import type { Rule } from '../types.js';
import { SPEC_HEAD } from './util.js';

const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n';
const INST = 'instances:\n  train:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n';

export const idleTimeoutTtl: Rule = {
  meta: {
    id: 'idle-timeout-ttl',
    title: 'Idle timeout not shorter than the TTL',
    severity: 'warning',
    category: 'launch',
    docs: {
      what: 'An instance group whose `idleTimeout` is as long as its `ttl` or longer.',
      why: 'An instance is idle for at most its whole life, and the TTL ends that life first: the idle timeout can never fire, so idle instances are not stopped early as the spec suggests.',
      bad: 'instances:\n  train: { service: app, type: g5.xlarge, image: ami-0123456789abcdef0, ttl: 2h, idleTimeout: 3h }',
      good: 'instances:\n  train: { service: app, type: g5.xlarge, image: ami-0123456789abcdef0, ttl: 12h, idleTimeout: 30m }',
      fix: 'Make `idleTimeout` shorter than `ttl`, or drop it if the TTL is what you want.',
    },
    messages: {
      idleNotShorter: 'launch {{group}}: idleTimeout {{idle}} is not shorter than ttl {{ttl}}, so the idle timeout can never fire',
    },
  },
  cases: [
    { name: 'idle shorter than ttl', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 2h\n    idleTimeout: 30m\n` },
    { name: 'idle one second shorter', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 1h\n    idleTimeout: 59m59s\n` },
    { name: 'idle without ttl', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    idleTimeout: 30m\n` },
    { name: 'ttl without idle', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 30m\n` },
    { name: 'idle longer than ttl', fire: true, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 1h\n    idleTimeout: 2h\n`, message: 'idleTimeout 2h is not shorter than ttl 1h', severity: 'warning', at: { line: 15, column: 5 } },
    { name: 'idle equal to ttl in other units', fire: true, spec: `${SPEC_HEAD}${SVC}${INST}    idleTimeout: 60m\n    ttl: 1h\n`, message: 'idleTimeout 60m is not shorter than ttl 1h', at: { line: 14, column: 5 } },
    { name: 'flow mapping', fire: true, spec: `${SPEC_HEAD}${SVC}instances:\n  a: { service: web, type: t3.micro, image: ami-0123456789abcdef0, ttl: 1d, idleTimeout: 2d }\n`, at: { line: 10, column: 77 } },
    { name: 'spec-only lint (not compiled)', fire: true, compile: false, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 1h\n    idleTimeout: 1h30m\n`, at: { line: 15, column: 5 } },
  ],
  spec(s, { report }) {
    for (const v of instanceViews(s)) {
      if (v.spec.ttl === undefined || v.spec.idleTimeout === undefined) continue;
      const ttl = v.launch?.ttlSeconds ?? parseDuration(v.spec.ttl);
      const idle = v.launch?.idleTimeoutSeconds ?? parseDuration(v.spec.idleTimeout);
      if (ttl === undefined || idle === undefined || idle < ttl) continue;
      report({
        at: s.pos(`${v.ptr}/idleTimeout`, 'key'),
        messageId: 'idleNotShorter',
        data: { group: v.group, idle: v.spec.idleTimeout, ttl: v.spec.ttl },
        hint: 'make idleTimeout shorter than ttl, or drop it',
        subject: `launch ${v.group}`,
      });
    }
  },
};
