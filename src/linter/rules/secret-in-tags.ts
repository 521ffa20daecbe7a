/** secrets: credentials in tag keys or values. */
import { findSecrets } from '../secret-scan.js';
import { pointer } from '../../spec/yaml.js';
import type { Rule } from '../types.js';

export const secretInTags: Rule = {
  meta: {
    id: 'secret-in-tags',
    title: 'Secret in tags',
    severity: 'error',
    category: 'secrets',
    docs: {
      what: 'A tag (spec-wide `tags`, a service\'s or an instance group\'s) whose key or value looks like a credential: AWS key ids (also inside a longer token), secret keys, session tokens, private keys, known token formats (GitHub, GitLab, Slack …), credentials in a URL, high-entropy tokens, URL-encoded ones too. The finding names the tag, never the value.',
      why: 'Tags are readable by anyone with Describe/List permissions, copied to snapshots and billing reports, and are never encrypted.',
      bad: 'tags: { deploy-token: "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB" }',
      good: 'tags: { owner: alice }    # secrets live in Secrets Manager',
      fix: 'Remove the tag and rotate the credential.',
    },
    messages: {
      secretInTag: '{{what}} in {{where}}: tag {{tag}}',
    },
  },
  spec(s, { report }) {
    const sets: Array<[string, string, Record<string, string> | undefined]> = [['spec tags', '/tags', s.loaded.spec.tags]];
    for (const [n, svc] of Object.entries(s.loaded.spec.services ?? {})) sets.push([`tags of service ${n}`, pointer('services', n, 'tags'), svc.tags]);
    for (const [n, inst] of Object.entries(s.loaded.spec.instances ?? {})) sets.push([`tags of launch ${n}`, pointer('instances', n, 'tags'), inst.tags]);
    for (const [where, base, tags] of sets) {
      for (const [k, v] of Object.entries(tags ?? {})) {
        const hk = findSecrets(k)[0];
        const hv = findSecrets(String(v))[0];
        const h = hk ?? hv;
        if (!h) continue;
        report({ at: s.pos(`${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, hk ? 'key' : 'value'), messageId: 'secretInTag', data: { what: h.description, where, tag: hk ? '(its key)' : `key "${k}"` }, hint: 'remove the tag and rotate the credential' });
      }
    }
  },
};
