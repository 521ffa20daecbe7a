/**
 * Property: whatever moves out of band after a plan was saved (role tags, inline policies,
 * attachments, trust, profile membership, instances appearing or ending), applying the saved plan
 * is refused, names what moved, and writes nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import {
  AttachRolePolicyCommand, DeleteRolePolicyCommand, PutRolePolicyCommand, RemoveRoleFromInstanceProfileCommand, TagRoleCommand, UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { plan } from '../src/plan/plan.js';
import { savePlan } from '../src/plan/plan-file.js';
import { readLiveState } from '../src/aws/live-state.js';
import { readOptionsForBundle } from '../src/plan/read-options.js';
import type { Bundle } from '../src/compiler/types.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import { applyOptions, runApply, snapshot, specText, tmp, useSandbox, writeSpec } from './apply-support.js';

let sb: RunningSandbox;
let clients: AwsClients;
useSandbox((s) => ({ sb, clients } = s));

type Mutation = (b: Bundle, roleIdx: number) => Promise<string>;
const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

const MUTATIONS: Record<string, Mutation> = {
  'tag role': async (b, i) => {
    const n = b.roles[i]!.name;
    await (await clients.iam()).send(new TagRoleCommand({ RoleName: n, Tags: [{ Key: 'touched', Value: 'yes' }] }));
    return `role:${n}`;
  },
  'add inline policy': async (b, i) => {
    const n = b.roles[i]!.name;
    await (await clients.iam()).send(new PutRolePolicyCommand({ RoleName: n, PolicyName: 'extra', PolicyDocument: doc('sqs:*') }));
    return `role:${n}`;
  },
  'delete charter inline policy': async (b, i) => {
    const r = b.roles[i]!;
    await (await clients.iam()).send(new DeleteRolePolicyCommand({ RoleName: r.name, PolicyName: r.inline[0]!.name }));
    return `role:${r.name}`;
  },
  'attach a managed policy': async (b, i) => {
    const n = b.roles[i]!.name;
    await (await clients.iam()).send(new AttachRolePolicyCommand({ RoleName: n, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    return `role:${n}`;
  },
  'loosen trust': async (b, i) => {
    const n = b.roles[i]!.name;
    await (await clients.iam()).send(new UpdateAssumeRolePolicyCommand({ RoleName: n, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }] }) }));
    return `role:${n}`;
  },
  'take role out of profile': async (b) => {
    const p = b.instanceProfiles[0]!;
    await (await clients.iam()).send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: p.name, RoleName: p.roleName }));
    return `profile:${p.name}`;
  },
  'terminate an instance': async (b) => {
    const g = b.launches[0]!.group;
    const inst = (await snapshot(clients)).active.find((x) => x.tags['charter:group'] === g)!;
    await (await clients.ec2()).send(new TerminateInstancesCommand({ InstanceIds: [inst.id] }));
    return `instances:${g}`;
  },
  'launch an extra instance': async (b) => {
    const g = b.launches[0]!;
    const tags = Object.entries(g.tags).map(([Key, Value]) => ({ Key, Value }));
    await (await clients.ec2()).send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: tags }] }));
    return `instances:${g.group}`;
  },
};

describe('stale plans', () => {
  it('any out-of-band change to a resource the plan read makes the saved plan refused, naming it, with zero writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(MUTATIONS)), fc.nat(1), fc.boolean(), async (kind, roleIdx, specEdit) => {
        sb.reset();
        const dir = tmp('charter-stale-');
        const spec = writeSpec(dir, specText({ name: 'stale', roles: 2, count: 2 }));
        expect((await runApply(spec, applyOptions(clients, dir))).exitCode).toBe(0);
        if (specEdit) writeFileSync(spec, specText({ name: 'stale', roles: 2, count: 3 }));
        const bundle = await compileSpec(loadSpecFile(spec));
        const p = await plan(bundle, await readLiveState(clients, readOptionsForBundle(bundle)), { prune: false, adopt: false });
        const file = join(dir, 'plan.json');
        savePlan(p, file);
        const key = await MUTATIONS[kind]!(bundle, roleIdx);
        sb.resetStats();
        let refused = '';
        await runApply(file, applyOptions(clients, dir)).catch((e: Error) => (refused = e.message));
        expect(refused, kind).toMatch(/stale plan refused/);
        expect(refused, kind).toContain(key);
        expect(sb.stats().writes, kind).toBe(0);
      }),
      { numRuns: 14, seed: 5150 },
    );
  });
});
