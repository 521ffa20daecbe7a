/** Case table of src/linter/rules/condition-operator.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'condition-operator': [
    { name: 'known operators', fire: false, policy: doc(allow('ec2:RunInstances', '*', { StringEqualsIfExists: { 'aws:RequestedRegion': 'us-west-2' }, 'ForAllValues:StringLike': { 'aws:TagKeys': 'team*' }, Null: { 'aws:TagKeys': 'false' } })) },
    { name: 'typo', fire: true, policy: doc(allow('ec2:RunInstances', '*', { StringEqual: { 'aws:RequestedRegion': 'us-west-2' } })), message: '"StringEqual"', at: { line: 9, column: 9 } },
    { name: 'NullIfExists', fire: true, policy: doc(allow('ec2:RunInstances', '*', { NullIfExists: { 'aws:TagKeys': 'true' } })), at: { line: 9, column: 9 } },
  ],
};
