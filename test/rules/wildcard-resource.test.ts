/**
 * wildcard-resource: the actions a finding lists (its digest, and the five shown) are the scopable
 * actions the statement's patterns match, each once, in code-unit order of their qualified names
 * (the rule sorts by ActionInfo.sortKey), for short and long lists. The rule's fire / stay-quiet
 * table runs in rule-cases.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { IamData } from '../../src/policy/iam-data.js';
import { sha256Hex } from '../../src/policy/canonical.js';
import { lint } from '../../src/linter/engine.js';

async function findingFor(actions: string[]) {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }, null, 2);
  const r = await lint({ files: [{ file: 'p.json', text }] });
  return r.findings.filter((f) => f.rule === 'wildcard-resource');
}

async function expectedNames(actions: string[]): Promise<string[]> {
  const iam = new IamData();
  await iam.loadServices(actions.map((a) => a.split(':')[0]!));
  const names = actions.flatMap((a) => iam.expandInfo(a)).filter((i) => !i.wildcardOnly).map((i) => i.qualified);
  return [...new Set(names)].sort();
}

describe('wildcard-resource lists each scopable action once, in name order', () => {
  const cases: Array<[string, string[]]> = [
    ['a short list, out of order, with a repeat', ['s3:PutObject', 'ec2:TerminateInstances', 's3:GetObject', 'S3:getobject', 'ec2:DescribeInstances']],
    [
      'a long list across services, out of order, with patterns that overlap literals',
      ['sqs:*Message*', 'iam:Get*', 's3:PutObject', 'lambda:InvokeFunction', 's3:Get*', 's3:GetObject', 'dynamodb:Query', 'ec2:StartInstances', 'ec2:StopInstances', 'kms:Decrypt', 'iam:GetRole', 'ec2:Describe*', 'sns:Publish', 'logs:PutLogEvents', 'dynamodb:GetItem', 'dynamodb:PutItem', 'kms:Encrypt', 'ec2:TerminateInstances', 'sqs:SendMessage', 'S3:GETOBJECT'],
    ],
  ];
  for (const [name, actions] of cases)
    it(name, async () => {
      const want = await expectedNames(actions);
      expect(want.length).toBeGreaterThan(1);
      const found = await findingFor(actions);
      expect(found).toHaveLength(1);
      expect(found[0]!.data!.digest).toBe(sha256Hex(want.join(',')));
      expect(found[0]!.message).toContain(want.slice(0, 5).join(', '));
      if (want.length > 5) expect(found[0]!.message).toContain(`and ${want.length - 5} more`);
    });
  it('the long case lists more than a hundred actions', async () => {
    expect((await expectedNames(cases[1]![1])).length).toBeGreaterThan(100);
  });
});
