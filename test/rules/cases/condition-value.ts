/** Case table of src/linter/rules/condition-value.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'condition-value': [
    { name: 'valid values', fire: false, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*', { Bool: { 'aws:SecureTransport': 'true' }, IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] }, DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } })) },
    { name: 'Bool yes', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*', { Bool: { 'aws:SecureTransport': 'yes' } })), message: 'true', at: { line: 10, column: 34 } },
    { name: 'bad CIDR', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*', { IpAddress: { 'aws:SourceIp': '10.0.0.300/8' } })), at: { line: 10, column: 27 } },
    { name: 'bad date', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*', { DateGreaterThan: { 'aws:CurrentTime': 'tomorrow' } })), at: { line: 10, column: 30 } },
  ],
};
