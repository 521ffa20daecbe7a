/** launch: instances without a TTL. */
import { instanceViews } from '../launch-view.js';
import type { Rule } from '../types.js';
import { SPEC_HEAD } from './util.js';

const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n';
const INST = 'instances:\n  train:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n';

export const noTtl: Rule = {
  meta: {
    id: 'no-ttl',
    title: 'Instances without a TTL',
    severity: 'info',
    category: 'launch',
    docs: {
      what: 'An instance group without `ttl`. Info by default; an error when the spec sets `lint.requireTtl: true`.',
      why: 'Forgotten instances run (and cost, and hold credentials) indefinitely; the TTL is what `charter reap` and the on-instance agent enforce.',
      bad: 'instances:\n  train: { service: app, type: g5.xlarge, image: ami-0123456789abcdef0 }',
      good: 'instances:\n  train: { service: app, type: g5.xlarge, image: ami-0123456789abcdef0, ttl: 12h, idleTimeout: 30m }',
      fix: 'Add `ttl:` (and `idleTimeout:`).',
    },
    messages: {
      noTtl: 'launch {{group}} has no TTL: its instances run until someone terminates them',
    },
  },
  cases: [
    { name: 'with ttl', fire: false, spec: `${SPEC_HEAD}${SVC}${INST}    ttl: 2h\n` },
    { name: 'without ttl', fire: true, spec: `${SPEC_HEAD}${SVC}${INST}`, message: 'launch train has no TTL', at: { line: 10, column: 3 } },
  ],
  spec(s, { report }) {
    const required = s.loaded.spec.lint?.requireTtl === true;
    for (const v of instanceViews(s)) {
      if (v.spec.ttl !== undefined || v.launch?.ttlSeconds !== undefined) continue;
      report({ at: s.pos(v.ptr, 'key'), messageId: 'noTtl', data: { group: v.group }, hint: 'add ttl: (e.g. 12h)', severity: required ? 'error' : 'info', subject: `launch ${v.group}` });
    }
  },
};
