/** Case table of src/linter/rules/policy-version.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'policy-version': [
    { name: 'current version', fire: false, policy: { Version: '2012-10-17', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')] } },
    { name: 'missing version', fire: true, policy: { Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')] }, message: 'policy case.json has no Version (IAM assumes 2008-10-17)', severity: 'warning', at: { line: 1, column: 1 } },
    { name: 'missing version with variables', fire: true, policy: { Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/${aws:username}/*')] }, message: 'policy case.json has no Version, so its policy variables (${...}) are literal text', severity: 'error', at: { line: 1, column: 1 } },
    { name: 'old version without variables', fire: true, policy: { Version: '2008-10-17', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')] }, message: 'Version 2008-10-17 is the old policy language', severity: 'warning', at: { line: 2, column: 14 } },
    { name: 'old version with variables', fire: true, policy: { Version: '2008-10-17', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/${aws:username}/*')] }, message: 'Version 2008-10-17 treats policy variables (${...}) as literal text', severity: 'error', at: { line: 2, column: 14 } },
    { name: 'unknown version', fire: true, policy: { Version: '2012-10-18', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')] }, message: 'unknown Version "2012-10-18"', at: { line: 2, column: 14 } },
  ],
};
