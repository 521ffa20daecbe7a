/** The raw wire: what the sandbox sends, checked byte-level where the SDK would be forgiving. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { harness, trustDoc, type Harness } from './sandbox-helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({}, 1);
});
afterAll(async () => {
  await h.sb.stop();
});

async function post(body: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(h.sb.endpoint + '/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

describe('sandbox wire formats', () => {
  it('IAM: awsQuery result and error envelopes', async () => {
    const ok = await post(`Action=CreateRole&Version=2010-05-08&RoleName=wire&AssumeRolePolicyDocument=${encodeURIComponent(trustDoc())}`);
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('text/xml');
    expect(ok.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<CreateRoleResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><CreateRoleResult><Role>/);
    expect(ok.text).toMatch(/<CreateDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/CreateDate>/);
    expect(ok.text).toMatch(/<\/CreateRoleResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/CreateRoleResponse>$/);
    const list = await post('Action=ListRoles&Version=2010-05-08');
    expect(list.text).toContain('<Roles><member><Path>/</Path><RoleName>wire</RoleName>');
    const err = await post('Action=GetRole&Version=2010-05-08&RoleName=missing');
    expect(err.status).toBe(404);
    expect(err.text).toContain('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name missing cannot be found.</Message></Error><RequestId>');
    const del = await post('Action=DeleteRole&Version=2010-05-08&RoleName=wire');
    expect(del.text).toMatch(/<DeleteRoleResponse [^>]*><ResponseMetadata>/);
  });

  it('EC2: ec2Query result and error envelopes', async () => {
    const run = await post('Action=RunInstances&Version=2016-11-15&ImageId=ami-12345678&MinCount=1&MaxCount=1&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value=v');
    expect(run.status).toBe(200);
    expect(run.text).toMatch(/<RunInstancesResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><reservationId>r-[0-9a-f]{17}<\/reservationId>/);
    expect(run.text).toContain('<tagSet><item><key>k</key><value>v</value></item></tagSet>');
    const err = await post('Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0');
    expect(err.status).toBe(400);
    expect(err.text).toMatch(/<Response><Errors><Error><Code>InvalidInstanceID.NotFound<\/Code><Message>The instance ID 'i-0123456789abcdef0' does not exist<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/);
  });

  it('unknown actions and versions are InvalidAction', async () => {
    expect((await post('Action=Frobnicate&Version=2010-05-08')).text).toContain('<Code>InvalidAction</Code>');
    expect((await post('Action=ListRoles&Version=1999-01-01')).status).toBe(400);
    expect((await post('Action=constructor&Version=2010-05-08')).text).toContain('<Code>InvalidAction</Code>');
  });

  it('names that collide with Object.prototype keys are ordinary names; parameters cannot pollute prototypes', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await h.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustDoc() }));
      expect((await h.iam.send(new GetRoleCommand({ RoleName: name }))).Role?.RoleName).toBe(name);
    }
    await post('Action=ListRoles&Version=2010-05-08&constructor.prototype.polluted=yes&__proto__.polluted=yes');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const a = await h.ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, ClientToken: 'constructor' }));
    const b = await h.ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, ClientToken: 'constructor' }));
    expect(b.Instances?.[0]?.InstanceId).toBe(a.Instances?.[0]?.InstanceId);
    const bad = await post('Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=constructor&Filter.1.Value.1=x');
    expect(bad.text).toContain('<Code>InvalidParameterValue</Code>');
    expect((await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: ['constructor'] }] }))).Reservations).toHaveLength(1);
  });
});
