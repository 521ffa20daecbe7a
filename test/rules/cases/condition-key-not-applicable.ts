/** Case table of src/linter/rules/condition-key-not-applicable.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'condition-key-not-applicable': [
    { name: 'applicable key', fire: false, policy: doc(allow('ec2:TerminateInstances', '*', { StringEquals: { 'ec2:ResourceTag/spawn:managed': 'true' } })) },
    { name: 'global key anywhere', fire: false, policy: doc(allow('s3:GetObject', '*', { StringEquals: { 'aws:RequestedRegion': 'us-west-2' } })) },
    { name: 'ec2 key on s3 action', fire: true, policy: doc(allow('s3:GetObject', '*', { StringEquals: { 'ec2:Region': 'us-west-2' } })), message: 'ec2:Region', at: { line: 10, column: 11 } },
  ],
};
