/** size: role, policy and instance-profile names and paths against IAM limits. */
import { pointer } from '../../spec/yaml.js';
import type { Rule } from '../types.js';

export const nameLength: Rule = {
  meta: {
    id: 'name-length',
    title: 'Name or path over its IAM limit',
    severity: 'error',
    category: 'size',
    docs: {
      what: 'A role name over 64 characters, an instance-profile or policy name over 128, or a path over 512 (reported as "used / limit").',
      why: 'IAM rejects them at apply time; generated names (prefix + service + hash) can cross 64 characters unnoticed.',
      bad: 'services:\n  app:\n    name: a-very-long-role-name-that-keeps-going-and-going-past-sixty-four-characters',
      good: 'services:\n  app:\n    name: app-worker\n    policies: [logs:WriteOnly]\n    trust: [ec2]',
      fix: 'Shorten the service name, prefix or explicit `name`.',
    },
    messages: {
      tooLong: '{{what}} "{{start}}…" is {{length}} / {{limit}} characters',
    },
  },
  principal(p, { report }) {
    const r = p.role;
    if (!r) return;
    const check = (what: string, value: string, limit: number) => {
      if (value.length > limit) report({ at: p.at, messageId: 'tooLong', data: { what }, context: { start: value.slice(0, 40), length: value.length, limit }, hint: 'shorten the service name, prefix or explicit name', subject: p.label });
    };
    check('role name', r.name, 64);
    check('role path', r.path, 512);
    for (const i of r.inline) check('inline policy name', i.name, 128);
  },
  spec(s, { report }) {
    const b = s.bundle;
    if (!b) return;
    for (const ip of b.instanceProfiles) if (ip.name.length > 128) report({ at: { ...ip.pos }, messageId: 'tooLong', data: { what: 'instance profile name' }, context: { start: ip.name.slice(0, 40), length: ip.name.length, limit: 128 } });
    for (const mp of b.managedPolicies) if (mp.name.length > 128) report({ at: { ...mp.pos }, messageId: 'tooLong', data: { what: 'managed policy name' }, context: { start: mp.name.slice(0, 40), length: mp.name.length, limit: 128 } });
    void pointer;
  },
};
