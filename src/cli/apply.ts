/**
 * `charter apply PLAN.json|SPEC`, `charter destroy SPEC`, `charter reap`: the commands that write.
 * Cores are imported lazily (the AWS SDK loads only here).
 */
import type { Argv } from 'yargs';
import type { SetExit } from './commands.js';
import { useColor } from './color.js';

const connectionOptions = <T>(c: Argv<T>) =>
  c
    .option('sandbox', { type: 'boolean', describe: 'use the embedded sandbox (state in .charter/sandbox.json): no AWS account needed' })
    .option('endpoint', { type: 'string', describe: 'send every AWS call to this endpoint URL (e.g. a running `charter sandbox serve`)' })
    .option('profile', { type: 'string', describe: 'AWS profile (default credential chain otherwise)' })
    .option('region', { type: 'string', describe: "AWS region (default: the spec's)" })
    .conflicts('sandbox', 'endpoint');

const writeOptions = <T>(c: Argv<T>) =>
  c
    .option('auto-approve', { type: 'boolean', default: false, describe: 'do not ask for confirmation (required without a terminal)' })
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'summary format (json: progress goes to stderr)' })
    .option('color', { type: 'boolean', describe: 'colour on/off (default: on a terminal; FORCE_COLOR, NO_COLOR honoured; the live view stays either way)' })
    .option('pool', { type: 'number', default: 8, describe: 'AWS calls in flight at most' })
    .option('profile-wait', { type: 'number', default: 120, describe: 'seconds to retry RunInstances while a new instance profile propagates', hidden: true });

interface Interrupt {
  signal: AbortSignal;
  dispose(): void;
}

/** First Ctrl-C: stop scheduling, let calls in flight finish. Second: quit now. */
function onInterrupt(): Interrupt {
  const ac = new AbortController();
  const handler = () => {
    if (ac.signal.aborted) {
      process.stderr.write('\nInterrupted again: exiting now. Re-run the same command to finish.\n');
      process.exit(130);
    }
    process.stderr.write('\nInterrupt: letting calls in flight finish, starting nothing new (Ctrl-C again to quit at once)…\n');
    ac.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return { signal: ac.signal, dispose: () => { process.off('SIGINT', handler); process.off('SIGTERM', handler); } };
}

/** Ask on the terminal; only "yes" approves. Ctrl-C or end of input at the prompt means no. */
async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise<boolean>((resolve) => {
    let done = false;
    const finish = (v: boolean) => {
      if (done) return;
      done = true;
      rl.close();
      resolve(v);
    };
    rl.on('SIGINT', () => {
      process.stderr.write('\n');
      finish(false);
    });
    rl.on('close', () => finish(false));
    rl.question(question).then((a) => finish(a.trim() === 'yes'), () => finish(false));
  });
}

/** The region and account a spec or plan file names (undefined when it cannot be read: later steps report that). */
async function targetOf(target: string): Promise<{ region?: string; account?: string }> {
  const { readFileSync } = await import('node:fs');
  try {
    const text = readFileSync(target, 'utf8');
    if (target.endsWith('.json')) {
      const p = JSON.parse(text) as { region?: unknown; account?: unknown };
      return { ...(typeof p.region === 'string' ? { region: p.region } : {}), ...(typeof p.account === 'string' ? { account: p.account } : {}) };
    }
    const { loadSpecFile } = await import('../spec/load.js');
    const spec = loadSpecFile(target).spec;
    return { region: spec.region, ...(spec.account ? { account: spec.account } : {}) };
  } catch (e) {
    const { InputError } = await import('../diagnostics.js');
    if (e instanceof InputError) throw e;
  }
  return {};
}

type WriteArgs = { sandbox?: boolean; endpoint?: string; profile?: string; region?: string; 'auto-approve': boolean; format: 'text' | 'json'; pool: number; 'profile-wait': number; prune?: boolean; adopt?: boolean; 'allow-lint-errors'?: boolean; 'allow-secrets-in-user-data'?: boolean; color?: boolean };

