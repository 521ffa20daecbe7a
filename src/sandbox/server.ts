/**
 * The sandbox HTTP server (node:http): reads a request, works out the service and action (query
 * protocols: form body Action + Version; Access Analyzer: restJson paths), applies the knobs
 * (latency, deny list, seeded faults), runs the handler against the state, renders the wire format,
 * persists after writes and keeps stats. Control endpoints live under /_sandbox/.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxStats, ScriptedError } from './types.js';
import { ACCESS_ANALYZER_ROUTES, registerFindings } from './access-analyzer.js';
import type { Ctx, ResolvedOptions, Session } from './context.js';
import { EC2_ACTIONS, purgeVanished, resolveProfile } from './ec2.js';
import { AwsError } from './errors.js';
import { IAM_ACTIONS } from './iam.js';
import { parseQuery, qStr, type QTree } from './query.js';
import { mulberry32 } from './rng.js';
import { emptyState, saveState, type SandboxState } from './state.js';
import { STS_ACTIONS } from './sts.js';
import { ec2Error, ec2Result, jsonError, jsonResult, queryError, queryResult, type Service, type WireResponse } from './wire.js';
import type { XmlValue } from './xml.js';

type QueryHandler = (ctx: Ctx, p: QTree) => XmlValue | undefined;

const QUERY_SERVICES: Record<string, { service: 'iam' | 'ec2' | 'sts'; actions: Record<string, QueryHandler> }> = {
  '2010-05-08': { service: 'iam', actions: IAM_ACTIONS },
  '2016-11-15': { service: 'ec2', actions: EC2_ACTIONS as Record<string, QueryHandler> },
  '2011-06-15': { service: 'sts', actions: STS_ACTIONS },
};

export interface ServerConfig {
  opts: ResolvedOptions;
  stateFile?: string;
  latencyMs: number;
  faults: { throttle: number; internalError: number; connectionReset: number; actions?: string[] };
  deny: string[];
  errors: ScriptedError[];
  clock: () => number;
}

/** Reads: Describe*, Get*, List* (and Access Analyzer's side-effect-free checks). Everything else: writes. */
export function isRead(service: Service, action: string): boolean {
  if (/^(Describe|Get|List)/.test(action)) return true;
  return service === 'access-analyzer' && /^(ValidatePolicy|Check)/.test(action);
}

