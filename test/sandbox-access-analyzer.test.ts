import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckAccessNotGrantedCommand, CheckNoNewAccessCommand, ValidatePolicyCommand, paginateValidatePolicy, type ValidatePolicyFinding } from '@aws-sdk/client-accessanalyzer';
import { awsError, harness, type Harness } from './sandbox-helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({}, 1);
});
afterAll(async () => {
  await h.sb.stop();
});

const passRole = JSON.stringify(
  { Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }, { Sid: 'Pass', Effect: 'Allow', Action: ['ec2:RunInstances', 'iam:PassRole'], Resource: '*' }] },
  null,
  2,
);

function spanText(text: string, f: ValidatePolicyFinding): string {
  const span = f.locations![0]!.span!;
  return text.slice(span.start!.offset, span.end!.offset);
}

describe('sandbox Access Analyzer (contract double)', () => {
  it('flags iam:PassRole on * with a location pointing into the exact string sent', async () => {
    const out = await h.aa.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: passRole }));
    expect(out.findings).toHaveLength(1);
    const f = out.findings![0]!;
    expect(f).toMatchObject({ findingType: 'SECURITY_WARNING', issueCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE' });
    expect(f.locations![0]!.path).toEqual([{ value: 'Statement' }, { index: 1 }, { value: 'Resource' }]);
    expect(spanText(passRole, f)).toBe('"*"');
    const start = f.locations![0]!.span!.start!;
    const lines = passRole.split('\n');
    expect(lines[start.line! - 1]!.slice(start.column!)).toMatch(/^"\*"/);
  });

  it('flags an action a wildcard of the same statement already covers', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::b/*' }] });
    const out = await h.aa.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: doc }));
    expect(out.findings?.map((f) => f.issueCode)).toEqual(['REDUNDANT_ACTION']);
    expect(spanText(doc, out.findings![0]!)).toBe('"s3:GetObject"');
  });

  it('reports grammar errors with their issue codes and locations', async () => {
    const doc = JSON.stringify({ Statement: [{ Sid: 'A', Effect: 'Maybe', Action: 's3:GetObject' }, { Sid: 'A', Effect: 'Allow', Principal: '*', Resource: '*' }] }, null, 1);
    const out = await h.aa.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: doc }));
    expect(out.findings?.map((f) => f.issueCode)).toEqual(['MISSING_VERSION', 'INVALID_EFFECT', 'MISSING_RESOURCE', 'UNIQUE_SIDS_REQUIRED', 'MISSING_ACTION', 'UNSUPPORTED_PRINCIPAL']);
    expect(out.findings?.map((f) => f.findingType)).toEqual(['SUGGESTION', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR']);
    expect(spanText(doc, out.findings![1]!)).toBe('"Maybe"');
    expect(spanText(doc, out.findings![3]!)).toBe('"A"');
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] });
    const t = await h.aa.send(new ValidatePolicyCommand({ policyType: 'RESOURCE_POLICY', validatePolicyResourceType: 'AWS::IAM::AssumeRolePolicyDocument', policyDocument: trust }));
    expect(t.findings?.map((f) => f.issueCode)).toEqual(['MISSING_PRINCIPAL']);
  });

  it('reports malformed JSON as an ERROR at the offending offset', async () => {
    const bad = '{\n  "Version": "2012-10-17",\n  "Statement": [ }';
    const out = await h.aa.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: bad }));
    expect(out.findings?.[0]).toMatchObject({ findingType: 'ERROR', issueCode: 'JSON_SYNTAX_ERROR' });
    expect(out.findings![0]!.locations![0]!.span!.start).toEqual({ line: 3, column: 17, offset: bad.indexOf('}') });
  });

  it('serves registered findings, paginated with nextToken/maxResults', async () => {
    const res = await fetch(`${h.sb.endpoint}/_sandbox/access-analyzer/findings`, {
      method: 'POST',
      body: JSON.stringify({ findings: [
        { match: 's3:GetObject', findingType: 'WARNING', issueCode: 'REGISTERED_ONE', findingDetails: 'one', path: ['Statement', 0, 'Action'] },
        { match: 's3:GetObject', findingType: 'SUGGESTION', issueCode: 'REGISTERED_TWO', findingDetails: 'two' },
        { match: 'never-present', findingType: 'ERROR', issueCode: 'NOT_ME', findingDetails: 'x' },
      ] }),
    });
    expect(res.status).toBe(200);
    const pages: ValidatePolicyFinding[][] = [];
    for await (const page of paginateValidatePolicy({ client: h.aa, pageSize: 1 }, { policyType: 'IDENTITY_POLICY', policyDocument: passRole })) pages.push(page.findings ?? []);
    expect(pages.map((p) => p.map((f) => f.issueCode))).toEqual([['PASS_ROLE_WITH_STAR_IN_RESOURCE'], ['REGISTERED_ONE'], ['REGISTERED_TWO']]);
    expect(spanText(passRole, pages[1]![0]!)).toBe('"s3:GetObject"');
    const bad = await fetch(`${h.sb.endpoint}/_sandbox/access-analyzer/findings`, { method: 'POST', body: JSON.stringify({ findingType: 'NOPE', issueCode: 'x', findingDetails: 'x' }) });
    expect(bad.status).toBe(400);
    await fetch(`${h.sb.endpoint}/_sandbox/access-analyzer/findings`, { method: 'DELETE' });
  });

  it('CheckNoNewAccess on trust policies compares principals: a narrower trust passes, a new principal fails', async () => {
    const trust = (principal: unknown, cond?: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(cond ? { Condition: cond } : {}) }] });
    const check = async (existing: string, next: string) =>
      (await h.aa.send(new CheckNoNewAccessCommand({ policyType: 'RESOURCE_POLICY', existingPolicyDocument: existing, newPolicyDocument: next }))).result;
    const two = trust({ Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] });
    const ec2 = trust({ Service: 'ec2.amazonaws.com' });
    expect(await check(ec2, ec2)).toBe('PASS');
    expect(await check(two, ec2)).toBe('PASS');
    expect(await check(ec2, two)).toBe('FAIL');
    expect(await check(ec2, trust({ AWS: 'arn:aws:iam::111122223333:root' }))).toBe('FAIL');
    expect(await check(trust('*'), trust({ AWS: 'arn:aws:iam::111122223333:root' }))).toBe('PASS');
    // adding a condition narrows; removing one widens
    const cond = { StringEquals: { 'aws:SourceAccount': '123456789012' } };
    expect(await check(ec2, trust({ Service: 'ec2.amazonaws.com' }, cond))).toBe('PASS');
    expect(await check(trust({ Service: 'ec2.amazonaws.com' }, cond), ec2)).toBe('FAIL');
  });

  it('validates input like the service (ValidationException)', async () => {
    const e = await awsError(h.aa.send(new ValidatePolicyCommand({ policyType: 'NOT_A_TYPE' as 'IDENTITY_POLICY', policyDocument: passRole })));
    expect(e).toMatchObject({ name: 'ValidationException', status: 400 });
  });

  it('CheckNoNewAccess and CheckAccessNotGranted', async () => {
    const existing = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*' }] });
    const narrower = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/key' }] });
    const wider = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'W', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::b/*' }] });
    expect((await h.aa.send(new CheckNoNewAccessCommand({ policyType: 'IDENTITY_POLICY', existingPolicyDocument: existing, newPolicyDocument: narrower }))).result).toBe('PASS');
    const fail = await h.aa.send(new CheckNoNewAccessCommand({ policyType: 'IDENTITY_POLICY', existingPolicyDocument: existing, newPolicyDocument: wider }));
    expect(fail.result).toBe('FAIL');
    expect(fail.reasons?.[0]).toMatchObject({ statementIndex: 0, statementId: 'W' });
    const granted = await h.aa.send(new CheckAccessNotGrantedCommand({ policyType: 'IDENTITY_POLICY', policyDocument: passRole, access: [{ actions: ['iam:PassRole'] }] }));
    expect(granted.result).toBe('FAIL');
    expect(granted.reasons?.[0]?.statementIndex).toBe(1);
    const notGranted = await h.aa.send(new CheckAccessNotGrantedCommand({ policyType: 'IDENTITY_POLICY', policyDocument: passRole, access: [{ actions: ['s3:DeleteBucket'] }] }));
    expect(notGranted.result).toBe('PASS');
    expect(h.sb.stats().actions['access-analyzer:CheckAccessNotGranted']).toBe(2);
  });
});
