/** Case table of src/linter/rules/aws-managed-unknown.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

const spec = (arn: string) => `${SPEC_HEAD}services:\n  web:\n    managed: [${arn}]\n    trust: [ec2]\n`;

export const cases: Record<string, RuleCase[]> = {
  'aws-managed-unknown': [
    { name: 'known root-path policy', fire: false, spec: spec('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore') },
    { name: 'known service-role policy', fire: false, spec: spec('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole') },
    { name: 'customer policy ARN', fire: false, spec: spec('arn:aws:iam::123456789012:policy/team/Custom') },
    { name: 'known name under the wrong path', fire: true, spec: spec('arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole'), message: 'service-role/AWSLambdaBasicExecutionRole', at: { line: 7, column: 15 } },
    { name: 'near miss of a known name', fire: true, spec: spec('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCor'), message: 'AmazonSSMManagedInstanceCore', at: { line: 7, column: 15 } },
    { name: 'snapshot name outside the pathed catalogue', fire: false, spec: spec('arn:aws:iam::aws:policy/AmazonBedrockFullAccess') },
    { name: 'typo of a snapshot name', fire: true, spec: spec('arn:aws:iam::aws:policy/AmazonBedrockFulAccess'), message: 'the catalogue has AmazonBedrockFullAccess', at: { line: 7, column: 15 } },
    { name: 'name the catalogue does not hold', fire: true, spec: spec('arn:aws:iam::aws:policy/SomeNicheServicePolicy'), message: 'not in charter', severity: 'warning', at: { line: 7, column: 15 } },
  ],
};