function globToRegExp(glob: string): RegExp {
  return new RegExp('^' + glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i');
}

const MAX_BODY = 10 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new AwsError('RequestEntityTooLarge', 'Request body too large', 413));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SandboxServer {
  state: SandboxState;
  private stats: SandboxStats = { reads: 0, writes: 0, actions: {}, faults: 0, accessKeys: {} };
  private readonly rng: () => number;
  private readonly sessions = new Map<string, Session>();
  private readonly denyRes: RegExp[];
  private readonly faultRes: RegExp[] | undefined;
  /** The scripted errors with their globs and the answers each has left (Infinity: every request). */
  private readonly scripted: Array<{ re: RegExp; error: ScriptedError['error']; left: number }>;

  constructor(private readonly cfg: ServerConfig, state: SandboxState) {
    this.state = state;
    this.rng = mulberry32(cfg.opts.seed);
    this.denyRes = cfg.deny.map(globToRegExp);
    this.faultRes = cfg.faults.actions?.map(globToRegExp);
    this.scripted = cfg.errors.map((e) => ({ re: globToRegExp(e.action), error: e.error, left: e.times ?? Infinity }));
  }

  getStats(): SandboxStats {
    return { reads: this.stats.reads, writes: this.stats.writes, actions: { ...this.stats.actions }, faults: this.stats.faults, accessKeys: { ...this.stats.accessKeys } };
  }

  resetStats(): void {
    this.stats = { reads: 0, writes: 0, actions: {}, faults: 0, accessKeys: {} };
  }

  resetState(): void {
    this.state = emptyState();
    this.persist();
  }

  private persist(): void {
    if (this.cfg.stateFile) saveState(this.cfg.stateFile, this.state);
  }

  private pendingSave: Promise<void> | undefined;

  /**
   * Group commit: writes handled in the same turn of the event loop share one atomic save, and
   * each write's response is sent only after a save that includes it.
   */
  private persistBatched(): Promise<void> {
    if (!this.cfg.stateFile) return Promise.resolve();
    this.pendingSave ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        this.pendingSave = undefined;
        try {
          this.persist();
          resolve();
        } catch (e) {
          reject(e);
        }
      }),
    );
    return this.pendingSave;
  }

  private ctx(): Ctx {
    return { state: this.state, opts: this.cfg.opts, now: this.cfg.clock(), requestId: randomUUID(), sessions: this.sessions };
  }

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.dispatch(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`sandbox internal error: ${(e as Error).message}`);
      }
    });
  };

  private send(res: ServerResponse, w: WireResponse): void {
    res.writeHead(w.status, { ...w.headers, 'content-length': String(Buffer.byteLength(w.body)) });
    res.end(w.body);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const body = await readBody(req);
    if (url.pathname.startsWith('/_sandbox/')) return this.control(req.method ?? 'GET', url.pathname, body, res);
    // Who signed: `Credential=AKID/date/region/service/aws4_request` (AssumeRole's caller,
    // GetCallerIdentity; counted in the stats, so a test sees whose keys reached the sandbox).
    const accessKeyId = /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
    if (accessKeyId) this.stats.accessKeys[accessKeyId] = (this.stats.accessKeys[accessKeyId] ?? 0) + 1;
    if (url.pathname.startsWith('/policy/')) return this.accessAnalyzer(req.method ?? 'GET', url, body, res);
    const params = parseQuery(req.method === 'GET' ? url.search.slice(1) : body);
    const action = qStr(params, 'Action');
    const version = qStr(params, 'Version');
    const svc = version && Object.hasOwn(QUERY_SERVICES, version) ? QUERY_SERVICES[version] : undefined;
    const requestId = randomUUID();
    if (!svc || !action) {
      const e = new AwsError('InvalidAction', `Could not find operation ${action ?? '(none)'} for version ${version ?? '(none)'}`, 400);
      return this.send(res, queryError('iam', e, requestId));
    }
    const render = (r: XmlValue | undefined, rid: string): WireResponse =>
      svc.service === 'ec2' ? ec2Result(action, (r ?? {}) as { [k: string]: XmlValue }, rid) : queryResult(svc.service, action, r, rid);
    const renderError = (e: AwsError, rid: string): WireResponse => (svc.service === 'ec2' ? ec2Error(e, rid) : queryError(svc.service, e, rid));
    const handler = Object.hasOwn(svc.actions, action) ? svc.actions[action] : undefined;
    if (!handler) {
      return this.send(res, renderError(new AwsError('InvalidAction', `Could not find operation ${action} for version ${version}`, 400), requestId));
    }
    await this.run(svc.service, action, res, render, renderError, (ctx) => {
      if (accessKeyId) ctx.accessKeyId = accessKeyId;
      if (svc.service === 'ec2' && params.DryRun === 'true') {
        // Like EC2, a dry run still validates the instance profile (and so sees IAM propagation).
        if (action === 'RunInstances') resolveProfile(ctx, params);
        throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
      }
      return handler(ctx, params);
    }, params.DryRun === 'true');
  }

  /** Knobs, stats, handler, persistence: shared by every protocol. */
  private async run<T>(
    service: Service, action: string, res: ServerResponse, render: (r: T, rid: string) => WireResponse,
    renderError: (e: AwsError, rid: string) => WireResponse, fn: (ctx: Ctx) => T, dryRun = false,
  ): Promise<void> {
    if (this.cfg.latencyMs > 0) await sleep(this.cfg.latencyMs);
    const f = this.cfg.faults;
    const key = `${service}:${action}`;
    const faultable = this.faultRes === undefined || this.faultRes.some((re) => re.test(key));
    if (faultable && f.throttle + f.internalError + f.connectionReset > 0) {
      const r = this.rng();
      if (r < f.throttle) {
        this.stats.faults++;
        return this.send(res, renderError(throttleError(service), randomUUID()));
      }
      if (r < f.throttle + f.internalError) {
        this.stats.faults++;
        return this.send(res, renderError(internalError(service), randomUUID()));
      }
      if (r < f.throttle + f.internalError + f.connectionReset) {
        this.stats.faults++;
        res.socket?.destroy();
        return;
      }
    }
    const read = isRead(service, action) || dryRun;
    if (read) this.stats.reads++;
    else this.stats.writes++;
    // Dry runs are counted apart ("ec2:RunInstances(DryRun)"): they do nothing, and a test counting
    // RunInstances means launches.
    const statKey = dryRun ? `${key}(DryRun)` : key;
    this.stats.actions[statKey] = (this.stats.actions[statKey] ?? 0) + 1;
    const ctx = this.ctx();
    if (service === 'ec2') purgeVanished(ctx);
    try {
      if (this.denyRes.some((re) => re.test(key))) throw accessDenied(service, key, this.cfg.opts.accountId);
      const scripted = this.scripted.find((x) => x.left > 0 && x.re.test(statKey));
      if (scripted) {
        scripted.left--;
        const e = scripted.error;
        throw e === 'throttle' ? throttleError(service) : new AwsError(e.code, e.message, e.status ?? 400, (e.status ?? 400) >= 500 ? 'Receiver' : 'Sender');
      }
      const result = fn(ctx);
      if (!read) await this.persistBatched();
      this.send(res, render(result, ctx.requestId));
    } catch (e) {
      if (e instanceof AwsError) return this.send(res, renderError(e, ctx.requestId));
      // A sandbox bug: answer in the service's own error format so the client reports it clearly.
      const msg = e instanceof Error ? e.message : String(e);
      return this.send(res, renderError(new AwsError('InternalFailure', `sandbox internal error in ${key}: ${msg}`, 500, 'Receiver'), ctx.requestId));
    }
  }

  private async accessAnalyzer(method: string, url: URL, body: string, res: ServerResponse): Promise<void> {
    const route = ACCESS_ANALYZER_ROUTES.find((r) => r.method === method && r.path === url.pathname);
    const requestId = randomUUID();
    if (!route) return this.send(res, jsonError(new AwsError('UnknownOperationException', `No operation at ${method} ${url.pathname}`, 404), requestId));
    await this.run(
      'access-analyzer', route.action, res, (r: unknown, rid: string) => jsonResult(200, r, rid), (e, rid) => jsonError(e, rid),
      (ctx) => {
        let input: unknown;
        try {
          input = body ? JSON.parse(body) : {};
        } catch {
          throw new AwsError('ValidationException', 'Request body is not valid JSON', 400);
        }
        return route.handler(ctx, input, url.searchParams);
      },
    );
  }

  private control(method: string, path: string, body: string, res: ServerResponse): void {
    const json = (status: number, v: unknown) => this.send(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(v) });
    if (method === 'GET' && path === '/_sandbox/stats') return json(200, this.getStats());
    if (method === 'POST' && path === '/_sandbox/reset') {
      let statsOnly = false;
      try {
        statsOnly = body ? (JSON.parse(body) as { statsOnly?: boolean }).statsOnly === true : false;
      } catch {
        return json(400, { error: 'body must be JSON, e.g. {"statsOnly": true}' });
      }
      this.resetStats();
      if (!statsOnly) this.resetState();
      return json(200, { ok: true, statsOnly });
    }
    if (path === '/_sandbox/access-analyzer/findings') {
      if (method === 'DELETE') {
        this.state.findings = [];
        this.persist();
        return json(200, { ok: true });
      }
      if (method === 'POST') {
        try {
          const n = registerFindings(this.state, JSON.parse(body) as unknown);
          this.persist();
          return json(200, { ok: true, registered: n });
        } catch (e) {
          return json(400, { error: (e as Error).message });
        }
      }
    }
    if (method === 'GET' && path === '/_sandbox/state') return json(200, this.state);
    return json(404, { error: `no sandbox control endpoint ${method} ${path}` });
  }
}

function throttleError(service: Service): AwsError {
  if (service === 'ec2') return new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
  if (service === 'access-analyzer') return new AwsError('ThrottlingException', 'Rate exceeded', 429);
  return new AwsError('Throttling', 'Rate exceeded', 400);
}

function internalError(service: Service): AwsError {
  if (service === 'ec2') return new AwsError('InternalError', 'An internal error has occurred', 500, 'Receiver');
  if (service === 'access-analyzer') return new AwsError('InternalServerException', 'Internal server error', 500, 'Receiver');
  return new AwsError(service === 'iam' ? 'ServiceFailure' : 'InternalFailure', 'An internal error occurred (injected by the sandbox).', 500, 'Receiver');
}

function accessDenied(service: Service, key: string, account: string): AwsError {
  if (service === 'ec2') return new AwsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);
  if (service === 'access-analyzer') return new AwsError('AccessDeniedException', `User: arn:aws:iam::${account}:user/sandbox is not authorized to perform: ${key}`, 403);
  return new AwsError('AccessDenied', `User: arn:aws:iam::${account}:user/sandbox is not authorized to perform: ${key} on resource: * because no identity-based policy allows the ${key} action`, 403);
}
