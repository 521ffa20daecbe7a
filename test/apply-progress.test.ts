import { describe, expect, it } from 'vitest';
import { LineProgress, TtyProgress, fmtMs } from '../src/apply/progress.js';
import type { Step } from '../src/apply/steps.js';

const step = (id: string, label: string): Step => ({ id, label, deps: [], change: { address: id, kind: 'role', action: 'create', name: id, reason: 'r' }, run: async () => ({}) });

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
