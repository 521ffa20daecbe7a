/**
 * startSandbox(): the local AWS-compatible endpoint (IAM, EC2, STS, Access Analyzer) on 127.0.0.1.
 * Point unmodified SDK clients (endpoint: sandbox.endpoint) or the AWS CLI (--endpoint-url) at it.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedOptions } from './context.js';
import { AwsManagedCatalogue } from './iam-aws-managed.js';
import { SandboxServer } from './server.js';
import { emptyState, loadState } from './state.js';
import type { RunningSandbox, SandboxOptions, ScriptedError } from './types.js';

export type { RunningSandbox, SandboxOptions, SandboxStats, ScriptedError } from './types.js';
export { StateFileError } from './state.js';

function rate(name: string, v: number | undefined): number {
  const r = v ?? 0;
  if (!(r >= 0 && r <= 1)) throw new Error(`sandbox option faults.${name} must be between 0 and 1 (got ${v})`);
  return r;
}

function nonNegative(name: string, v: number | undefined, def: number): number {
  const n = v ?? def;
  if (!(Number.isFinite(n) && n >= 0)) throw new Error(`sandbox option ${name} must be a non-negative number (got ${v})`);
  return n;
}

function checkImages(images: NonNullable<SandboxOptions['images']>): ResolvedOptions['images'] {
  for (const [id, img] of Object.entries(images)) {
    if (!/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw new Error(`sandbox option images: "${id}" is not an AMI id (ami- and 8 or 17 hex digits)`);
    if (img.rootDeviceName !== undefined && !/^\/dev\/[a-z0-9]+$/.test(img.rootDeviceName)) throw new Error(`sandbox option images.${id}.rootDeviceName: "${img.rootDeviceName}" is not a device name like /dev/xvda`);
  }
  return { ...images };
}

function checkErrors(errors: ScriptedError[]): ScriptedError[] {
  for (const e of errors) {
    if (e.times !== undefined && !(Number.isInteger(e.times) && e.times >= 0)) throw new Error(`sandbox option errors: times for ${e.action} must be a non-negative integer (got ${e.times})`);
    if (e.error !== 'throttle' && !(typeof e.error.code === 'string' && e.error.code !== '')) throw new Error(`sandbox option errors: the error for ${e.action} needs a code`);
  }
  return errors.map((e) => ({ ...e }));
}

export function resolveOptions(o: SandboxOptions): ResolvedOptions {
  const accountId = o.accountId ?? '123456789012';
  if (!/^\d{12}$/.test(accountId)) throw new Error(`sandbox option accountId must be 12 digits (got ${accountId})`);
  return {
    accountId,
    region: o.region ?? 'us-east-1',
    propagationDelayMs: nonNegative('propagationDelayMs', o.propagationDelayMs, 0),
    iamReadDelayMs: nonNegative('iamReadDelayMs', o.iamReadDelayMs, 0),
    instanceStartDelayMs: nonNegative('instanceStartDelayMs', o.instanceStartDelayMs, 0),
    terminatedRetentionMs: nonNegative('terminatedRetentionMs', o.terminatedRetentionMs, 60_000),
    ...(o.knownAccounts ? { knownAccounts: o.knownAccounts } : {}),
    callers: o.callers ?? {},
    knownServices: o.knownServices,
    managedPoliciesPerRole: o.managedPoliciesPerRole ?? 10,
    trustPolicySize: o.trustPolicySize ?? 2048,
    gaadShortPages: o.gaadShortPages ?? true,
    seed: o.seed ?? 1,
    vcpuLimit: o.vcpuLimit === undefined ? undefined : nonNegative('vcpuLimit', o.vcpuLimit, 0),
    insufficientCapacity: (o.insufficientCapacity ?? []).map((g) => new RegExp('^' + g.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$')),
    images: checkImages(o.images ?? {}),
    missingImages: new Set(o.missingImages ?? []),
    awsManaged: o.awsManagedPolicies === undefined ? undefined : new AwsManagedCatalogue(o.awsManagedPolicies),
  };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const resolved = resolveOptions(opts);
  if (typeof opts.awsManagedPolicies === 'string' && !existsSync(opts.awsManagedPolicies)) {
    throw new Error(`sandbox option awsManagedPolicies: no such directory ${opts.awsManagedPolicies}`);
  }
  const faults = opts.faults ?? {};
  const state = opts.stateFile ? loadState(opts.stateFile) : emptyState();
  const server = new SandboxServer(
    {
      opts: resolved,
      stateFile: opts.stateFile,
      latencyMs: nonNegative('latencyMs', opts.latencyMs, 0),
      faults: { throttle: rate('throttle', faults.throttle), internalError: rate('internalError', faults.internalError), connectionReset: rate('connectionReset', faults.connectionReset), actions: faults.actions },
      deny: opts.deny ?? [],
      errors: checkErrors(opts.errors ?? []),
      clock: opts.clock ?? Date.now,
    },
    state,
  );
  const http = createServer(server.handle);
  // Idle keep-alive sockets stay open for a minute, as behind AWS's load balancers: with Node's 5 s a
  // client that reuses a socket just as the server closes it sees ECONNRESET (the SDK names it
  // TimeoutError), a race that a busy machine widens.
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    accountId: resolved.accountId,
    region: resolved.region,
    stats: () => server.getStats(),
    resetStats: () => server.resetStats(),
    reset: () => {
      server.resetStats();
      server.resetState();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        http.close((e) => (e ? reject(e) : resolve()));
        http.closeAllConnections();
      }),
  };
}
