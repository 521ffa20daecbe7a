/** Case table of src/linter/rules/name-length.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'name-length': [
    { name: 'short name', fire: false, spec: `${SPEC_HEAD}services:\n  web:\n    name: web-role\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n` },
    { name: 'role name over 64 (e.g. a long prefix and service)', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\n`, mutate: (b) => { for (const r of b.roles) r.name = 'r'.repeat(70); }, message: 'role name "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr…" is 70 / 64 characters', at: { line: 6, column: 3 } },
    { name: 'instance profile name over 128', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\ninstances:\n  a:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n`, mutate: (b) => { for (const p of b.instanceProfiles) p.name = 'p'.repeat(130); }, message: 'instance profile name "pppppppppppppppppppppppppppppppppppppppp…" is 130 / 128 characters', at: { line: 6, column: 3 } },
  ],
};