async function writeRun(target: string, args: WriteArgs, setExit: SetExit, which: 'apply' | 'destroy'): Promise<void> {
  const { InputError } = await import('../diagnostics.js');
  if (!(args.pool >= 1 && args.pool <= 64)) throw new InputError([{ message: `--pool must be between 1 and 64 (got ${args.pool})` }]);
  if (which === 'destroy') {
    const { readFileSync } = await import('node:fs');
    const { looksLikePlan } = await import('../plan/plan-file.js');
    let head = '';
    try {
      head = readFileSync(target, 'utf8').slice(0, 4096);
    } catch {
      // unreadable: the spec loader reports it
    }
    if (looksLikePlan(head)) throw new InputError([{ pos: { file: target, line: 1, col: 1 }, message: 'destroy takes the spec, not a saved plan', hint: 'charter destroy SPEC (the plan names its spec in specPath)' }]);
  }
  const { connect } = await import('../apply/connect.js');
  const { realHooks } = await import('../apply/hooks.js');
  const run = await import('../apply/run.js');
  // apply refuses a spec with lint errors before it connects (destroy is never blocked by lint).
  const { lintSpecGate } = which === 'apply' ? await import('../linter/gate.js') : { lintSpecGate: undefined };
  const { region: specRegion, account: specAccount } = await targetOf(target);
  const conn = await connect({ ...(args.region ? { region: args.region } : {}), ...(specRegion ? { specRegion } : {}), ...(specAccount ? { specAccount } : {}), ...(args.sandbox ? { sandbox: true } : {}), ...(args.endpoint ? { endpoint: args.endpoint } : {}), ...(args.profile ? { profile: args.profile } : {}) });
  const intr = onInterrupt();
  try {
    const o = {
      clients: conn.clients,
      hooks: realHooks(),
      // NO_COLOR turns colour off, not the live view (it is still a terminal).
      io: { out: process.stdout, err: process.stderr, outTty: process.stdout.isTTY === true, color: useColor(args.color, process.env, process.stdout.isTTY === true), inTty: process.stdin.isTTY === true, confirm },
      autoApprove: args['auto-approve'],
      prune: args.prune === true,
      adopt: args.adopt === true,
      format: args.format,
      pool: args.pool,
      journalDir: '.charter',
      profileWaitMs: Math.max(0, args['profile-wait']) * 1000,
      signal: intr.signal,
      ...(lintSpecGate ? { lint: lintSpecGate, allowLintErrors: args['allow-lint-errors'] === true } : {}),
      allowSecretsInUserData: args['allow-secrets-in-user-data'] === true,
    };
    const r = which === 'apply' ? await run.runApply(target, o) : await run.runDestroy(target, o);
    if (r.exitCode === 130) process.stderr.write('Interrupted: run the same command again to finish.\n');
    setExit(r.exitCode);
  } finally {
    intr.dispose();
    await conn.close();
  }
}

export function registerApply(y: Argv, setExit: SetExit): Argv {
  return y
    .command(
      'apply <target>',
      'apply an approved plan file (refused when stale), or plan a spec and apply it after confirmation',
      (c) =>
        writeOptions(connectionOptions(c))
          .positional('target', { type: 'string', demandOption: true, describe: 'PLAN.json from `charter plan --out`, or a spec YAML' })
          .option('prune', { type: 'boolean', default: false, describe: 'also delete managed orphans (spec target only)' })
          .option('adopt', { type: 'boolean', default: false, describe: 'take over colliding unmanaged resources by tagging them (spec target only)' })
          .option('allow-lint-errors', { type: 'boolean', default: false, describe: 'apply even when `charter lint` reports errors for the spec (otherwise refused, exit 2)' })
          .option('allow-secrets-in-user-data', { type: 'boolean', default: false, describe: 'launch user-data in which lint finds a secret (otherwise refused, exit 2, even with --allow-lint-errors)' })
          .example('$0 apply fixtures/ml-research.yaml --sandbox --auto-approve', 'try it end to end without an AWS account')
          .example('$0 plan spec.yaml --out plan.json && $0 apply plan.json', 'review, then apply exactly what was reviewed'),
      async (args) => writeRun(args.target as string, args as unknown as WriteArgs, setExit, 'apply'),
    )
    .command(
      'destroy <spec>',
      "remove what the spec created (managed resources only), in reverse order",
      (c) =>
        writeOptions(connectionOptions(c))
          .positional('spec', { type: 'string', demandOption: true, describe: 'the spec YAML file' })
          .example('$0 destroy fixtures/ml-research.yaml --sandbox --auto-approve', 'clean the sandbox up'),
      async (args) => writeRun(args.spec as string, args as unknown as WriteArgs, setExit, 'destroy'),
    )
    .command(
      'reap',
      'terminate managed instances past their expires-at tag (safe from cron or CI)',
      (c) =>
        connectionOptions(c)
          .option('dry-run', { type: 'boolean', default: false, describe: 'list what would be terminated, change nothing' })
          .option('prefix', { type: 'string', default: 'charter', describe: 'tag prefix ({prefix}:managed, {prefix}:expires-at)' })
          .option('spec', { type: 'string', describe: "only this spec's instances (a spec file: its name, prefix and region)" })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const })
          .example('$0 reap --dry-run --region us-west-2', 'what would go'),
      async (args) => {
        const { connect } = await import('../apply/connect.js');
        const { reap, formatReapText } = await import('../apply/reap.js');
        let prefix = args.prefix as string;
        if (!prefix) {
          const { InputError } = await import('../diagnostics.js');
          throw new InputError([{ message: '--prefix needs a value (the tag prefix, e.g. charter or spawn)', hint: 'charter reap --help' }]);
        }
        let specName: string | undefined;
        let region = args.region as string | undefined;
        if (args.spec) {
          const { loadSpecFile } = await import('../spec/load.js');
          const s = loadSpecFile(args.spec as string).spec;
          specName = s.name;
          prefix = s.prefix ?? prefix;
          region ??= s.region;
        }
        const conn = await connect({ ...(region ? { region } : {}), ...(args.sandbox ? { sandbox: true } : {}), ...(args.endpoint ? { endpoint: args.endpoint as string } : {}), ...(args.profile ? { profile: args.profile as string } : {}) });
        try {
          const { serviceEndpoint } = await import('../aws/clients.js');
          const r = await reap({ ec2: await conn.clients.ec2(), endpoint: serviceEndpoint(conn.clients.options, 'ec2'), prefix, dryRun: args['dry-run'] === true, ...(specName ? { spec: specName } : {}) });
          process.stdout.write(args.format === 'json' ? JSON.stringify(r, null, 2) + '\n' : formatReapText(r));
          setExit(0);
        } finally {
          await conn.close();
        }
      },
    );
}
