/** Case table of src/linter/rules/trust-confused-deputy.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { trustOf } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'trust-confused-deputy': [
    { name: 'ec2 needs no source condition', fire: false, policy: trustOf({ Service: 'ec2.amazonaws.com' }) },
    { name: 'events with SourceAccount', fire: false, policy: trustOf({ Service: 'events.amazonaws.com' }, { StringEquals: { 'aws:SourceAccount': '123456789012' } }) },
    { name: 'events without', fire: true, policy: trustOf({ Service: 'events.amazonaws.com' }), message: 'events.amazonaws.com', at: { line: 6, column: 20 } },
  ],
};
