/**
 * `charter graph`: the bundle as a graph of trust principals → roles → managed policies, and
 * instance groups → instance profiles → roles. Mermaid (for Markdown) or Graphviz dot.
 */
import { asList } from '../policy/canonical.js';
import type { Bundle } from './types.js';

export type GraphFormat = 'mermaid' | 'dot';

interface Node {
  id: string;
  label: string;
  kind: 'principal' | 'role' | 'policy' | 'customer' | 'launch' | 'profile';
}

interface Edge {
  from: string;
  to: string;
  label?: string;
}

function graphOf(b: Bundle): { nodes: Node[]; edges: Edge[] } {
  const nodes = new Map<string, Node>();
  const edges: Edge[] = [];
  const seenEdges = new Set<string>();
  const ids = new Map<string, string>();
  const id = (key: string) => {
    let v = ids.get(key);
    if (!v) {
      v = `n${ids.size}`;
      ids.set(key, v);
    }
    return v;
  };
  const node = (key: string, label: string, kind: Node['kind']) => {
    const nid = id(key);
    if (!nodes.has(nid)) nodes.set(nid, { id: nid, label, kind });
    return nid;
  };
  const edge = (from: string, to: string, label?: string) => {
    const k = `${from}>${to}>${label ?? ''}`;
    if (seenEdges.has(k)) return;
    seenEdges.add(k);
    edges.push(label ? { from, to, label } : { from, to });
  };
  for (const r of b.roles) {
    const rid = node(r.address, `role ${r.name}`, 'role');
    for (const s of r.trust.document.Statement) {
      const p = s.Principal;
      if (!p) continue;
      const entries = p === '*' ? [['*', '*'] as const] : Object.entries(p).flatMap(([k, v]) => asList(v).map((x) => [k, x] as const));
      const conds = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c)).sort();
      for (const [kind, value] of entries) {
        const pid = node(`principal:${kind}:${value}`, kind === 'Service' || kind === '*' ? value : `${kind} ${value}`, 'principal');
        edge(pid, rid, [asList(s.Action).join(', '), ...conds].filter(Boolean).join(' | '));
      }
    }
    for (const m of r.managed) {
      if (m.kind === 'aws') edge(rid, node(`policy:${m.arn}`, m.arn.replace(/^arn:[^:]+:iam::/, ''), 'policy'));
      else {
        const mp = b.managedPolicies.find((x) => x.address === m.policyAddress);
        edge(rid, node(`policy:${m.arn}`, `policy ${mp?.name ?? m.arn}${mp ? ` (${mp.size} chars)` : ''}`, 'customer'));
      }
    }
  }
  for (const p of b.instanceProfiles) edge(node(p.address, `instance profile ${p.name}`, 'profile'), id(p.roleAddress));
  for (const l of b.launches) {
    const type = typeof l.runInstances['InstanceType'] === 'string' ? ` ${l.runInstances['InstanceType']}` : '';
    const lid = node(l.address, `instances ${l.group} x${l.count}${type}`, 'launch');
    edge(lid, node(`profile.${l.service}`, `instance profile ${l.instanceProfileName}`, 'profile'));
  }
  return { nodes: [...nodes.values()], edges };
}

function mermaidLabel(s: string): string {
  return '"' + s.replace(/"/g, '#quot;') + '"';
}

function dotLabel(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

export function formatGraph(b: Bundle, format: GraphFormat): string {
  const { nodes, edges } = graphOf(b);
  const lines: string[] = [];
  if (format === 'mermaid') {
    lines.push('flowchart LR');
    const shape: Record<Node['kind'], [string, string]> = {
      principal: ['([', '])'],
      role: ['[', ']'],
      policy: ['[[', ']]'],
      customer: ['[[', ']]'],
      launch: ['{{', '}}'],
      profile: ['[/', '/]'],
    };
    for (const n of nodes) lines.push(`  ${n.id}${shape[n.kind][0]}${mermaidLabel(n.label)}${shape[n.kind][1]}`);
    for (const e of edges) lines.push(e.label ? `  ${e.from} -->|${mermaidLabel(e.label)}| ${e.to}` : `  ${e.from} --> ${e.to}`);
  } else {
    lines.push(`digraph ${dotLabel(b.specName)} {`, '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];');
    const shape: Record<Node['kind'], string> = { principal: 'ellipse', role: 'box', policy: 'note', customer: 'note', launch: 'hexagon', profile: 'parallelogram' };
    for (const n of nodes) lines.push(`  ${n.id} [label=${dotLabel(n.label)}, shape=${shape[n.kind]}];`);
    for (const e of edges) lines.push(`  ${e.from} -> ${e.to}${e.label ? ` [label=${dotLabel(e.label)}, fontsize=8]` : ''};`);
    lines.push('}');
  }
  return lines.join('\n') + '\n';
}
