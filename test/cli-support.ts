/**
 * The one way tests run the charter CLI.
 *
 * `charter(args, opts)` runs `main(argv)` from src/cli/main.ts IN PROCESS, as an operator would run
 * `charter …`: stdout and stderr captured, the exit code main returns, cwd and environment set, stdin
 * given (not a TTY unless asked). By default the environment carries none of the caller's AWS
 * credentials, profile or endpoint, and NO_COLOR=1. main writes to process.stdout/stderr, reads
 * process.env/cwd/stdin and yargs prints help through console, so a run swaps that global state
 * (vitest runs test files in forked processes: chdir and env are ours to change) and restores all of
 * it afterwards. Runs are serialized by a mutex, so `Promise.all` over runs is safe; just never
 * compute cwd-relative paths while a run may be in flight (resolve them up front).
 *
 * `charterProcess(args, opts)` starts `node bin/charter.js` as a real child process, for the few
 * tests that need one (the quickstart end to end, signals, EPIPE, module-loading checks). It has no
 * wall-clock timeout: the vitest test timeout is the only clock. Run those one at a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import { format } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { main } from '../src/cli/main.js';
import { SANDBOX_CREDENTIALS } from '../src/aws/clients.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'charter.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory of the run (default: the current one). */
  cwd?: string;
  /** The whole environment of the run (default: cleanEnv()). */
  env?: NodeJS.ProcessEnv;
  /** What stdin holds (default: empty). */
  stdin?: string;
  /** Whether stdin / stdout claim to be terminals (default: neither). */
  stdinTty?: boolean;
  stdoutTty?: boolean;
  /** Terminal width stdout reports (default: none, like a pipe). */
  columns?: number;
}

/** The caller's environment without AWS credentials, profile or endpoint, plus `extra`. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  delete env.FORCE_COLOR;
  for (const k of Object.keys(env)) if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|DEFAULT_PROFILE|CONFIG_FILE|SHARED_CREDENTIALS_FILE|ENDPOINT_URL.*|WEB_IDENTITY_TOKEN_FILE|ROLE_ARN)$/.test(k)) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * cleanEnv plus the sandbox's dummy keys, as `charter sandbox serve` prints them to export: what a
 * run against a sandbox on --endpoint or AWS_ENDPOINT_URL needs (only --sandbox brings its own).
 */
export function sandboxEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cleanEnv({ AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey, ...extra });
}

let queue: Promise<unknown> = Promise.resolve();

/** Run the CLI in process (serialized with every other in-process run of this test file). */
export function charter(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const run = queue.then(() => runInProcess(args, opts));
  queue = run.catch(() => undefined);
  return run;
}

type Write = typeof process.stdout.write;

