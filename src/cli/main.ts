/**
 * The charter CLI: yargs wiring only. Each command lives in its own module under src/cli/ and
 * imports its core lazily, so `charter lint` never loads the AWS SDK; yargs itself is loaded only
 * when a command line needs parsing (not for a bare `--version`).
 */
import type { Argv, MiddlewareFunction } from 'yargs';
import { readFileSync } from 'node:fs';
import { InputError, RuntimeError, formatProblem } from '../diagnostics.js';
import { redactWrites } from './output.js';
import { COMMANDS } from './commands.js';
import { flagProblems, type DeclaredOptions } from './flags.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const COMMAND_NAMES = new Set(['compile', 'graph', 'templates', 'lint', 'rules', 'plan', 'diff', 'apply', 'destroy', 'reap', 'sandbox']);

/** `charter <command>` (or `charter sandbox <action>`) for a usage hint, else `charter`. */
function helpFor(argv: string[]): string {
  const words = argv.filter((a) => !a.startsWith('-'));
  const cmd = words[0];
  if (!cmd || !COMMAND_NAMES.has(cmd)) return 'charter';
  if (cmd === 'sandbox' && words[1] && ['serve', 'stats', 'reset'].includes(words[1])) return `charter sandbox ${words[1]}`;
  return `charter ${cmd}`;
}

/** Run the CLI; resolves to the process exit code. Never throws. Everything it prints is redacted (src/cli/output.ts). */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  // `charter --version` alone prints what yargs' .version() would, without loading yargs.
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(version() + '\n');
    return 0;
  }
  const { default: yargs } = await import('yargs');
  let exitCode = 0;
  let parser: Argv = yargs(argv)
    .scriptName('charter')
    .usage('$0 <command> [options]\n\nCompile, lint, plan and apply AWS IAM roles and short-lived EC2 launches from one reviewed YAML spec.')
    .option('debug', { type: 'boolean', describe: 'show stack traces for errors', global: true })
    .version(version())
    .alias('h', 'help')
    // Help and --version return like any command (main's caller sets the exit code) instead of exiting
    // the process from inside yargs, so main(argv) can be called in process.
    .exitProcess(false)
    .strict()
    // Before yargs' strict check: unknown flags named as typed (`--no-such-flag`, not "such-flag,
    // suchFlag") with a did-you-mean, and `--no-` only for declared booleans (src/cli/flags.ts).
    .middleware(((_args: unknown, y: { getOptions(): DeclaredOptions }) => {
      const problems = flagProblems(argv, y.getOptions());
      if (problems.length) throw new InputError(problems.map((p) => ({ ...p, hint: p.hint ? `${p.hint}; ${helpFor(argv)} --help` : `${helpFor(argv)} --help` })));
    }) as unknown as MiddlewareFunction, true)
    .demandCommand(1, 'name a command: charter --help lists them')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg: string | undefined, err: Error | undefined) => {
      if (err) throw err;
      // One line per problem: yargs puts some messages on several lines ("Invalid values:\n  Argument: ...").
      let oneLine = (msg ?? 'bad usage').replace(/:?\s*\n\s*/g, ': ').trim();
      if (/^Not enough non-option arguments/.test(oneLine)) oneLine = `${helpFor(argv)}: a required argument is missing (${oneLine.replace(/^Not enough non-option arguments: /, '')})`;
      throw new InputError([{ message: oneLine, hint: `${helpFor(argv)} --help` }]);
    })
    .epilogue('Exit codes: 0 success, 1 findings at or above --fail-on or a runtime error, 2 bad input or usage.');
  for (const register of COMMANDS) parser = register(parser, (code: number) => { exitCode = code; });
  const restore = redactWrites();
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (e) {
    return reportError(e, debug);
  } finally {
    restore();
  }
}

export function reportError(e: unknown, debug: boolean): number {
  if (e instanceof InputError) {
    for (const p of e.problems) process.stderr.write(formatProblem(p) + '\n');
    if (debug && e.stack) process.stderr.write(e.stack + '\n');
    return 2;
  }
  if (e instanceof RuntimeError) {
    process.stderr.write(`error: ${e.message}\n`);
    if (debug && e.stack) process.stderr.write(e.stack + '\n');
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`error: ${err.message}\n`);
  if (debug) process.stderr.write((err.stack ?? '') + '\n');
  else process.stderr.write('(run with --debug for details)\n');
  return 1;
}
