/** Case table of src/linter/rules/sid.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow, doc, SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'sid': [
    { name: 'unique alphanumeric', fire: false, policy: doc({ Sid: 'ReadData', ...allow('s3:GetObject', 'arn:aws:s3:::b/*') }, { Sid: 'ListData', ...allow('s3:ListBucket', 'arn:aws:s3:::b') }) },
    { name: 'dash in identity Sid', fire: true, policy: doc({ Sid: 'read-data', ...allow('s3:GetObject', 'arn:aws:s3:::b/*') }), message: 'Sid "read-data" must be alphanumeric', at: { line: 5, column: 14 } },
    { name: 'a Sid holding a password: no example made of it', fire: true, policy: doc({ Sid: 'password=Hunter2Hunter2x', ...allow('s3:GetObject', 'arn:aws:s3:::b/*') }), message: 'must be alphanumeric', at: { line: 5, column: 14 } },
    // In a spec the finding is at the Sid's value, block style or flow style.
    { name: 'spec, block style: at the sid value', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - sid: read-data\n        actions: [s3:GetObject]\n        resources: [arn:aws:s3:::b/*]\n    trust: [ec2]\n`, message: 'Sid "read-data" must be alphanumeric', at: { line: 8, column: 14 } },
    { name: 'spec, flow style: at the sid value, not the {', fire: true, spec: `${SPEC_HEAD}services:\n  web:\n    statements:\n      - { actions: [s3:GetObject], sid: read-data, resources: [arn:aws:s3:::b/*] }\n    trust: [ec2]\n`, message: 'Sid "read-data" must be alphanumeric', at: { line: 8, column: 41 } },
    { name: 'duplicate', fire: true, policy: doc({ Sid: 'A', ...allow('s3:GetObject', 'arn:aws:s3:::b/*') }, { Sid: 'A', ...allow('s3:ListBucket', 'arn:aws:s3:::b') }), message: 'duplicate Sid "A" (also statement 1)', at: { line: 11, column: 14 } },
  ],
};
