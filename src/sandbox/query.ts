/**
 * Form-encoded query parameters (awsQuery / ec2Query) as a tree: `Tags.member.1.Key=a` becomes
 * { Tags: { member: { "1": { Key: "a" } } } }. Helpers read strings, numbers, booleans and lists.
 */
export type QNode = string | { [k: string]: QNode };
export type QTree = { [k: string]: QNode };

/** Objects without a prototype: parameter names like `constructor` or `__proto__` are plain keys. */
const dict = (): QTree => Object.create(null) as QTree;

export function parseQuery(body: string): QTree {
  const root: QTree = dict();
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split('.');
    let node: QTree = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i]!;
      const next = node[p];
      if (next === undefined || typeof next === 'string') {
        const created: QTree = dict();
        node[p] = created;
        node = created;
      } else node = next;
    }
    const last = parts[parts.length - 1]!;
    if (typeof node[last] !== 'object') node[last] = value;
  }
  return root;
}

export function qStr(node: QNode | undefined, key: string): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const v = node[key];
  return typeof v === 'string' ? v : undefined;
}

export function qChild(node: QNode | undefined, key: string): QNode | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  return node[key];
}

/** Items of a 1-based indexed node, in index order. */
export function qIndexed(node: QNode | undefined): QNode[] {
  if (node === undefined || typeof node === 'string') return [];
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => (node as QTree)[k]!);
}

/** awsQuery list: `Key.member.N`. */
export function qMembers(node: QNode | undefined, key: string): QNode[] {
  return qIndexed(qChild(qChild(node, key), 'member'));
}

/** ec2Query list: `Key.N`. */
export function qItems(node: QNode | undefined, key: string): QNode[] {
  return qIndexed(qChild(node, key));
}

export function qStrings(items: QNode[]): string[] {
  return items.filter((i): i is string => typeof i === 'string');
}

/** Every leaf as `a.b.c=value`, sorted: a stable fingerprint of a request's parameters. */
export function flatten(node: QNode, prefix = ''): string[] {
  if (typeof node === 'string') return [`${prefix}=${node}`];
  const out: string[] = [];
  for (const k of Object.keys(node).sort()) out.push(...flatten(node[k]!, prefix ? `${prefix}.${k}` : k));
  return out;
}
