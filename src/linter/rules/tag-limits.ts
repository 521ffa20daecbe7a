/** size: tag count, key and value lengths, reserved prefixes. */
import type { Loc, Report, Rule } from '../types.js';
import { SPEC_HEAD } from './util.js';

function checkTags(tags: Record<string, string>, where: string, at: Loc, report: Report): void {
  const keys = Object.keys(tags);
  if (keys.length > 50) report({ at, messageId: 'tooMany', data: { where }, context: { count: keys.length }, hint: 'drop tags, or shorten the list in spec tags' });
  for (const k of keys) {
    if (k.length > 128) report({ at, messageId: 'keyTooLong', data: { where, key: k }, context: { start: k.slice(0, 30), length: k.length } });
    const v = tags[k]!;
    if (v.length > 256) report({ at, messageId: 'valueTooLong', data: { where, key: k }, context: { length: v.length } });
    if (/^aws:/i.test(k)) report({ at, messageId: 'reservedPrefix', data: { where, key: k }, hint: 'AWS rejects user tags starting with aws:' });
  }
}

export const tagLimits: Rule = {
  meta: {
    id: 'tag-limits',
    title: 'Tags over IAM/EC2 limits',
    severity: 'error',
    category: 'size',
    docs: {
      what: 'A role or launch with more than 50 tags (charter\'s own {prefix}:* tags count), a key over 128 or a value over 256 characters, or a key with the reserved aws: prefix.',
      why: 'IAM and EC2 reject them at apply time.',
      bad: 'tags: { "aws:owner": alice }',
      good: 'tags: { owner: alice }',
      fix: 'Remove or shorten tags.',
    },
    messages: {
      tooMany: "{{where}} carries {{count}} / 50 tags (charter's own tags included)",
      keyTooLong: '{{where}}: tag key "{{start}}…" is {{length}} / 128 characters',
      valueTooLong: '{{where}}: value of tag {{key}} is {{length}} / 256 characters',
      reservedPrefix: '{{where}}: tag key "{{key}}" uses the reserved aws: prefix',
    },
  },
  cases: [
    { name: 'normal tags', fire: false, spec: `${SPEC_HEAD}tags: { owner: alice }\nservices:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n` },
    { name: 'more than 50 tags with charter\'s own', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) for (let i = 0; i < 50; i++) r.tags[`t${i}`] = 'x'; }, message: 'role web carries 55 / 50 tags', at: { line: 6, column: 3 } },
    { name: 'reserved aws: prefix', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.tags['aws:owner'] = 'alice'; }, message: 'role web: tag key "aws:owner" uses the reserved aws: prefix', at: { line: 6, column: 3 } },
    { name: 'key over 128', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.tags['k'.repeat(129)] = 'x'; }, message: 'is 129 / 128 characters', at: { line: 6, column: 3 } },
    { name: 'value over 256', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.tags.team = 'v'.repeat(257); }, message: 'role web: value of tag team is 257 / 256 characters', at: { line: 6, column: 3 } },
  ],
  principal(p, { report }) {
    if (p.role) checkTags(p.role.tags, p.label, p.at, report);
  },
  spec(s, { report }) {
    for (const l of s.launches) checkTags(l.tags, `launch ${l.group}`, { ...l.pos }, report);
  },
};
