/** size: tag count, key and value lengths, reserved prefixes. */
import type { Loc, Report, Rule } from '../types.js';

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
  principal(p, { report }) {
    if (p.role) checkTags(p.role.tags, p.label, p.at, report);
  },
  spec(s, { report }) {
    for (const l of s.launches) checkTags(l.tags, `launch ${l.group}`, { ...l.pos }, report);
  },
};
