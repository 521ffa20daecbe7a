/** size: tag count, key and value lengths, reserved prefixes. */
import type { Loc, Report, Rule } from '../types.js';
import { SPEC_HEAD } from './util.js';

function checkTags(tags: Record<string, string>, where: string, at: Loc, report: Report): void {
  const keys = Object.keys(tags);
  if (keys.length > 50) report({ at, message: `${where} carries ${keys.length} / 50 tags (charter's own tags included)`, hint: 'drop tags, or shorten the list in spec tags', key: `${where} tag count` });
  for (const k of keys) {
    if (k.length > 128) report({ at, message: `${where}: tag key "${k.slice(0, 30)}…" is ${k.length} / 128 characters`, key: `${where} key ${k}` });
    const v = tags[k]!;
    if (v.length > 256) report({ at, message: `${where}: value of tag ${k} is ${v.length} / 256 characters`, key: `${where} value ${k}` });
    if (/^aws:/i.test(k)) report({ at, message: `${where}: tag key "${k}" uses the reserved aws: prefix`, hint: 'AWS rejects user tags starting with aws:', key: `${where} reserved ${k}` });
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
  },
  cases: [
    { name: 'normal tags', fire: false, spec: `${SPEC_HEAD}tags: { owner: alice }\nservices:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n` },
    { name: 'more than 50 tags with charter\'s own', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) for (let i = 0; i < 50; i++) r.tags[`t${i}`] = 'x'; }, message: '/ 50' },
    { name: 'reserved aws: prefix', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.tags['aws:owner'] = 'alice'; }, message: 'reserved' },
  ],
  principal(p, { report }) {
    if (p.role) checkTags(p.role.tags, p.label, p.at, report);
  },
  spec(s, { report }) {
    for (const l of s.launches) checkTags(l.tags, `launch ${l.group}`, { ...l.pos }, report);
  },
};
