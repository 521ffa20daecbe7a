/** size: role, policy and instance-profile names and paths against IAM limits. */
import { pointer } from '../../spec/yaml.js';
import type { Rule } from '../types.js';
import { SPEC_HEAD } from './util.js';

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
  cases: [
    { name: 'short name', fire: false, spec: `${SPEC_HEAD}services:\n  web:\n    name: web-role\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n` },
    { name: 'role name over 64 (e.g. a long prefix and service)', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.name = 'r'.repeat(70); }, message: 'role name "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr…" is 70 / 64 characters', at: { line: 6, column: 3 } },
    { name: 'instance profile name over 128', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\ninstances:\n  a:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n`, mutate: (b) => { for (const p of b.instanceProfiles) p.name = 'p'.repeat(130); }, message: 'instance profile name "pppppppppppppppppppppppppppppppppppppppp…" is 130 / 128 characters', at: { line: 6, column: 3 } },
  ],
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
