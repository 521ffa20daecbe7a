/** Case table of src/linter/rules/trust-any-principal.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { trustOf } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'trust-any-principal': [
    { name: 'service principal', fire: false, policy: trustOf({ Service: 'ec2.amazonaws.com' }) },
    { name: 'anyone', fire: true, policy: trustOf({ AWS: '*' }), message: 'anyone', at: { line: 6, column: 20 } },
    { name: 'Principal *', fire: true, policy: trustOf('*'), at: { line: 6, column: 20 } },
  ],
};
