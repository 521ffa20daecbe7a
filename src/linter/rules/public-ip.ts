/** launch: instances with a public IP address. */
import { pointer } from '../../spec/yaml.js';
import { get, instanceViews } from '../launch-view.js';
import type { Rule } from '../types.js';

export const publicIp: Rule = {
  meta: {
    id: 'public-ip',
    title: 'Public IP address on instances',
    severity: 'warning',
    category: 'launch',
    docs: {
      what: 'An instance group launched with a public IP address (`publicIp: true`, or AssociatePublicIpAddress in the compiled launch).',
      why: 'A public address exposes every open port to the internet and bypasses private-subnet controls; short-lived batch workers rarely need one (SSM Session Manager reaches private instances).',
      bad: 'publicIp: true',
      good: 'subnet: subnet-0a1b2c3d4e5f60718   # a private subnet\n# connect with SSM Session Manager',
      fix: 'Launch in a private subnet without a public IP; use Session Manager or a bastion.',
    },
    messages: {
      publicIp: 'launch {{group}} gets a public IP address',
    },
  },
  spec(s, { report }) {
    for (const v of instanceViews(s)) {
      let pub = v.spec.publicIp === true;
      const nis = get(v.launch?.runInstances, 'NetworkInterfaces');
      if (Array.isArray(nis) && nis.some((n) => get(n, 'AssociatePublicIpAddress') === true)) pub = true;
      if (!pub) continue;
      report({ at: s.pos(pointer('instances', v.group, 'publicIp')), messageId: 'publicIp', data: { group: v.group }, hint: 'use a private subnet and SSM Session Manager', subject: `launch ${v.group}` });
    }
  },
};
