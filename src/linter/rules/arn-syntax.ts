/** grammar: Resource entries that are not "*" or a well-formed ARN. */
import { elementPath } from '../doc-model.js';
import type { Rule } from '../types.js';
import { allow, doc } from './util.js';
import { arnProblem } from '../../policy/arn.js';

export const arnSyntax: Rule = {
  meta: {
    id: 'arn-syntax',
    title: 'Malformed resource ARN',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A Resource or NotResource entry that is not "*" and not a well-formed ARN, naming the part that is wrong: fewer than six colon-separated parts (and what stands where), an unknown partition, an empty or malformed service, a region that is not one, an account that is not 12 digits, or an unresolved {placeholder}.',
      why: 'IAM rejects some malformed ARNs; others are accepted and match nothing, so the permission silently does not work.',
      bad: '"Resource": "arn:aws:ssm:{region}:{accountId}:parameter/app/*"   # placeholders copied from a doc',
      good: '"Resource": "arn:aws:ssm:us-west-2:123456789012:parameter/app/*"   # or write {region} in a charter spec, which resolves it',
      fix: 'Write the full ARN; in a charter spec use {partition}, {region} and {accountId}, which the compiler resolves.',
    },
    messages: {
      // The finding is the ARN and the part that is wrong (its data); the sentence saying how is context.
      badArn: '{{element}} "{{arn}}" {{problem}}',
    },
  },
  cases: [
    { name: 'well-formed', fire: false, policy: doc(allow('s3:GetObject', ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/${aws:username}/*']), allow('ssm:GetParameter', 'arn:aws:ssm:*:123456789012:parameter/x')) },
    { name: 'not an ARN', fire: true, policy: doc(allow('s3:GetObject', 'my-bucket/*')), message: 'neither', at: { line: 7, column: 19 } },
    { name: 'unresolved placeholder', fire: true, policy: doc(allow('ssm:GetParameter', 'arn:aws:ssm:{region}:{accountId}:parameter/lakerunner/*')), message: 'contains an unresolved placeholder {region} where the region goes', at: { line: 7, column: 19 } },
    { name: 'short', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3')), message: 'has 3 of the 6 ARN parts', at: { line: 7, column: 19 } },
    { name: 'short, the resource where the region goes', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3:bkt/*')), message: 'has 4 of the 6 ARN parts (arn:partition:service:region:account:resource): `bkt/*` stands where the region goes', at: { line: 7, column: 19 } },
    { name: 'short, ending in a lone * (stands for the parts after it)', fire: false, policy: doc(allow('s3:GetObject', 'arn:aws:s3:*')) },
    { name: 'policy variable holding a colon', fire: false, policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/${aws:PrincipalTag/team}/${aws:username}')) },
    { name: 'unknown partition', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws-us:s3:::b/*')), message: 'has partition `aws-us`, which is not an AWS partition', at: { line: 7, column: 19 } },
    { name: 'empty service', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws::us-east-1:123456789012:x')), message: 'has an empty service', at: { line: 7, column: 19 } },
    { name: 'bad service', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3 bucket:::b/*')), message: 'has service `s3 bucket`, which is not a service prefix', at: { line: 7, column: 19 } },
    { name: 'bad region', fire: true, policy: doc(allow('sqs:SendMessage', 'arn:aws:sqs:us-east1:123456789012:q')), message: 'has region `us-east1`, which is not a region', at: { line: 7, column: 19 } },
    { name: 'region wildcard', fire: false, policy: doc(allow('sqs:SendMessage', 'arn:aws:sqs:us-*:123456789012:q')) },
    { name: 'account of 11 digits', fire: true, policy: doc(allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:12345678901:q')), message: 'has account `12345678901` of 11 digits, an account id has 12', at: { line: 7, column: 19 } },
    { name: 'account not digits', fire: true, policy: doc(allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:acct:q')), message: 'has account `acct`, which is not an account id', at: { line: 7, column: 19 } },
    { name: 'empty resource (AWS writes arn:aws:organizations::*:)', fire: false, policy: doc(allow('organizations:DescribeOrganization', 'arn:aws:organizations::*:')) },
  ],
  document(d, { report }) {
    for (const st of d.statements)
      for (const el of ['Resource', 'NotResource'] as const) {
        for (const r of (el === 'Resource' ? st.resource : st.notResource) ?? []) {
          const p = arnProblem(r);
          if (p) report({ at: d.pos(st.index, ...elementPath(st, el, r)), messageId: 'badArn', data: { element: el, arn: r, part: p.part }, context: { problem: p.message }, hint: p.hint });
        }
      }
  },
};
