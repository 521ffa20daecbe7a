/** launch: an idle timeout that the TTL always beats, so it can never fire. */
import { parseDuration } from '../../compiler/launch.js';
import { instanceViews } from '../launch-view.js';
import type { Rule } from '../types.js';

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