function capture(sink: { text: string }): Write {
  return ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown) => {
    sink.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as Write;
}

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code}) called during an in-process CLI run`);
  }
}

async function runInProcess(args: string[], opts: CliOptions): Promise<CliRun> {
  const out = { text: '' };
  const err = { text: '' };
  const savedCwd = process.cwd();
  const savedEnv = { ...process.env };
  const savedExitCode = process.exitCode;
  const savedExit = process.exit;
  const savedOutWrite = process.stdout.write;
  const savedErrWrite = process.stderr.write;
  const savedStdin = Object.getOwnPropertyDescriptor(process, 'stdin');
  const savedOutTty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  const savedColumns = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
  const savedConsole = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  const savedListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  let exitCode: number | undefined;
  try {
    const env = opts.env ?? cleanEnv();
    for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
    for (const [k, v] of Object.entries(env)) if (v !== undefined) process.env[k] = v;
    if (opts.cwd) process.chdir(opts.cwd);
    process.stdout.write = capture(out);
    process.stderr.write = capture(err);
    console.log = console.info = console.debug = (...a: unknown[]) => {
      out.text += format(...a) + '\n';
    };
    console.warn = console.error = (...a: unknown[]) => {
      err.text += format(...a) + '\n';
    };
    const stdin = Readable.from(opts.stdin ? [Buffer.from(opts.stdin)] : []) as Readable & { isTTY?: boolean; setRawMode?: unknown };
    if (opts.stdinTty) stdin.isTTY = true;
    Object.defineProperty(process, 'stdin', { value: stdin, configurable: true, enumerable: true, writable: true });
    Object.defineProperty(process.stdout, 'isTTY', { value: opts.stdoutTty === true ? true : undefined, configurable: true, writable: true });
    Object.defineProperty(process.stdout, 'columns', { value: opts.columns, configurable: true, writable: true });
    process.exit = ((code?: number) => {
      exitCode = code ?? 0;
      throw new ExitCalled(exitCode);
    }) as typeof process.exit;
    const code = await main(args);
    return { code: exitCode ?? code, stdout: out.text, stderr: err.text };
  } finally {
    process.exit = savedExit;
    process.exitCode = savedExitCode;
    process.stdout.write = savedOutWrite;
    process.stderr.write = savedErrWrite;
    Object.assign(console, savedConsole);
    if (savedStdin) Object.defineProperty(process, 'stdin', savedStdin);
    restoreProp(process.stdout, 'isTTY', savedOutTty);
    restoreProp(process.stdout, 'columns', savedColumns);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) for (const l of process.listeners(sig)) if (!savedListeners[sig].includes(l)) process.off(sig, l);
    process.chdir(savedCwd);
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  }
}

function restoreProp(o: object, key: string, d: PropertyDescriptor | undefined): void {
  if (d) Object.defineProperty(o, key, d);
  else delete (o as Record<string, unknown>)[key];
}

export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** What stdin holds; null leaves stdin closed from the start ('ignore'). Default: empty. */
  stdin?: string | null;
  /** Node flags before the script (e.g. --import a loader). */
  nodeArgs?: string[];
  /** The entry script (default: bin/charter.js of this checkout; a copy elsewhere for layout tests). */
  bin?: string;
  uid?: number;
}

export interface ChildRun extends CliRun {
  signal: NodeJS.Signals | null;
}

export interface CharterChild {
  child: ChildProcess;
  /** Settles when the process has exited and its output is closed. */
  done: Promise<ChildRun>;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches `re` (however long that takes); rejects if the process exits first. */
  waitFor(re: RegExp): Promise<RegExpExecArray>;
}

/**
 * Start `node bin/charter.js` as a real child process (needs dist/: npm test builds first). No
 * wall-clock timeout: the vitest test timeout is the only clock. The caller owns the child (signals).
 */
export function spawnCharter(args: string[], opts: ProcessOptions = {}): CharterChild {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.bin ?? BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? cleanEnv(),
    stdio: [opts.stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
    for (const w of [...watchers]) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const done = new Promise<ChildRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  if (opts.stdin !== null) child.stdin!.end(opts.stdin ?? '');
  const waitFor = (re: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(stdout);
        if (m) {
          watchers.delete(check);
          resolve(m);
        }
      };
      watchers.add(check);
      check();
      void done.then(
        (r) => {
          check();
          if (watchers.delete(check)) reject(new Error(`charter ${args.join(' ')} exited (${r.signal ?? r.code}) before printing ${re}: ${stdout}${stderr}`));
        },
        reject,
      );
    });
  return { child, done, stdout: () => stdout, stderr: () => stderr, waitFor };
}

/**
 * A copy of bin/charter.js in a temporary layout whose dist/bundle is this checkout's and whose
 * dist/bundle-cjs/ (the code-cached CLI, scripts/build-bundle.mjs) has no code cache ('missing') or
 * one V8 rejects ('stale': the cache of the built script, for a script changed since), so a run
 * takes the ESM bundle. Pass it as `bin` to charterProcess.
 */
export function binCopy(cache: 'missing' | 'stale'): string {
  const d = mkdtempSync(join(tmpdir(), 'charter-layout-'));
  mkdirSync(join(d, 'bin'));
  mkdirSync(join(d, 'dist', 'bundle-cjs'), { recursive: true });
  copyFileSync(BIN, join(d, 'bin', 'charter.js'));
  copyFileSync(join(dirname(BIN), 'cjs-cli.js'), join(d, 'bin', 'cjs-cli.js'));
  symlinkSync(join(ROOT, 'dist', 'bundle'), join(d, 'dist', 'bundle'));
  const cjs = join(d, 'dist', 'bundle-cjs', 'main.cjs');
  copyFileSync(join(ROOT, 'dist', 'bundle-cjs', 'main.cjs'), cjs);
  if (cache === 'stale') {
    copyFileSync(join(ROOT, 'dist', 'bundle-cjs', 'main.cjs.cache'), `${cjs}.cache`);
    appendFileSync(cjs, '\n// changed after the cache was written\n');
  }
  return join(d, 'bin', 'charter.js');
}

/**
 * A record of the modules a child node process resolves: pass `nodeArgs` to it, then `loaded()`
 * lists their URLs (a resolve hook registered with --import appends each to a file).
 */
export function moduleLoadLog(): { nodeArgs: string[]; loaded(): string[] } {
  const d = mkdtempSync(join(tmpdir(), 'charter-loaded-'));
  const log = join(d, 'loaded.txt');
  writeFileSync(log, '');
  const hooks = join(d, 'hooks.mjs');
  writeFileSync(hooks, `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
  const reg = join(d, 'register.mjs');
  writeFileSync(reg, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return { nodeArgs: ['--import', pathToFileURL(reg).href], loaded: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/** Run `node bin/charter.js` to completion as a real child process; no wall-clock timeout. */
export function charterProcess(args: string[], opts: ProcessOptions = {}): Promise<ChildRun> {
  return spawnCharter(args, opts).done;
}
