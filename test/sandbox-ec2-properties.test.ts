/**
 * EC2 properties over random RunInstances/TerminateInstances sequences through the real SDK:
 * a ClientToken always maps to one reservation (same parameters → the same instances, different →
 * IdempotentParameterMismatch), no launch is ever duplicated, and DescribeInstances pages
 * concatenate to exactly the unpaged answer.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DescribeInstancesCommand, RunInstancesCommand, TerminateInstancesCommand, paginateDescribeInstances, type RunInstancesCommandInput, type _InstanceType } from '@aws-sdk/client-ec2';
import { harness, type Harness } from './sandbox-helpers.js';

type Op =
  | { op: 'run'; token: string | null; count: number; type: string; group: string }
  | { op: 'terminate'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('run' as const), token: fc.option(fc.constantFrom('t1', 't2', 't3')), count: fc.integer({ min: 1, max: 3 }), type: fc.constantFrom('t3.micro', 't3.small'), group: fc.constantFrom('a', 'b') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('terminate' as const), pick: fc.nat() }) },
);

let h: Harness;
beforeAll(async () => {
  h = await harness({}, 1);
});
afterAll(async () => {
  await h.sb.stop();
});

it('client tokens, launches and paging stay consistent', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25, size: 'max' }), fc.integer({ min: 5, max: 9 }), async (ops, pageSize) => {
      h.sb.reset();
      const tokens = new Map<string, { params: string; ids: string[] }>();
      const launched: string[] = [];
      for (const o of ops) {
        if (o.op === 'terminate') {
          if (launched.length === 0) continue;
          const id = launched[o.pick % launched.length]!;
          await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
          continue;
        }
        const params = JSON.stringify([o.count, o.type, o.group]);
        const input: RunInstancesCommandInput = {
          ImageId: 'ami-12345678', InstanceType: o.type as _InstanceType, MinCount: o.count, MaxCount: o.count, ...(o.token ? { ClientToken: o.token } : {}),
          TagSpecifications: [{ ResourceType: 'instance' as const, Tags: [{ Key: 'group', Value: o.group }] }],
        };
        const prior = o.token ? tokens.get(o.token) : undefined;
        try {
          const out = await h.ec2.send(new RunInstancesCommand(input));
          const ids = (out.Instances ?? []).map((i) => i.InstanceId!);
          if (prior) {
            expect(prior.params).toBe(params);
            expect(ids).toEqual(prior.ids);
          } else {
            expect(ids).toHaveLength(o.count);
            launched.push(...ids);
            if (o.token) tokens.set(o.token, { params, ids });
          }
        } catch (e) {
          expect((e as Error).name).toBe('IdempotentParameterMismatch');
          expect(prior && prior.params !== params).toBe(true);
        }
      }
      const all = await h.ec2.send(new DescribeInstancesCommand({}));
      const ids = (all.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId!));
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(launched));
      const paged: string[] = [];
      for await (const page of paginateDescribeInstances({ client: h.ec2, pageSize }, {})) paged.push(...(page.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId!)));
      expect(paged).toEqual(ids);
      for (const [token, rec] of tokens) {
        const byToken = await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: [token] }] }));
        expect((byToken.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId!))).toEqual(rec.ids);
      }
    }),
    { numRuns: 40, seed: 11 },
  );
});
