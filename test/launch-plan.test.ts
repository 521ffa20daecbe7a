/**
 * The launch-group planner (src/plan/launches.ts) as a pure function: a table of what happens to
 * running instances, and properties over arbitrary live groups (count is the truth, replace never
 * keeps an outdated instance, keep never terminates while at or under count, the input order does
 * not matter). The sandbox-backed lifecycle is in test/instances-lifecycle.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSpec } from '../src/spec/load.js';
import { compileLaunchGroups } from '../src/compiler/launch.js';
import type { LaunchGroup } from '../src/compiler/types.js';
import type { LiveInstance } from '../src/policy/live-types.js';
import { planLaunchGroup } from '../src/plan/launches.js';
import { stubRole } from './launch-helpers.js';

function group(o: { count: number; onChange?: 'replace' | 'keep'; ttl?: string; idle?: string; type?: string }): LaunchGroup {
  const text = `version: 1\nname: demo\nregion: us-east-1\nservices:\n  web: { trust: [ec2] }\ninstances:\n  g:\n    service: web\n    type: ${o.type ?? 't3.micro'}\n    image: ami-0123456789abcdef0\n    count: ${o.count}\n${o.ttl ? `    ttl: ${o.ttl}\n` : ''}${o.idle ? `    idleTimeout: ${o.idle}\n` : ''}${o.onChange ? `    onChange: ${o.onChange}\n` : ''}`;
  const { launches, problems } = compileLaunchGroups(parseSpec(text, 'spec.yaml'), new Map([['web', stubRole('web')]]));
  expect(problems).toEqual([]);
  return launches[0]!;
}

const CURRENT = group({ count: 1 }).tags['charter:hash']!;
const T = (m: number) => new Date(Date.UTC(2026, 11, 6, 10, m)).toISOString().replace('.000Z', 'Z');

function inst(id: string, o: { hash?: string; minute?: number; state?: LiveInstance['state']; ttl?: string; expiresAt?: string; index?: number } = {}): LiveInstance {
  return {
    instanceId: id,
    state: o.state ?? 'running',
    launchTime: new Date(Date.UTC(2026, 11, 6, 10, o.minute ?? 0, 3)).toISOString(),
    tags: {
      'charter:managed': 'true',
      'charter:spec': 'demo',
      'charter:group': 'g',
      'charter:hash': o.hash ?? CURRENT,
      ...(o.ttl ? { 'charter:ttl': o.ttl } : {}),
      ...(o.expiresAt ? { 'charter:expires-at': o.expiresAt } : {}),
      ...(o.index !== undefined ? { 'charter:index': String(o.index) } : {}),
    },
  };
}

/** What the plan does, in one line per instance plus the launch indexes. */
function outcome(l: LaunchGroup, live: LiveInstance[]) {
  const [main, extra] = planLaunchGroup(l, live, 'charter');
  return {
    action: main!.action,
    launch: main!.launch!.indexes,
    replaces: main!.launch!.replaces ?? [],
    fates: Object.fromEntries((main!.instances ?? []).map((r) => [r.instanceId, r.fate + (r.why ? `:${r.why}` : '')])),
    terminate: extra?.terminate ?? [],
    waits: extra?.action,
  };
}

