/**
 * `charter reap`: terminate managed instances whose {prefix}:expires-at has passed. A backstop for
 * an agent that died: safe to run from cron or CI (idempotent; only instances carrying the managed
 * tag AND a valid, past expiry are touched; nothing else is ever terminated).
 */
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { DescribeInstancesCommandOutput, EC2Client } from '@aws-sdk/client-ec2';
import { managedTagKeys } from '../compiler/types.js';
import { type CallContext, send } from './context.js';
import { CallGate } from './gate.js';
import { parseExpiresAt } from '../compiler/expires.js';
import { errorCode, explainAwsError } from '../aws/errors.js';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';

export interface ReapCandidate {
  instanceId: string;
  state: string;
  expiresAt: string;
  spec?: string;
  group?: string;
  overdueSeconds: number;
}

export interface ReapResult {
  prefix: string;
  dryRun: boolean;
  now: string;
  /** Managed instances examined (not terminated). */
  examined: number;
  expired: ReapCandidate[];
  terminated: string[];
  /** Managed instances with no expires-at tag (never reaped). */
  noExpiry: string[];
  /** Managed instances whose expires-at is not a valid RFC 3339 time (never reaped; fix the tag). */
  invalidExpiry: Array<{ instanceId: string; value: string }>;
  writeCalls: number;
}

export interface ReapOptions {
  ec2: EC2Client;
  /** Where the EC2 calls go (named in errors). */
  endpoint?: string;
  prefix: string;
  dryRun: boolean;
  /** Only this spec's instances ({prefix}:spec tag). */
  spec?: string;
  now?: number;
  pool?: number;
  signal?: AbortSignal;
}

export async function reap(o: ReapOptions): Promise<ReapResult> {
  const keys = managedTagKeys(o.prefix);
  const now = o.now ?? Date.now();
  const ctx: CallContext = { gate: new CallGate(o.pool ?? 8), signal: o.signal ?? new AbortController().signal, retryRounds: 6, writes: {} };
  const filters = [
    { Name: `tag:${keys.managed}`, Values: ['true'] },
    { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ...(o.spec ? [{ Name: `tag:${keys.spec}`, Values: [o.spec] }] : []),
  ];
  const res: ReapResult = { prefix: o.prefix, dryRun: o.dryRun, now: new Date(now).toISOString(), examined: 0, expired: [], terminated: [], noExpiry: [], invalidExpiry: [], writeCalls: 0 };
  let token: string | undefined;
  do {
    let out: DescribeInstancesCommandOutput;
    try {
      out = await send<DescribeInstancesCommandOutput>(
        ctx,
        o.ec2,
        new DescribeInstancesCommand({ Filters: filters, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }),
        { action: 'ec2:DescribeInstances', write: false },
      );
    } catch (e) {
      // Explained as plan explains its reads: no credentials, denied, unreachable, not AWS's answer.
      throw explainAwsError(e, 'ec2:DescribeInstances', '', o.endpoint);
    }
    for (const inst of (out.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      const tags: Record<string, string> = {};
      for (const t of inst.Tags ?? []) if (t.Key) tags[t.Key] = t.Value ?? '';
      // Re-check everything locally: never trust the filter alone with a terminate.
      if (tags[keys.managed] !== 'true' || !inst.InstanceId) continue;
      const state = inst.State?.Name ?? 'unknown';
      if (state === 'terminated' || state === 'shutting-down') continue;
      if (o.spec && tags[keys.spec] !== o.spec) continue;
      res.examined++;
      const raw = tags[keys.expiresAt];
      if (raw === undefined) {
        res.noExpiry.push(inst.InstanceId);
        continue;
      }
      const t = parseExpiresAt(raw);
      if (t === undefined) {
        res.invalidExpiry.push({ instanceId: inst.InstanceId, value: raw });
        continue;
      }
      if (t > now) continue;
      res.expired.push({
        instanceId: inst.InstanceId,
        state,
        expiresAt: raw,
        ...(tags[keys.spec] ? { spec: tags[keys.spec] } : {}),
        ...(tags[keys.group] ? { group: tags[keys.group] } : {}),
        overdueSeconds: Math.floor((now - t) / 1000),
      });
    }
    token = out.NextToken;
  } while (token);
  res.expired.sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
  if (!o.dryRun) {
    const ids = res.expired.map((e) => e.instanceId);
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      try {
        await send(ctx, o.ec2, new TerminateInstancesCommand({ InstanceIds: batch }), { action: 'ec2:TerminateInstances', write: true });
        res.terminated.push(...batch);
      } catch (e) {
        // An instance vanished between describe and terminate: do the rest one by one.
        if (errorCode(e) !== 'InvalidInstanceID.NotFound') throw explainAwsError(e, 'ec2:TerminateInstances', '', o.endpoint, { write: true });
        for (const id of batch) {
          try {
            await send(ctx, o.ec2, new TerminateInstancesCommand({ InstanceIds: [id] }), { action: 'ec2:TerminateInstances', write: true });
            res.terminated.push(id);
          } catch (e2) {
            if (errorCode(e2) !== 'InvalidInstanceID.NotFound') throw explainAwsError(e2, 'ec2:TerminateInstances', '', o.endpoint, { write: true });
          }
        }
      }
    }
  }
  res.writeCalls = Object.values(ctx.writes).reduce((a, b) => a + b, 0);
  return res;
}

export function formatReapText(r: ReapResult): string {
  const L: string[] = [];
  const verb = r.dryRun ? 'would terminate' : 'terminated';
  for (const e of r.expired) L.push(`${r.dryRun ? 'would terminate' : 'terminate'} ${e.instanceId}  ${e.spec ?? ''}${e.group ? '/' + e.group : ''}  expired ${e.expiresAt} (${e.overdueSeconds}s ago)`);
  for (const x of r.invalidExpiry) L.push(`warning: ${x.instanceId} has an invalid ${r.prefix}:expires-at "${x.value}": left running`);
  if (r.noExpiry.length) L.push(`note: ${r.noExpiry.length} managed instance(s) have no ${r.prefix}:expires-at (no ttl): left running`);
  L.push(`reap: ${r.examined} managed instance(s) checked, ${r.dryRun ? r.expired.length : r.terminated.length} ${verb}${r.dryRun ? ' (dry run: nothing changed)' : ''}`);
  return L.join('\n') + '\n';
}
