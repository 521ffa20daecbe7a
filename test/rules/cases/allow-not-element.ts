/** Case table of src/linter/rules/allow-not-element.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'allow-not-element': [
    { name: 'Deny with NotAction', fire: false, policy: doc({ Effect: 'Deny', NotAction: ['iam:*'], Resource: '*' }) },
    { name: 'Allow NotAction', fire: true, policy: doc({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }), message: 'NotAction', at: { line: 6, column: 7 } },
    { name: 'Allow NotResource', fire: true, policy: doc({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }), message: 'NotResource', at: { line: 7, column: 7 } },
  ],
};
