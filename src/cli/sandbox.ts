/** `charter sandbox serve`: the local AWS-compatible endpoint as a long-running server. */
import type { Argv } from 'yargs';
import type { SetExit } from './commands.js';

/** Call a running sandbox's control endpoint; a sandbox that is not there is a runtime error (exit 1). */
async function control(endpoint: string, method: string, path: string, body?: string): Promise<unknown> {
  const { RuntimeError } = await import('../diagnostics.js');
  let res: Response;
  try {
    res = await fetch(new URL(path, endpoint), { method, ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}) });
  } catch (e) {
    throw new RuntimeError(`no sandbox answering at ${endpoint} (${(e as Error).message}); start one with: charter sandbox serve`);
  }
  if (!res.ok) throw new RuntimeError(`sandbox at ${endpoint} answered ${res.status} to ${method} ${path}`);
  return (await res.json()) as unknown;
}

/** Numeric `sandbox serve` options: yargs turns a non-number into NaN, which is bad usage (exit 2). */
const NUMERIC_SERVE_OPTIONS = ['propagation-delay', 'iam-read-delay', 'instance-start-delay', 'terminated-retention', 'latency', 'throttle', 'internal-error', 'connection-reset', 'seed', 'vcpu-limit'] as const;

export function registerSandbox(y: Argv, _setExit: SetExit): Argv {
  return y.command('sandbox <action>', 'run the local AWS-compatible sandbox (IAM, EC2, STS, Access Analyzer)', (c) =>
    c
      .command(
        'serve',
        'serve the sandbox on 127.0.0.1 until interrupted; prints the environment to export',
        (s) =>
          s
            .option('port', { type: 'number', default: 4566, describe: 'port (0 picks a free one)' })
            .option('state', { type: 'string', describe: 'persist state in FILE (survives restarts; atomic writes)' })
            .option('account', { type: 'string', default: '123456789012', describe: 'account id for STS and ARNs' })
            .option('region', { type: 'string', default: 'us-east-1' })
            .option('propagation-delay', { type: 'number', default: 0, describe: 'ms before a new instance profile is usable by RunInstances' })
            .option('iam-read-delay', { type: 'number', default: 0, describe: 'ms a new role/profile/policy is invisible to IAM Get/List calls' })
            .option('instance-start-delay', { type: 'number', default: 0, describe: 'ms from pending to running (and for stop/terminate)' })
            .option('terminated-retention', { type: 'number', default: 60_000, describe: 'ms terminated instances stay visible' })
            .option('latency', { type: 'number', default: 0, describe: 'ms added to every request' })
            .option('throttle', { type: 'number', default: 0, describe: 'fraction of requests answered with Throttling (0..1)' })
            .option('internal-error', { type: 'number', default: 0, describe: 'fraction answered with a 500 (0..1)' })
            .option('connection-reset', { type: 'number', default: 0, describe: 'fraction whose connection is reset (0..1)' })
            .option('fault-actions', { type: 'array', string: true, describe: 'limit injected faults to these service:Action globs, e.g. iam:Get*' })
            .option('seed', { type: 'number', default: 1, describe: 'seed for fault injection (reproducible runs)' })
            .option('vcpu-limit', { type: 'number', describe: 'On-Demand vCPU limit for pending/running instances (RunInstances beyond it: VcpuLimitExceeded)' })
            .option('insufficient-capacity', { type: 'array', string: true, describe: 'instance types (globs) without capacity: InsufficientInstanceCapacity' })
            .option('aws-managed-policies', { type: 'string', describe: 'directory of AWS managed policies (one file per policy name, holding its document): unknown ARNs become NoSuchEntity' })
            .option('deny', { type: 'array', string: true, default: [] as string[], describe: 'actions answered with AccessDenied, e.g. iam:GetAccountAuthorizationDetails' })
            .example('$0 sandbox serve --state .charter/sandbox.json', 'keep state across restarts')
            .example('$0 sandbox serve --port 0 --throttle 0.1 --seed 7', 'a flaky AWS, reproducibly'),
        async (args) => {
          const { InputError, RuntimeError } = await import('../diagnostics.js');
          const bad: string[] = [];
          if (!(Number.isInteger(args.port) && args.port >= 0 && args.port <= 65535)) bad.push(`--port must be an integer from 0 to 65535 (got ${String(args.port)})`);
          for (const k of NUMERIC_SERVE_OPTIONS) {
            const v = (args as Record<string, unknown>)[k];
            if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) bad.push(`--${k} must be a number (got ${String(v)})`);
          }
          if (bad.length) throw new InputError(bad.map((message) => ({ message, hint: 'charter sandbox serve --help' })));
          if (args.state !== undefined) {
            const { checkOutPath } = await import('./out-path.js');
            checkOutPath('--state', args.state, 'file');
          }
          const { startSandbox, StateFileError } = await import('../sandbox/index.js');
          const { SANDBOX_CREDENTIALS } = await import('../aws/clients.js');
          let sb;
          try {
            sb = await startSandbox({
              port: args.port, stateFile: args.state, accountId: args.account, region: args.region,
              propagationDelayMs: args['propagation-delay'], iamReadDelayMs: args['iam-read-delay'], instanceStartDelayMs: args['instance-start-delay'],
              terminatedRetentionMs: args['terminated-retention'], latencyMs: args.latency,
              faults: { throttle: args.throttle, internalError: args['internal-error'], connectionReset: args['connection-reset'], ...(args['fault-actions'] ? { actions: args['fault-actions'].map(String) } : {}) },
              seed: args.seed, deny: args.deny.map(String), awsManagedPolicies: args['aws-managed-policies'],
              vcpuLimit: args['vcpu-limit'], insufficientCapacity: args['insufficient-capacity']?.map(String),
            });
          } catch (e) {
            if (e instanceof StateFileError) throw new InputError([{ message: e.message }]);
            const err = e as NodeJS.ErrnoException;
            if (err.code === 'EADDRINUSE') throw new RuntimeError(`port ${args.port} is already in use (try --port 0 for a free one)`);
            if (err instanceof Error && /^sandbox option/.test(err.message)) throw new InputError([{ message: err.message, hint: 'charter sandbox serve --help' }]);
            throw e;
          }
          const out = [
            `charter sandbox: IAM, EC2, STS and Access Analyzer on ${sb.endpoint} (account ${sb.accountId}, state: ${args.state ?? 'in memory'})`,
            '',
            `export AWS_ENDPOINT_URL=${sb.endpoint}`,
            `export AWS_ACCESS_KEY_ID=${SANDBOX_CREDENTIALS.accessKeyId}`,
            `export AWS_SECRET_ACCESS_KEY=${SANDBOX_CREDENTIALS.secretAccessKey}`,
            `export AWS_REGION=${sb.region}`,
            `export AWS_DEFAULT_REGION=${sb.region}`,
            '',
            `# AWS CLI older than v2.13 / v1.29 ignores AWS_ENDPOINT_URL: pass --endpoint-url ${sb.endpoint}`,
            `# stats: curl ${sb.endpoint}/_sandbox/stats    reset: curl -X POST ${sb.endpoint}/_sandbox/reset`,
            '',
          ];
          // The credentials printed are the sandbox's dummies (not secret-shaped, so they survive the
          // redaction every write gets).
          process.stdout.write(out.join('\n'));
          await new Promise<void>((resolve) => {
            const stop = () => {
              process.off('SIGINT', stop);
              process.off('SIGTERM', stop);
              void sb.stop().then(resolve, resolve);
            };
            process.on('SIGINT', stop);
            process.on('SIGTERM', stop);
          });
          process.stderr.write('charter sandbox: stopped\n');
        },
      )
      .command(
        'stats',
        "print a running sandbox's API call counts as JSON",
        (s) =>
          s
            .option('endpoint', { type: 'string', default: 'http://127.0.0.1:4566', describe: 'the sandbox endpoint' })
            .example('$0 sandbox stats', 'call counts of the sandbox on port 4566')
            .example('$0 sandbox stats --endpoint http://127.0.0.1:5000 | jq .writes', 'write calls of another one'),
        async (args) => {
          process.stdout.write(JSON.stringify(await control(args.endpoint, 'GET', '/_sandbox/stats'), null, 2) + '\n');
        },
      )
      .command(
        'reset',
        'clear a running sandbox (state and stats, or only stats)',
        (s) =>
          s
            .option('endpoint', { type: 'string', default: 'http://127.0.0.1:4566', describe: 'the sandbox endpoint' })
            .option('stats-only', { type: 'boolean', default: false, describe: 'clear only the call counts' })
            .example('$0 sandbox reset', 'forget every role, instance and call count')
            .example('$0 sandbox reset --stats-only', 'keep the state, zero the counters'),
        async (args) => {
          await control(args.endpoint, 'POST', '/_sandbox/reset', JSON.stringify({ statsOnly: args['stats-only'] }));
          process.stderr.write(`charter sandbox: ${args['stats-only'] ? 'stats' : 'state and stats'} cleared\n`);
        },
      )
      .demandCommand(1, 'name a sandbox action: serve, stats or reset')
      .example('$0 sandbox serve --port 0', 'serve on a free port; prints the environment to export')
      .example('$0 sandbox stats', 'API call counts of a running sandbox'),
  );
}
