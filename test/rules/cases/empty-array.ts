/** Case table of src/linter/rules/empty-array.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'empty-array': [
    { name: 'filled lists', fire: false, policy: doc(allow(['s3:GetObject'], ['arn:aws:s3:::b/*'])) },
    { name: 'empty Resource', fire: true, policy: doc(allow('s3:GetObject', [])), message: 'Resource is an empty list', at: { line: 7, column: 19 } },
    { name: 'empty Principal list', fire: true, policy: doc({ Effect: 'Allow', Principal: { AWS: [] }, Action: 'sts:AssumeRole' }), message: 'Principal.AWS is an empty list', at: { line: 7, column: 16 } },
    { name: 'empty condition values', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*', { StringEquals: { 'aws:PrincipalTag/team': [] } })), message: 'condition StringEquals aws:PrincipalTag/team has an empty value list', at: { line: 10, column: 36 } },
  ],
};
