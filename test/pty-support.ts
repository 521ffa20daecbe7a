/**
 * The real CLI (bin/charter.js, needs `npm run build`) in a real terminal: tmux, a terminal emulator
 * with a pseudo-terminal of a fixed width. `charterInTerminal` returns what the screen and its
 * scrollback hold once the command is over (wrapped rows joined) and every byte the program wrote
 * to the terminal (tmux pipe-pane, attached before the command is let go).
 *
 * No sleeps: the command waits on a tmux channel to start, signals one when it ends (`tmux
 * wait-for`), and waits on a third so the pane is still there to be read; `when` reacts to the
 * first time a text appears in the output (a watcher on the recorded stream signals a channel), e.g.
 * to type at a prompt. Each test file gets its own tmux server (its own socket), which stays up between
 * sessions; `stopTerminals` ends it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, cleanEnv } from './cli-support.js';

const run = promisify(execFile);
const SOCKET = `charter-pty-${process.pid}`;
export const tmux = (...args: string[]) => run('tmux', ['-L', SOCKET, ...args], { env: cleanEnv({ TERM: 'xterm' }) });
let sessions = 0;
/**
 * The server, started once with exit-empty off: by default tmux exits when its last session ends,
 * and a new-session that reaches it while it shuts down fails ("server exited unexpectedly"; 71 of
 * 200 back-to-back sessions here). Kept until stopTerminals.
 */
let server: Promise<unknown> | undefined;
const startServer = () => (server ??= tmux('start-server', ';', 'set-option', '-s', 'exit-empty', 'off'));

export interface TerminalRun {
  screen: string;
  raw: string;
}

export interface TerminalOptions {
  columns: number;
  /** Changes to cleanEnv() for the command (undefined unsets). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** When `text` first appears in the output, `then` is called with the session (e.g. to send keys). */
  when?: { text: string; then: (session: string) => Promise<unknown> };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function charterInTerminal(args: string[], o: TerminalOptions): Promise<TerminalRun> {
  const cwd = o.cwd ?? mkdtempSync(join(tmpdir(), 'charter-pty-'));
  const session = `s${++sessions}`;
  const env = cleanEnv(o.env ?? {});
  const vars = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${q(v!)}`).join(' ');
  const signal = (ch: string) => `tmux -L ${SOCKET} wait-for -S ${session}-${ch}`;
  const command = `tmux -L ${SOCKET} wait-for ${session}-go; cd ${q(cwd)} && env -i ${vars} ${q(process.execPath)} ${q(BIN)} ${args.map(q).join(' ')}; echo "EXIT=$?"; ${signal('done')}; tmux -L ${SOCKET} wait-for ${session}-read`;
  await startServer();
  await tmux('new-session', '-d', '-s', session, '-x', String(o.columns), '-y', '50', command);
  const raw = join(cwd, `${session}.raw`);
  // The watcher reads the stream as it comes, not by lines: a prompt has no newline until answered.
  const watch = `let seen='';process.stdin.on('data',(d)=>{if(seen===null)return;seen+=d;if(seen.includes(process.env.TEXT)){seen=null;require('child_process').execFileSync('tmux',['-L',process.env.SOCKET,'wait-for','-S',process.env.CHANNEL]);}})`;
  const recorder = o.when ? `tee ${q(raw)} | TEXT=${q(o.when.text)} SOCKET=${SOCKET} CHANNEL=${session}-seen ${q(process.execPath)} -e ${q(watch)}` : `cat > ${q(raw)}`;
  await tmux('pipe-pane', '-t', session, '-o', `${recorder}; ${signal('recorded')}`);
  await tmux('wait-for', '-S', `${session}-go`);
  if (o.when) {
    await tmux('wait-for', `${session}-seen`);
    await o.when.then(session);
  }
  await tmux('wait-for', `${session}-done`);
  const { stdout } = await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session);
  // Closing the pipe ends the recorder; it says when everything is on disk.
  await tmux('pipe-pane', '-t', session);
  await tmux('wait-for', `${session}-recorded`);
  await tmux('wait-for', '-S', `${session}-read`);
  return { screen: stdout, raw: readFileSync(raw, 'utf8') };
}

export async function stopTerminals(): Promise<void> {
  server = undefined;
  await tmux('kill-server').catch(() => undefined);
}
