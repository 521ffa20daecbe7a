/** Case table of src/linter/rules/tag-limits.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'tag-limits': [
    { name: 'normal tags', fire: false, spec: `${SPEC_HEAD}tags: { owner: alice }\nservices:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n` },
    { name: 'more than 50 tags with charter\'s own', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) for (let i = 0; i < 50; i++) r.tags[`t${i}`] = 'x'; }, message: 'role web carries 55 / 50 tags', at: { line: 6, column: 3 } },
    { name: 'reserved aws: prefix', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.tags['aws:owner'] = 'alice'; }, message: 'role web: tag key "aws:owner" uses the reserved aws: prefix', at: { line: 6, column: 3 } },
    { name: 'key over 128', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.tags['k'.repeat(129)] = 'x'; }, message: 'is 129 / 128 characters', at: { line: 6, column: 3 } },
    { name: 'value over 256', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.tags.team = 'v'.repeat(257); }, message: 'role web: value of tag team is 257 / 256 characters', at: { line: 6, column: 3 } },
  ],
};
