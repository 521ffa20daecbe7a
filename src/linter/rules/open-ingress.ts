/** launch: security group ingress from anywhere beyond HTTP/HTTPS. */
import { pointer } from '../../spec/yaml.js';
import type { Rule } from '../types.js';

const WORLD = new Set(['0.0.0.0/0', '::/0']);

export const openIngress: Rule = {
  meta: {
    id: 'open-ingress',
    title: 'Security group open to the internet beyond 80/443',
    severity: 'error',
    category: 'launch',
    docs: {
      what: 'A security group in the spec allowing ingress from 0.0.0.0/0 or ::/0 on any port other than 80 and 443 (or on all ports/protocols).',
      why: 'SSH, RDP, databases and debug ports open to the internet are scanned within minutes. The seeds: "Open security groups to 0.0.0.0/0 (except HTTP/HTTPS)" is a mistake.',
      bad: 'securityGroups:\n  ssh: { ingress: [{ port: 22, cidr: 0.0.0.0/0 }] }',
      good: 'securityGroups:\n  ssh: { ingress: [{ port: 22, cidr: 203.0.113.7/32 }] }    # or no SSH: use SSM Session Manager',
      fix: 'Restrict the CIDR to known addresses, or drop the rule and use Session Manager.',
    },
    messages: {
      openIngress: 'security group {{group}} allows {{ports}} from {{cidrs}}',
    },
  },
  spec(s, { report }) {
    for (const [name, sg] of Object.entries(s.loaded.spec.securityGroups ?? {})) {
      (sg.ingress ?? []).forEach((r, i) => {
        const cidrs = [...(r.cidr ? [r.cidr] : []), ...(r.cidrs ?? [])].filter((c) => WORLD.has(c));
        if (cidrs.length === 0) return;
        const all = r.protocol === '-1' || r.protocol === 'all';
        const from = r.port ?? r.fromPort;
        const to = r.port ?? r.toPort ?? from;
        const ports = all || from === undefined ? 'all ports' : from === to ? `port ${from}` : `ports ${from}-${to}`;
        const webOnly = !all && from !== undefined && to !== undefined && [80, 443].includes(from) && from === to;
        if (webOnly) return;
        report({ at: s.pos(pointer('securityGroups', name, 'ingress', i)), messageId: 'openIngress', data: { group: name, ports, cidrs: cidrs.join(', ') }, hint: 'restrict the CIDR, or use SSM Session Manager instead of open ports', subject: `security group ${name}` });
      });
    }
  },
};
