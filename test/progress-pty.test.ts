/**
 * The live progress view of `charter apply` in a real terminal (issue 12 §terminal): the real CLI
 * (bin/charter.js, needs `npm run build`) runs under tmux, a terminal emulator with a pseudo-terminal
 * of a fixed width, against the sandbox; the test reads what the screen and its scrollback hold
 * once the run is over. At 40 and at 80 columns no frame of the live view may be left behind (a
 * frame line that wraps takes two rows, and the cursor-up that erases the frame then misses one:
 * stale frames pile up in scrollback), and every finished step is there once.
 *
 * No sleeps: the command signals a tmux channel when it ends (`tmux wait-for`), and waits on a
 * second one so the pane is still there to be read; it starts only once the raw output is being
 * recorded. NO_COLOR at 40 columns (colour off, the view stays live), FORCE_COLOR at 80. The tmux server has its own socket and is
 * ended by it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, cleanEnv, ROOT } from './cli-support.js';

const run = promisify(execFile);
const SOCKET = `charter-pty-${process.pid}`;
const tmux = (...args: string[]) => run('tmux', ['-L', SOCKET, ...args], { env: cleanEnv({ TERM: 'xterm' }) });
const SPEC = join(ROOT, 'fixtures', 'ml-research.yaml');

afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
});

/**
 * Run `charter apply SPEC --sandbox --auto-approve` in a `columns`-wide terminal. `screen`: the
 * screen and scrollback after it ends, wrapped rows joined; `raw`: every byte the program wrote to
 * the terminal (tmux pipe-pane, attached before the command is let go).
 */
async function applyInTerminal(columns: number, env: NodeJS.ProcessEnv): Promise<{ screen: string; raw: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'charter-pty-'));
  const session = `w${columns}`;
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const vars = Object.entries(env).map(([k, v]) => (v === undefined ? `-u ${k}` : `${k}=${q(v)}`)).join(' ');
  const command = `tmux -L ${SOCKET} wait-for ${session}-go; cd ${q(cwd)} && env ${vars} ${q(process.execPath)} ${q(BIN)} apply ${q(SPEC)} --sandbox --auto-approve; echo "EXIT=$?"; tmux -L ${SOCKET} wait-for -S ${session}-done; tmux -L ${SOCKET} wait-for ${session}-read`;
  await tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', '50', command);
  await tmux('pipe-pane', '-t', session, '-o', `cat > ${q(join(cwd, 'raw.log'))}; tmux -L ${SOCKET} wait-for -S ${session}-recorded`);
  await tmux('wait-for', '-S', `${session}-go`);
  await tmux('wait-for', `${session}-done`);
  const { stdout } = await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session);
  // Closing the pipe ends the recorder; it says when everything is on disk.
  await tmux('pipe-pane', '-t', session);
  await tmux('wait-for', `${session}-recorded`);
  await tmux('wait-for', '-S', `${session}-read`);
  return { screen: stdout, raw: readFileSync(join(cwd, 'raw.log'), 'utf8') };
}

const SGR_COLOUR = /\x1b\[(1|33)m/;

describe('the live progress view under a pseudo-terminal', () => {
  it.each([
    [40, { NO_COLOR: '1' }, false],
    [80, { NO_COLOR: undefined, FORCE_COLOR: '1' }, true],
  ] as const)('%i columns (%j): the view is live, no stale frames in the scrollback, each finished step once', async (columns, env, colour) => {
    const { screen, raw } = await applyInTerminal(columns, env);
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('Apply complete: 7 created');
    // The live view was drawn (NO_COLOR turns colour off, not the view) and redrawn in place.
    expect(raw).toMatch(/\d+\/9 done, \d+ in progress/);
    expect(raw).toMatch(/\x1b\[\d+A\x1b\[J/);
    expect(SGR_COLOUR.test(raw)).toBe(colour);
    const lines = screen.split('\n');
    // What only the live frame draws: its header and its in-flight rows.
    expect(lines.filter((l) => /\bin progress\b/.test(l))).toEqual([]);
    expect(lines.filter((l) => /^ {2}… \S/.test(l))).toEqual([]);
    // Finished steps scroll above the frame: 7 IAM steps and 2 launches, each once.
    const done = lines.filter((l) => l.startsWith('  ✓ '));
    expect(done).toHaveLength(9);
    expect(new Set(done.map((l) => l.replace(/\(\d+ ms\)$/, ''))).size).toBe(9);
  });
});
