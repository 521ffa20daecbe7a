/**
 * A second real client: the AWS CLI (v2 from Debian's awscli, and/or a v1 on PATH) against
 * `charter sandbox serve` running as a child process. Runs only when an `aws` binary is available;
 * otherwise the test is skipped and its name says why. Needs dist/ (npm test builds first); without
 * it the sandbox is started in-process instead.
 */
import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { SANDBOX_CREDENTIALS } from '../src/aws/clients.js';
import { ROOT, spawnCharter } from './cli-support.js';
import { SUITE_TIMEOUT_MS } from './suite-clock.js';

const run = promisify(execFile);

function findClis(): string[] {
  const found = new Map<string, string>();
  const candidates = ['/usr/bin/aws'];
  try {
    candidates.push(...execFileSync('sh', ['-c', 'which -a aws'], { encoding: 'utf8' }).split('\n').filter(Boolean));
  } catch {
    // none on PATH
  }
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    try {
      const real = realpathSync(c);
      if (found.has(real)) continue;
      execFileSync(c, ['--version'], { stdio: 'pipe', timeout: SUITE_TIMEOUT_MS }); // synchronous: see test/suite-clock.ts
      found.set(real, c);
    } catch {
      // a shim without an installed CLI behind it
    }
  }
  return [...found.values()];
}

const CLIS = findClis();
const DIST = join(ROOT, 'dist', 'cli', 'main.js');

let endpoint = '';
let child: ChildProcess | undefined;
let inProcess: RunningSandbox | undefined;

beforeAll(async () => {
  if (CLIS.length === 0) return;
  if (!existsSync(DIST)) {
    inProcess = await startSandbox();
    endpoint = inProcess.endpoint;
    return;
  }
  const proc = spawnCharter(['sandbox', 'serve', '--port', '0'], { stdin: null });
  child = proc.child;
  endpoint = (await proc.waitFor(/^export AWS_ENDPOINT_URL=(\S+)$/m))[1]!;
});