describe('launch group plan: what happens to each running instance', () => {
  it.each([
    ['at count: nothing', { count: 2 }, [inst('i-a', { index: 0 }), inst('i-b', { index: 1 })], { action: 'no-op', launch: [], replaces: [], fates: { 'i-a': 'keep', 'i-b': 'keep' }, terminate: [] }],
    ['count down: the newest go, without --prune', { count: 1 }, [inst('i-a', { minute: 1 }), inst('i-b', { minute: 2 }), inst('i-c', { minute: 0 })], { action: 'no-op', launch: [], replaces: [], fates: { 'i-a': 'terminate:beyond-count', 'i-b': 'terminate:beyond-count', 'i-c': 'keep' }, terminate: ['i-a', 'i-b'] }],
    ['count up: the free indexes', { count: 3 }, [inst('i-a', { index: 1 })], { action: 'create', launch: [0, 2], replaces: [], fates: { 'i-a': 'keep' }, terminate: [] }],
    ['replace: launch all, then terminate the outdated', { count: 2 }, [inst('i-a', { hash: 'old00000' }), inst('i-b', { hash: 'old00000' })], { action: 'create', launch: [0, 1], replaces: ['i-a', 'i-b'], fates: { 'i-a': 'terminate:replaced', 'i-b': 'terminate:replaced' }, terminate: ['i-a', 'i-b'] }],
    ['replace, one current already: launch one, terminate the outdated', { count: 2 }, [inst('i-a', { hash: 'old00000', index: 0 }), inst('i-b', { index: 1 })], { action: 'create', launch: [0], replaces: ['i-a'], fates: { 'i-a': 'terminate:replaced', 'i-b': 'keep' }, terminate: ['i-a'] }],
    ['keep: outdated ones count and run on', { count: 2, onChange: 'keep' as const }, [inst('i-a', { hash: 'old00000' }), inst('i-b', { hash: 'old00000' })], { action: 'no-op', launch: [], replaces: [], fates: { 'i-a': 'keep', 'i-b': 'keep' }, terminate: [] }],
    ['keep, count down: outdated ones go first', { count: 1, onChange: 'keep' as const }, [inst('i-a', { hash: 'old00000', minute: 0 }), inst('i-b', { minute: 5 })], { action: 'no-op', launch: [], replaces: [], fates: { 'i-a': 'terminate:beyond-count', 'i-b': 'keep' }, terminate: ['i-a'] }],
    ['ended instances do not count: relaunch', { count: 1 }, [inst('i-a', { state: 'terminated' })], { action: 'create', launch: [0], replaces: [], fates: {}, terminate: [] }],
  ] as Array<[string, Parameters<typeof group>[0], LiveInstance[], Omit<ReturnType<typeof outcome>, 'waits'>]>)('%s', (_n, g, live, want) => {
    const got = outcome(group(g), live);
    expect({ ...got, waits: undefined }).toEqual({ ...want, waits: undefined });
    expect(got.waits).toBe(want.terminate.length ? 'delete' : undefined);
  });

  it('a TTL change moves expires-at by the difference, from the launch time apply used; the same TTL leaves it', () => {
    const l = group({ count: 2, ttl: '6h' });
    const hash = l.tags['charter:hash']!;
    expect(group({ count: 2, ttl: '2h' }).tags['charter:hash']).toBe(hash);
    const [main] = planLaunchGroup(l, [inst('i-a', { hash, ttl: '2h', expiresAt: T(120) }), inst('i-b', { hash, ttl: '6h', expiresAt: T(360) })], 'charter');
    expect(main!.action).toBe('update');
    expect(main!.instances).toEqual([
      { instanceId: 'i-a', state: 'running', config: 'current', fate: 'retag', expiresAt: { before: T(120), after: T(360) }, tags: { set: { 'charter:ttl': '6h', 'charter:expires-at': T(360) }, remove: [] } },
      { instanceId: 'i-b', state: 'running', config: 'current', fate: 'keep', expiresAt: { before: T(360), after: T(360) } },
    ]);
    // No expires-at yet (launched without a TTL): from EC2's launch time.
    const [fresh] = planLaunchGroup(l, [inst('i-c', { hash, minute: 0 })], 'charter');
    expect(fresh!.instances![0]!.expiresAt).toEqual({ after: '2026-12-06T16:00:03Z' });
    // TTL dropped (the idle timeout stays, so the agent stays): ttl and expires-at tags removed.
    const idleOnly = group({ count: 1, idle: '30m' });
    expect(idleOnly.tags['charter:hash']).toBe(hash);
    const [dropped] = planLaunchGroup(idleOnly, [inst('i-a', { hash, ttl: '2h', expiresAt: T(120) })], 'charter');
    expect(dropped!.instances![0]!.tags).toEqual({ set: { 'charter:idle-timeout': '30m' }, remove: ['charter:expires-at', 'charter:ttl'] });
  });
});

describe('launch group plan: properties', () => {
  const liveGroup = fc.uniqueArray(
    fc.record({
      n: fc.integer({ min: 0, max: 99 }),
      outdated: fc.boolean(),
      minute: fc.integer({ min: 0, max: 59 }),
      state: fc.constantFrom<LiveInstance['state']>('pending', 'running', 'stopped', 'terminated', 'shutting-down'),
    }),
    { selector: (x) => x.n, maxLength: 12 },
  ).map((xs) => xs.map((x) => inst(`i-${String(x.n).padStart(3, '0')}`, { hash: x.outdated ? 'old00000' : CURRENT, minute: x.minute, state: x.state })));

  it('count is the truth; replace keeps no outdated instance; keep terminates only beyond count; order does not matter', () => {
    fc.assert(
      fc.property(liveGroup, fc.integer({ min: 0, max: 8 }), fc.constantFrom<'replace' | 'keep'>('replace', 'keep'), (live, count, onChange) => {
        const l = group({ count, onChange });
        const out = outcome(l, live);
        const active = live.filter((i) => ['pending', 'running', 'stopped'].includes(i.state));
        const outdated = new Set(active.filter((i) => i.tags['charter:hash'] !== CURRENT).map((i) => i.instanceId));
        const kept = Object.entries(out.fates).filter(([, f]) => !f.startsWith('terminate')).map(([id]) => id);
        // every active instance has a fate; terminated ones are exactly the extra change's
        expect(Object.keys(out.fates).sort()).toEqual(active.map((i) => i.instanceId).sort());
        expect(Object.entries(out.fates).filter(([, f]) => f.startsWith('terminate')).map(([id]) => id).sort()).toEqual([...out.terminate].sort());
        // after the apply: exactly count instances
        expect(kept.length + out.launch.length).toBe(count);
        if (onChange === 'replace') {
          expect(kept.filter((id) => outdated.has(id))).toEqual([]);
          if (out.launch.length) expect(out.replaces).toEqual([...outdated].filter((id) => out.terminate.includes(id)).sort());
        } else {
          expect(out.terminate.length).toBe(Math.max(0, active.length - count));
          expect(out.replaces).toEqual([]);
        }
        // the order AWS lists instances in does not matter
        expect(outcome(l, [...live].reverse())).toEqual(out);
      }),
      { numRuns: 200 },
    );
  });
});
