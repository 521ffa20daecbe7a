/** launch: instances without a TTL. */
import { instanceViews } from '../launch-view.js';
import type { Rule } from '../types.js';

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
  spec(s, { report }) {
    const required = s.loaded.spec.lint?.requireTtl === true;
    for (const v of instanceViews(s)) {
      if (v.spec.ttl !== undefined || v.launch?.ttlSeconds !== undefined) continue;
      report({ at: s.pos(v.ptr, 'key'), messageId: 'noTtl', data: { group: v.group }, hint: 'add ttl: (e.g. 12h)', severity: required ? 'error' : 'info', subject: `launch ${v.group}` });
    }
  },
};
