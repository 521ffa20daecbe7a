/**
 * The live progress view of `charter apply` in a real terminal (issue 12 §terminal): the real CLI
 * (bin/charter.js, needs `npm run build`) runs under tmux, a terminal emulator with a pseudo-terminal
 * of a fixed width, against the sandbox; the test reads what the screen and its scrollback hold
 * once the run is over. At 40 and at 80 columns no frame of the live view may be left behind (a
 * frame line that wraps takes two rows, and the cursor-up that erases the frame then misses one:
 * stale frames pile up in scrollback), and every finished step is there once.
 *
 * The terminal harness is test/pty-support.ts (tmux, no sleeps). NO_COLOR at 40 columns (colour
 * off, the view stays live), FORCE_COLOR at 80; Ctrl-C typed when the first frame is drawn.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './cli-support.js';
import { charterInTerminal, stopTerminals, tmux } from './pty-support.js';
import { startSandbox } from '../src/sandbox/index.js';
import { SANDBOX_CREDENTIALS } from '../src/aws/clients.js';

const SPEC = join(ROOT, 'fixtures', 'ml-research.yaml');
afterAll(stopTerminals);

const SGR_COLOUR = /\x1b\[(1|33)m/;

describe('the live progress view under a pseudo-terminal', () => {
  it.each([
    [40, { NO_COLOR: '1' }, false],
    [80, { NO_COLOR: undefined, FORCE_COLOR: '1' }, true],
  ] as const)('%i columns (%j): the view is live, no stale frames in the scrollback, each finished step once', async (columns, env, colour) => {
    const { screen, raw } = await charterInTerminal(['apply', SPEC, '--sandbox', '--auto-approve'], { columns, env });
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
      const { screen } = await charterInTerminal(['apply', SPEC, '--endpoint', slow.endpoint, '--auto-approve'], { columns: 40, env: { NO_COLOR: '1', AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey }, when: { text: 'in progress', then: (session) => tmux('send-keys', '-t', session, 'C-c') } });
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
