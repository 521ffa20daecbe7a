/**
 * One ARN checker for every path (src/policy/arn.ts): a bad ARN names the part that is wrong.
 * The table: each ARN, the part reported (or none), and a piece of the sentence.
 */
import { describe, expect, it } from 'vitest';
import { arnProblem, policyArnProblem, splitArn, type ArnProblem } from '../src/policy/arn.js';

type Row = [arn: string, part: string | undefined, says?: string];

/** Each row: the part the checker names (undefined: well formed) and a piece of its sentence. */
function table(check: (arn: string) => ArnProblem | undefined, rows: readonly Row[]): void {
  for (const [arn, part, says] of rows) {
    it(`${arn} → ${part ?? 'well formed'}`, () => {
      const p = check(arn);
      expect(p?.part).toBe(part);
      if (says) expect(p!.message).toContain(says);
    });
  }
}

const ARNS: Row[] = [
  ['*', undefined],
  ['arn:aws:s3:::bucket/*', undefined],
  ['arn:aws:s3:::home/${aws:username}/*', undefined],
  ['arn:aws:s3:::home/${aws:PrincipalTag/team:x}/*', undefined],
  ['arn:aws:sqs:us-east-1:123456789012:q', undefined],
  ['arn:aws:sqs:*:*:q', undefined],
  ['arn:aws:sqs:us-*:${aws:PrincipalAccount}:q', undefined],
  ['arn:aws:iam::aws:policy/ReadOnlyAccess', undefined],
  ['arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:/app:*', undefined],
  ['arn:aws:s3:*', undefined],
  ['arn:aws:organizations::*:', undefined],
  ['bucket/*', 'prefix', 'is neither "*" nor an ARN'],
  ['arn:aws:s3:bkt/*', 'parts', 'has 4 of the 6 ARN parts (arn:partition:service:region:account:resource): `bkt/*` stands where the region goes'],
  ['arn:aws', 'parts', 'has 2 of the 6 ARN parts'],
  ['arn:aws:s3', 'parts', 'has 3 of the 6 ARN parts (arn:partition:service:region:account:resource)'],
  ['arn:aws-x', 'parts', '`aws-x` stands where the partition goes'],
  ['arn:aws:iam:aws:policy/X', 'parts', '`policy/X` stands where the account goes'],
  ['arn:aws:sqs:{region}:{accountId}:q', 'placeholder', 'unresolved placeholder {region} where the region goes'],
  ['arn:aws:iam::{accountId}:role/r', 'placeholder', '{accountId} where the account goes'],
  ['arn:amazon:s3:::b', 'partition', 'has partition `amazon`, which is not an AWS partition'],
  ['arn::s3:::b', 'partition', 'has an empty partition'],
  ['arn:aws::us-east-1:123456789012:x', 'service', 'has an empty service'],
  ['arn:aws:s3 x:::b', 'service', 'has service `s3 x`'],
  ['arn:aws:sqs:us-east1:123456789012:q', 'region', 'has region `us-east1`, which is not a region'],
  ['arn:aws:sqs:bucket/x:123456789012:q', 'region', 'has region `bucket/x`'],
  ['arn:aws:sqs:us-east-1:1234:q', 'account', 'has account `1234` of 4 digits, an account id has 12'],
  ['arn:aws:sqs:us-east-1:me:q', 'account', 'has account `me`, which is not an account id'],
];

describe('arnProblem names the part that is wrong', () => {
  table(arnProblem, ARNS);

  it('a short ARN hints at the ARN with the missing parts put back empty, by the shape of what is there', () => {
    expect(arnProblem('arn:aws:s3:bkt/*')!.hint).toContain('did you mean arn:aws:s3:::bkt/*?');
    expect(arnProblem('arn:aws:iam:aws:policy/X')!.hint).toContain('did you mean arn:aws:iam::aws:policy/X?');
    expect(arnProblem('arn:aws:sqs:us-east-1:q')!.hint).toContain('did you mean arn:aws:sqs:us-east-1::q?');
    expect(arnProblem('arn:aws:sqs:nope:q')!.hint).not.toContain('did you mean');
    // What stands in the last slot is named only when it is not that part.
    expect(arnProblem('arn:aws:s3')!.message).not.toContain('stands where');
  });

  it('a region that is almost one gets a did-you-mean', () => {
    expect(arnProblem('arn:aws:sqs:us-east1:123456789012:q')!.hint).toBe('did you mean us-east-1?');
  });

  it('splits on colons outside IAM policy variables', () => {
    expect(splitArn('arn:aws:s3:::a/${aws:username}/b')).toEqual(['arn', 'aws', 's3', '', '', 'a/${aws:username}/b']);
  });
});

describe('policyArnProblem (managed: and permissionsBoundary:)', () => {
  table(policyArnProblem, [
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', undefined],
    ['arn:aws:iam::123456789012:policy/team/Boundary', undefined],
    ['arn:aws:s3:::aws:policy/X', 'service', 'has service `s3`: a managed policy is an iam resource'],
    ['arn:aws:iam:us-east-1:aws:policy/X', 'region', 'has region `us-east-1`: IAM ARNs have none'],
    ['arn:aws:iam:::policy/X', 'account', 'has an empty account'],
    ['arn:aws:iam::aws:role/x', 'resource', 'has resource `role/x`, which is not policy/NAME'],
    ['arn:aws:iam::aws:policy/', 'resource', 'not policy/NAME'],
    ['arn:aws:iam:aws:policy/X', 'parts', '`policy/X` stands where the account goes'],
  ]);
});