afterAll(async () => {
  if (inProcess) await inProcess.stop();
  if (child && child.exitCode === null) {
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
});

async function aws(cli: string, args: string[]): Promise<{ json: unknown; stderr: string; code: number }> {
  const home = mkdtempSync(join(tmpdir(), 'charter-awscli-'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1', AWS_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    PYENV_VERSION: process.env.PYENV_VERSION ?? '', PYENV_ROOT: process.env.PYENV_ROOT ?? '',
  };
  try {
    const { stdout, stderr } = await run(cli, ['--endpoint-url', endpoint, '--output', 'json', ...args], { env });
    return { json: stdout.trim() ? JSON.parse(stdout) : {}, stderr, code: 0 };
  } catch (e) {
    const err = e as { code?: number; stderr?: string };
    return { json: undefined, stderr: err.stderr ?? String(e), code: typeof err.code === 'number' ? err.code : -1 };
  }
}

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::data/*' }] });

type Obj = Record<string, unknown>;

describe('AWS CLI against charter sandbox serve', () => {
  it.skipIf(CLIS.length === 0)(
    CLIS.length ? `drives IAM and EC2 with ${CLIS.join(' and ')}` : 'skipped: no AWS CLI on PATH (apt-get install awscli; .ci/run does this)',
    async () => {
      for (const [n, cli] of CLIS.entries()) {
        const role = `cli-role-${n}`;
        const profile = `cli-ip-${n}`;
        const created = await aws(cli, ['iam', 'create-role', '--role-name', role, '--assume-role-policy-document', TRUST, '--tags', 'Key=team,Value=ml']);
        expect(created.stderr).toBe('');
        expect((created.json as { Role: Obj }).Role.RoleName).toBe(role);
        expect((created.json as { Role: { Tags: unknown } }).Role.Tags).toEqual([{ Key: 'team', Value: 'ml' }]);
        expect((await aws(cli, ['iam', 'put-role-policy', '--role-name', role, '--policy-name', 'inline', '--policy-document', POLICY])).code).toBe(0);

        const gaad = (await aws(cli, ['iam', 'get-account-authorization-details', '--filter', 'Role'])).json as { RoleDetailList: Array<Obj & { RolePolicyList: Array<{ PolicyDocument: unknown }> }> };
        const detail = gaad.RoleDetailList.find((r) => r.RoleName === role)!;
        // The CLI decodes IAM's URL-encoded documents into JSON objects.
        expect(detail.RolePolicyList[0]!.PolicyDocument).toEqual(JSON.parse(POLICY));
        expect(detail.Tags).toEqual([{ Key: 'team', Value: 'ml' }]);

        expect((await aws(cli, ['iam', 'create-instance-profile', '--instance-profile-name', profile])).code).toBe(0);
        expect((await aws(cli, ['iam', 'add-role-to-instance-profile', '--instance-profile-name', profile, '--role-name', role])).code).toBe(0);

        const runArgs = [
          'ec2', 'run-instances', '--image-id', 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
          '--instance-type', 't3.micro', '--count', '1', '--client-token', `tok-cli-${n}`, '--iam-instance-profile', `Name=${profile}`,
          '--metadata-options', 'HttpTokens=required', '--tag-specifications', `ResourceType=instance,Tags=[{Key=group,Value=cli-${n}}]`,
          '--block-device-mappings', JSON.stringify([{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, Encrypted: true, KmsKeyId: 'alias/cli-data' } }]),
        ];
        const first = (await aws(cli, runArgs)).json as { Instances: Array<{ InstanceId: string }> };
        const second = (await aws(cli, runArgs)).json as { Instances: Array<{ InstanceId: string }> };
        expect(second.Instances.map((i) => i.InstanceId)).toEqual(first.Instances.map((i) => i.InstanceId));

        const described = (await aws(cli, ['ec2', 'describe-instances', '--filters', `Name=tag:group,Values=cli-${n}`, 'Name=instance-state-name,Values=pending,running'])).json as {
          Reservations: Array<{ Instances: Array<{ InstanceId: string; MetadataOptions: Obj }> }>;
        };
        const instances = described.Reservations.flatMap((r) => r.Instances);
        expect(instances.map((i) => i.InstanceId)).toEqual([first.Instances[0]!.InstanceId]);
        expect(instances[0]!.MetadataOptions.HttpTokens).toBe('required');

        // The launch's root volume, as `aws ec2 describe-volumes` sees it (the CLI pages with MaxResults).
        const volumes = (await aws(cli, ['ec2', 'describe-volumes', '--filters', `Name=attachment.instance-id,Values=${first.Instances[0]!.InstanceId}`])).json as { Volumes: Obj[] };
        expect(volumes.Volumes).toMatchObject([{ Size: 30, Encrypted: true, State: 'in-use', Attachments: [{ Device: '/dev/xvda', InstanceId: first.Instances[0]!.InstanceId }] }]);
        expect(volumes.Volumes[0]!.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);

        const term = (await aws(cli, ['ec2', 'terminate-instances', '--instance-ids', first.Instances[0]!.InstanceId])).json as { TerminatingInstances: Array<{ CurrentState: { Name: string } }> };
        expect(['shutting-down', 'terminated']).toContain(term.TerminatingInstances[0]!.CurrentState.Name);

        const missing = await aws(cli, ['iam', 'get-role', '--role-name', 'does-not-exist']);
        expect(missing.code).not.toBe(0);
        expect(missing.stderr).toContain('NoSuchEntity');
      }
      const stats = (await (await fetch(`${endpoint}/_sandbox/stats`)).json()) as { actions: Record<string, number> };
      expect(stats.actions['iam:CreateRole']).toBe(CLIS.length);
      expect(stats.actions['ec2:RunInstances']).toBe(2 * CLIS.length);
    },
    240_000,
  );
});
