/** Case table of src/linter/rules/mfa-false-allow.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'mfa-false-allow': [
    { name: 'requires MFA', fire: false, policy: doc(allow('ec2:StopInstances', '*', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })) },
    { name: 'Deny without MFA', fire: false, policy: doc({ Effect: 'Deny', Action: 'ec2:StopInstances', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }) },
    { name: 'Allow without MFA', fire: true, policy: doc(allow('ec2:StopInstances', '*', { Bool: { 'aws:MultiFactorAuthPresent': 'false' } })), message: 'without MFA', at: { line: 10, column: 11 } },
  ],
};
