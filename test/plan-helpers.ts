/** Shared helpers for the plan tests: a sandbox, SDK clients on it, and an "apply" made directly with SDK calls. */
import { AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { RunInstancesCommand, type EC2Client, type RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../src/sandbox/index.js';
import { awsClients, SANDBOX_CREDENTIALS, type AwsClients } from '../src/aws/clients.js';
import { parseSpec } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import type { Bundle } from '../src/compiler/types.js';
import { EXPIRES_AT_PLACEHOLDER } from '../src/compiler/types.js';

export async function sandbox(o: SandboxOptions = {}): Promise<{ sb: RunningSandbox; clients: AwsClients }> {
  const sb = await startSandbox({ region: 'us-west-2', ...o });
  const clients = awsClients({ region: 'us-west-2', endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 3 });
  return { sb, clients };
}

export async function compileText(text: string, path = 'spec.yaml'): Promise<Bundle> {
  return compileSpec(parseSpec(text, path));
}

function tagList(t: Record<string, string>) {
  return Object.keys(t).map((Key) => ({ Key, Value: t[Key]! }));
}

/** What apply would do for a first apply, made directly with SDK calls (no charter code involved). */
export async function applyDirect(iam: IAMClient, ec2: EC2Client | undefined, b: Bundle, account = '123456789012'): Promise<void> {
  const arn = (a: string) => a.replace('{accountId}', account);
  for (const p of b.managedPolicies) {
    await iam.send(new CreatePolicyCommand({ PolicyName: p.name, Path: p.path, PolicyDocument: JSON.stringify(p.document), Tags: tagList(p.tags) }));
  }
  for (const r of b.roles) {
    await iam.send(
      new CreateRoleCommand({
        RoleName: r.name,
        Path: r.path,
        AssumeRolePolicyDocument: JSON.stringify(r.trust.document),
        Tags: tagList(r.tags),
        ...(r.description ? { Description: r.description } : {}),
        ...(r.maxSessionDuration ? { MaxSessionDuration: r.maxSessionDuration } : {}),
        ...(r.permissionsBoundary ? { PermissionsBoundary: arn(r.permissionsBoundary) } : {}),
      }),
    );
    for (const p of r.inline) await iam.send(new PutRolePolicyCommand({ RoleName: r.name, PolicyName: p.name, PolicyDocument: JSON.stringify(p.document) }));
    for (const m of r.managed) await iam.send(new AttachRolePolicyCommand({ RoleName: r.name, PolicyArn: arn(m.arn) }));
  }
  for (const p of b.instanceProfiles) {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: p.name, Path: p.path, Tags: tagList(p.tags) }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: p.name, RoleName: p.roleName }));
  }
  if (ec2) {
    for (const l of b.launches) {
      for (let i = 0; i < l.count; i++) {
        const input = { ...(l.runInstances as unknown as RunInstancesCommandInput), MinCount: 1, MaxCount: 1, UserData: Buffer.from(l.userData.replace(EXPIRES_AT_PLACEHOLDER, '2099-01-01T00:00:00Z')).toString('base64'), ClientToken: `t-${l.group}-${i}` };
        await ec2.send(new RunInstancesCommand(input));
      }
    }
  }
}
