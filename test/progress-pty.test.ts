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
import { startSandbox } from '../src/sandbox/index.js';

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
async function applyInTerminal(columns: number, env: NodeJS.ProcessEnv, o: { args?: string[]; onFrame?: (session: string) => Promise<void> } = {}): Promise<{ screen: string; raw: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'charter-pty-'));
  const session = `w${columns}${o.onFrame ? 'i' : ''}`;
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const vars = Object.entries(env).map(([k, v]) => (v === undefined ? `-u ${k}` : `${k}=${q(v)}`)).join(' ');
  const args = (o.args ?? ['--sandbox']).map(q).join(' ');
  const command = `tmux -L ${SOCKET} wait-for ${session}-go; cd ${q(cwd)} && env ${vars} ${q(process.execPath)} ${q(BIN)} apply ${q(SPEC)} ${args} --auto-approve; echo "EXIT=$?"; tmux -L ${SOCKET} wait-for -S ${session}-done; tmux -L ${SOCKET} wait-for ${session}-read`;
  await tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', '50', command);
  // The recorder: every byte to raw.log; with onFrame, the first live frame also signals `-frame`.
  const raw = q(join(cwd, 'raw.log'));
  const recorder = o.onFrame
    ? `tee ${raw} | { grep -q -m1 'in progress' && tmux -L ${SOCKET} wait-for -S ${session}-frame; cat > /dev/null; }`
    : `cat > ${raw}`;
  await tmux('pipe-pane', '-t', session, '-o', `${recorder}; tmux -L ${SOCKET} wait-for -S ${session}-recorded`);
  await tmux('wait-for', '-S', `${session}-go`);
  if (o.onFrame) {
    await tmux('wait-for', `${session}-frame`);
    await o.onFrame(session);
  }
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

describe('Ctrl-C in the terminal while the live view is drawn', () => {
  it('40 columns: the interrupt message stays on screen below the frame, no frame is drawn over it, the run says INTERRUPTED and exits 130', async () => {
    // Slow calls (200 ms each) so the run is still going when the key arrives.
    const slow = await startSandbox({ region: 'us-west-2', accountId: '123456789012', latencyMs: 200 });
    try {
      const { screen } = await applyInTerminal(40, { NO_COLOR: '1' }, { args: ['--endpoint', slow.endpoint], onFrame: (session) => tmux('send-keys', '-t', session, 'C-c').then(() => undefined) });
      const lines = screen.split('\n');
      const at = lines.findIndex((l) => l.startsWith('Interrupt: letting calls in flight finish, starting nothing new'));
      expect(at).toBeGreaterThan(0);
      expect(lines).toContain('EXIT=130');
      expect(screen).toMatch(/^Apply INTERRUPTED: /m);
      // Below the message: no live frame (the ones drawn after it were erased in place).
      expect(lines.slice(at + 1).filter((l) => /\bin progress\b|^ {2}… \S/.test(l))).toEqual([]);
    } finally {
      await slow.stop();
    }
  });
});
