/** Case table of src/linter/rules/forallvalues-without-null.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'forallvalues-without-null': [
    { name: 'with Null check', fire: false, policy: doc(allow('ec2:CreateTags', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] }, Null: { 'aws:TagKeys': 'false' } })) },
    { name: 'Deny is safe', fire: false, policy: doc({ Effect: 'Deny', Action: 'ec2:CreateTags', Resource: '*', Condition: { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['team'] } } }) },
    { name: 'single-valued key: set-operator-single-valued reports it (drop the prefix), not this rule', fire: false, policy: doc(allow('iam:ChangePassword', '*', { 'ForAllValues:StringEquals': { 'aws:username': ['alice'] } })) },
    { name: 'key of unknown kind still fires', fire: true, policy: doc(allow('ec2:CreateTags', '*', { 'ForAllValues:StringEquals': { 'ec2:SomeFutureKey': ['x'] } })), message: 'ec2:SomeFutureKey', at: { line: 10, column: 11 } },
    { name: 'without', fire: true, policy: doc(allow('ec2:CreateTags', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } })), message: 'aws:TagKeys', at: { line: 10, column: 11 } },
  ],
};
