/** Case table of src/linter/rules/wildcard-action.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD, allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'wildcard-action': [
    { name: 'specific actions', fire: false, policy: doc(allow(['s3:GetObject'], 'arn:aws:s3:::b/*')) },
    { name: 'Deny of everything is fine', fire: false, policy: doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }) },
    { name: 'Allow * with Deny * in the same policy (a disabled policy)', fire: false, policy: doc(allow('*', '*'), { Effect: 'Deny', Action: '*', Resource: '*' }) },
    { name: 'Allow * with only IAM denied still allows every other action', fire: true, policy: doc(allow('*', '*'), { Effect: 'Deny', Action: 'iam:*', Resource: '*' }), message: 'administrator access', at: { line: 6, column: 17 } },
    { name: 'every action on one bucket', fire: true, policy: doc(allow('*', ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'])), message: 'Action "*" allows every action in policy case.json', at: { line: 6, column: 17 } },
    { name: 'AdministratorAccess', fire: true, policy: doc(allow('*', '*')), message: 'every action', at: { line: 6, column: 17 } },
    { name: '*:* (seed mistake)', fire: true, policy: doc(allow('*:*', '*')), message: '"*:*"', at: { line: 6, column: 17 } },
    { name: 'Action * in a spec', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - actions: ["*"]\n        resources: ["*"]\n    trust: [ec2]\n`, message: 'administrator', at: { line: 8, column: 19 } },
  ],
};
