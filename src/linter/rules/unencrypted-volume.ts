/** launch: EBS volumes launched unencrypted. */
import { pointer } from '../../spec/yaml.js';
import { get, instanceViews } from '../launch-view.js';
import type { Rule } from '../types.js';

export const unencryptedVolume: Rule = {
  meta: {
    id: 'unencrypted-volume',
    title: 'Unencrypted EBS volume',
    severity: 'warning',
    category: 'launch',
    docs: {
      what: 'An instance group whose volume is explicitly unencrypted (`volume.encrypted: false`, or Ebs.Encrypted false in the compiled launch).',
      why: 'Snapshots and detached volumes of unencrypted EBS are readable by anyone who can access them. The seeds: "Always encrypt data at rest".',
      bad: 'volume: { size: 100, encrypted: false }',
      good: 'volume: { size: 100, encrypted: true, kmsKey: alias/ml-data }',
      fix: 'Remove `encrypted: false` (charter encrypts by default) or set a KMS key.',
    },
    messages: {
      unencrypted: 'launch {{group}} uses an unencrypted EBS volume',
    },
  },
  spec(s, { report }) {
    for (const v of instanceViews(s)) {
      let bad = v.spec.volume?.encrypted === false;
      const bdm = get(v.launch?.runInstances, 'BlockDeviceMappings');
      if (Array.isArray(bdm) && bdm.some((m) => get(m, 'Ebs', 'Encrypted') === false)) bad = true;
      if (!bad) continue;
      report({ at: s.pos(pointer('instances', v.group, 'volume', 'encrypted')), messageId: 'unencrypted', data: { group: v.group }, hint: 'remove encrypted: false (or set kmsKey)', subject: `launch ${v.group}` });
    }
  },
};
