import { describe, expect, it } from 'vitest';
import { LineProgress, TtyProgress, fitLine, fmtMs, stripAnsi } from '../src/apply/progress.js';
import { useColor } from '../src/cli/color.js';
import type { Step } from '../src/apply/steps.js';

const step = (id: string, label: string): Step => ({ id, label, deps: [], change: { address: id, kind: 'role', action: 'create', name: id, target: { roleName: id }, reason: { code: 'not-in-aws' } }, run: async () => ({}) });

describe('progress output', () => {
  it('without a TTY: one line per finished step with its duration and status', () => {
    let out = '';
    const p = new LineProgress({ write: (s: string) => (out += s) });
    const a = step('role.a', 'create role a');
    const b = step('role.b', 'create role b');
    p.begin([a, b]);
    p.start();
    p.end(a, { id: a.id, status: 'done', ms: 12, outcome: { arn: 'arn:aws:iam::1:role/a' } });
    p.end(b, { id: b.id, status: 'failed', ms: 1500, error: 'AccessDenied: no AKIAABCDEFGHIJKLMNOP' });
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('Applying 2 step(s)');
    expect(lines[1]).toBe('  ✓ create role a  arn:aws:iam::1:role/a  (12 ms)');
    expect(lines[2]).toMatch(/^  ✗ create role b  \(1\.5 s\): AccessDenied/);
    expect(out).not.toContain('AKIAABCDEFGHIJKLMNOP'); // redacted
  });

  it('on a TTY: redraws the in-flight steps in place and leaves finished lines above', () => {
    let out = '';
    const p = new TtyProgress({ write: (s: string) => (out += s) });
    const a = step('role.a', 'create role a');
    p.begin([a]);
    p.start(a);
    expect(out).toContain('0/1 done, 1 in progress');
    expect(out).toContain('create role a');
    p.end(a, { id: a.id, status: 'done', ms: 3 });
    p.finish();
    expect(out).toMatch(/\x1b\[\d+A\x1b\[J/); // cursor up + clear: a live view, not a log
    expect(out).toContain('  ✓ create role a  (3 ms)');
    expect(fmtMs(61_000)).toBe('1m1s');
  });
});

/**
 * A small terminal of `cols` columns (VT100 subset: printable text wraps at the last column, \n,
 * ESC[nA cursor up, ESC[J erase below, SGR ignored): what stays on screen and in scrollback.
 */
function terminal(cols: number) {
  const rows: string[] = [''];
  let r = 0;
  let c = 0;
  const write = (s: string) => {
    for (let i = 0; i < s.length; ) {
      const m = /^\x1b\[(\d*)([A-Za-z])/.exec(s.slice(i, i + 12));
      if (m) {
        i += m[0].length;
        if (m[2] === 'A') r = Math.max(0, r - Number(m[1] || 1));
        if (m[2] === 'J') {
          rows.length = r + 1;
          rows[r] = rows[r]!.slice(0, c);
        }
        if (m[2] === 'A') c = Math.min(c, rows[r]!.length);
        continue;
      }
      const ch = String.fromCodePoint(s.codePointAt(i)!);
      i += ch.length;
      if (ch === '\n') {
        r++;
        c = 0;
        rows[r] ??= '';
        continue;
      }
      if (c === cols) {
        r++;
        c = 0;
        rows[r] ??= '';
      }
      const row = [...rows[r]!];
      row[c] = ch;
      rows[r] = row.join('');
      c++;
    }
  };
  return { write, columns: cols, rows: () => rows.slice(0, rows[rows.length - 1] === '' ? -1 : undefined) };
}

describe('live view in a 40-column terminal', () => {
  const long = (i: number) => step(`role.r${i}`, `create role charter-a-very-long-service-name-${i}-with-a-long-hash`);

  it('never wraps: after the run only the finished lines remain (no stale frames)', () => {
    const term = terminal(40);
    const p = new TtyProgress(term, { color: true });
    const steps = Array.from({ length: 6 }, (_x, i) => long(i));
    p.begin(steps);
    for (const s of steps) p.start(s);
    for (const s of steps) p.end(s, { id: s.id, status: 'done', ms: 5 });
    p.finish();
    const rows = term.rows();
    expect(rows.some((l) => l.includes('in progress'))).toBe(false);
    expect(rows.filter((l) => l.includes('✓ create role'))).toHaveLength(6);
    // Finished lines may wrap (they are never redrawn); the live lines were cut to 39 columns.
    const frames: string[] = [];
    const q = new TtyProgress({ columns: 40, write: (s: string) => frames.push(s) }, { color: true });
    q.begin(steps);
    for (const s of steps) q.start(s);
    q.finish();
    const live = frames.filter((f) => f.includes('in progress')).flatMap((f) => f.replace(/\x1b\[\d+A\x1b\[J/g, '').split('\n')).filter(Boolean);
    expect(live.length).toBeGreaterThan(6);
    for (const l of live) expect([...stripAnsi(l)].length).toBeLessThanOrEqual(39);
    expect(live.some((l) => stripAnsi(l).endsWith('…'))).toBe(true);
  });

  it('the interrupt message written below the frame stays on screen', () => {
    const term = terminal(40);
    const ac = new AbortController();
    const p = new TtyProgress(term, { signal: ac.signal });
    const [a, b] = [long(1), long(2)];
    p.begin([a, b]);
    p.start(a);
    p.start(b);
    term.write('\nInterrupt: letting calls in flight finish\n');
    ac.abort();
    p.end(a, { id: a.id, status: 'done', ms: 5 });
    p.end(b, { id: b.id, status: 'done', ms: 5 });
    p.finish();
    expect(term.rows().some((l) => l.startsWith('Interrupt: letting calls in flight'))).toBe(true);
  });

  it('colour off (NO_COLOR, --no-color) keeps the live view, without ANSI colours', () => {
    let out = '';
    const p = new TtyProgress({ columns: 40, write: (s: string) => (out += s) }, { color: false });
    const a = long(1);
    p.begin([a]);
    p.start(a);
    p.end(a, { id: a.id, status: 'done', ms: 5 });
    p.finish();
    expect(out).toMatch(/\x1b\[\d+A\x1b\[J/);
    expect(out).not.toMatch(/\x1b\[\d*m/);
    expect(fitLine('\x1b[1mabcdef\x1b[0m', 4)).toBe('\x1b[1mabc…\x1b[0m');
    expect(fitLine('abc', 4)).toBe('abc');
  });

  it('useColor: --color/--no-color, then FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    const rows: Array<[boolean | undefined, NodeJS.ProcessEnv, boolean, boolean]> = [
      [undefined, {}, true, true],
      [undefined, {}, false, false],
      [undefined, { NO_COLOR: '1' }, true, false],
      [undefined, { NO_COLOR: '' }, true, true],
      [undefined, { FORCE_COLOR: '1' }, false, true],
      [undefined, { FORCE_COLOR: '0' }, true, false],
      [undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
      [true, { NO_COLOR: '1' }, false, true],
      [false, { FORCE_COLOR: '1' }, true, false],
    ];
    for (const [flag, env, tty, want] of rows) expect([flag, env, tty, useColor(flag, env, tty)]).toEqual([flag, env, tty, want]);
  });
});
