/**
 * `charter plan SPEC` and `charter diff SPEC`: read live AWS in bulk, diff it against the compiled
 * spec, classify broadening; `--out` saves an approvable plan. `charter plan --print-required-policy`
 * prints the read-only IAM policy plan needs. Cores load lazily (the AWS SDK only in the handler).
 */
import type { Argv } from 'yargs';
import type { SetExit } from './commands.js';
import { useColor } from './color.js';
import { reasonText } from '../plan/reasons.js';

interface PlanArgs {
  spec?: string;
  sandbox?: boolean;
  endpoint?: string;
  profile?: string;
  region?: string;
  out?: string;
  format: 'text' | 'markdown' | 'json';
  'detailed-exitcode': boolean;
  prune: boolean;
  adopt: boolean;
  'fail-on-broadening': boolean;
  'print-required-policy'?: boolean;
  'read-mode': 'auto' | 'gaad' | 'per-resource';
  color?: boolean;
}

function options<T>(c: Argv<T>, withOut: boolean) {
  let x = c
    .positional('spec', { type: 'string', describe: 'the spec YAML file' })
    .option('sandbox', { type: 'boolean', describe: 'use the embedded sandbox (state in .charter/sandbox.json): no AWS account needed' })
    .option('endpoint', { type: 'string', describe: 'send every AWS call to this endpoint URL (AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> also work)' })
    .option('profile', { type: 'string', describe: 'AWS profile (default credential chain otherwise)' })
    .option('region', { type: 'string', describe: "AWS region (default: the spec's)" })
    .option('format', { choices: ['text', 'markdown', 'json'] as const, default: 'text' as const, describe: 'output format (markdown: for a PR comment)' })
    .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'exit 0 when nothing changes, 2 when something does, 1 on error' })
    .option('prune', { type: 'boolean', default: false, describe: "delete charter-managed resources the spec no longer names (and terminate the instances of groups it dropped; instances beyond a group's count are terminated without it)" })
    .option('adopt', { type: 'boolean', default: false, describe: 'take over unmanaged resources whose names the spec uses (by tagging them)' })
    .option('fail-on-broadening', { type: 'boolean', default: false, describe: 'exit 1 when a change widens access (for CI)' })
    .option('read-mode', { choices: ['auto', 'gaad', 'per-resource'] as const, default: 'auto' as const, hidden: true, describe: 'how to read IAM' })
    .option('color', { type: 'boolean', describe: 'colour text output (default: when stdout is a terminal)' })
    .conflicts('sandbox', 'endpoint');
  if (withOut) {
    x = x
      .option('out', { type: 'string', describe: 'save the plan for `charter apply PLAN.json`' })
      .option('print-required-policy', { type: 'boolean', describe: 'print the read-only IAM policy charter plan needs, and exit' });
  }
  return x;
}

async function handle(args: PlanArgs, setExit: SetExit, command: 'plan' | 'diff'): Promise<void> {
  const { InputError, RuntimeError } = await import('../diagnostics.js');
  if (args['print-required-policy']) {
    const { requiredPolicyText } = await import('./required-policy-check.js');
    process.stdout.write(await requiredPolicyText());
    return;
  }
  if (!args.spec) throw new InputError([{ message: `charter ${command} needs a spec file`, hint: `charter ${command} spec.yaml --sandbox` }]);
  if (args.out !== undefined) {
    const { checkOutPath } = await import('./out-path.js');
    checkOutPath('--out', args.out, 'file');
  }
  const { runPlan } = await import('../apply/plan-run.js');
  const { renderPlan } = await import('../plan/plan-format.js');
  const { hasChanges, hasBroadening, conflicts } = await import('../plan/plan.js');
  const r = await runPlan({
    spec: args.spec,
    prune: args.prune,
    adopt: args.adopt,
    readMode: args['read-mode'],
    ...(args.sandbox ? { sandbox: true } : {}),
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
    ...(args.profile ? { profile: args.profile } : {}),
    ...(args.region ? { region: args.region } : {}),
  });
  // The offline lint, as apply will run it: its counts are shown with the plan and saved in it.
  const { lintSpecGate } = await import('../linter/gate.js');
  const g = await lintSpecGate(r);
  r.plan.lint = { errors: g.errors.length, warnings: g.warnings, suppressed: g.suppressed };
  const color = useColor(args.color, process.env, process.stdout.isTTY === true);
  process.stdout.write(renderPlan(r.plan, args.format, { color }));
  const stop = conflicts(r.plan);
  if (stop.length) {
    throw new RuntimeError(
      `the plan stops: ${stop.length} resource${stop.length === 1 ? '' : 's'} named by the spec already exist${stop.length === 1 ? 's' : ''} and ${stop.length === 1 ? 'is' : 'are'} not charter's:\n` +
        stop.map((c) => `  ${c.address}: ${reasonText(c.reason)}`).join('\n') +
        `\nRename the service (name:), remove the existing resource, or re-run with --adopt to take it over.`,
    );
  }
  if (args.out) {
    const { savePlan } = await import('../plan/plan-file.js');
    savePlan(r.plan, args.out);
    process.stderr.write(`saved plan ${r.plan.planId.slice(0, 12)} to ${args.out}: apply it with charter apply ${args.out}\n`);
  }
  if (args['fail-on-broadening'] && hasBroadening(r.plan)) {
    process.stderr.write(`error: ${r.plan.summary.broadening} change(s) broaden access (--fail-on-broadening)\n`);
    setExit(1);
    return;
  }
  if (args['detailed-exitcode']) setExit(hasChanges(r.plan) ? 2 : 0);
}

export function registerPlan(y: Argv, setExit: SetExit): Argv {
  return y
    .command(
      'plan [spec]',
      'diff live AWS against the spec: what apply would create, update, replace or delete, and whether access widens',
      (c) =>
        options(c, true)
          .example('$0 plan spec.yaml --sandbox', 'plan against the embedded sandbox')
          .example('$0 plan spec.yaml --out plan.json', 'save an approvable plan for charter apply')
          .example('$0 plan spec.yaml --format markdown --fail-on-broadening', 'a PR comment; fail CI when access widens')
          .example('$0 plan --print-required-policy', 'the read-only IAM policy plan needs'),
      (args) => handle(args as unknown as PlanArgs, setExit, 'plan'),
    )
    .command(
      'diff <spec>',
      'the plan without saving it (same output as charter plan)',
      (c) => options(c, false).example('$0 diff spec.yaml --sandbox', 'what would change'),
      (args) => handle(args as unknown as PlanArgs, setExit, 'diff'),
    );
}
