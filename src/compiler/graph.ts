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
  /** Label lines (rendered one per line). */
  label?: string[];
}

/** Mermaid's defaults: a diagram with more edges or characters is not rendered. */
export const MERMAID_MAX_EDGES = 500;
export const MERMAID_MAX_CHARS = 50_000;

type Statement = Bundle['roles'][number]['trust']['document']['Statement'][number];

/**
 * What a trust statement admits, as label lines: the actions, then "ExternalId required", "MFA
 * required", one "sub: …" line per OIDC subject and "aud: …" per audience, then any other
 * condition as "key (operator)". From the condition data, one fact per line.
 */
export function trustAdmits(s: Statement): string[] {
  const lines = [asList(s.Action).join(', ')];
  const subs: string[] = [];
  const auds: string[] = [];
  const other: string[] = [];
  for (const [op, block] of Object.entries(s.Condition ?? {})) {
    for (const [key, raw] of Object.entries(block)) {
      const values = asList(raw as string | string[]).map(String);
      const k = key.toLowerCase();
      if (k === 'sts:externalid' && /^StringEquals$/.test(op)) lines.push('ExternalId required');
      else if (k === 'aws:multifactorauthpresent' && op === 'Bool' && values.every((v) => v.toLowerCase() === 'true')) lines.push('MFA required');
      else if (k.endsWith(':sub') && /^String(Equals|Like)$/.test(op)) subs.push(...values);
      else if (k.endsWith(':aud') && /^String(Equals|Like)$/.test(op)) auds.push(...values);
      else other.push(`${key} (${op})`);
    }
  }
  return [...lines, ...auds.sort().map((a) => `aud: ${a}`), ...subs.sort().map((v) => `sub: ${v}`), ...other.sort()];
}

function graphOf(b: Bundle, roles: Bundle['roles'] = b.roles): { nodes: Node[]; edges: Edge[] } {
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
  const edge = (from: string, to: string, label?: string[]) => {
    const k = `${from}>${to}>${JSON.stringify(label ?? [])}`;
    if (seenEdges.has(k)) return;
    seenEdges.add(k);
    edges.push(label ? { from, to, label } : { from, to });
  };
  const services = new Set(roles.map((r) => r.service));
  for (const r of roles) {
    const rid = node(r.address, `role ${r.name}`, 'role');
    for (const s of r.trust.document.Statement) {
      const p = s.Principal;
      if (!p) continue;
      const entries = p === '*' ? [['*', '*'] as const] : Object.entries(p).flatMap(([k, v]) => asList(v).map((x) => [k, x] as const));
      for (const [kind, value] of entries) {
        const pid = node(`principal:${kind}:${value}`, kind === 'Service' || kind === '*' ? value : `${kind} ${value}`, 'principal');
        edge(pid, rid, trustAdmits(s));
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
  const roleAddresses = new Set(roles.map((r) => r.address));
  for (const p of b.instanceProfiles) if (roleAddresses.has(p.roleAddress)) edge(node(p.address, `instance profile ${p.name}`, 'profile'), id(p.roleAddress));
  for (const l of b.launches) {
    if (!services.has(l.service)) continue;
    const type = typeof l.runInstances['InstanceType'] === 'string' ? ` ${l.runInstances['InstanceType']}` : '';
    const lid = node(l.address, `instances ${l.group} x${l.count}${type}`, 'launch');
    edge(lid, node(`profile.${l.service}`, `instance profile ${l.instanceProfileName}`, 'profile'));
  }
  return { nodes: [...nodes.values()], edges };
}

/** A Mermaid label: quoted, with Mermaid's entity codes for what would end or change it; lines joined by <br/>. */
export function mermaidLabel(lines: string | string[]): string {
  const esc = (s: string) => s.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;').replace(/`/g, '#96;').replace(/\r?\n/g, ' ');
  return '"' + asList(lines).map(esc).join('<br/>') + '"';
}

/** A Graphviz label: quoted, backslashes and quotes escaped, lines joined by \n. */
export function dotLabel(lines: string | string[]): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, ' ');
  return '"' + asList(lines).map(esc).join('\\n') + '"';
}

function mermaid(g: { nodes: Node[]; edges: Edge[] }): string {
  const lines = ['flowchart LR'];
  const shape: Record<Node['kind'], [string, string]> = {
    principal: ['([', '])'],
    role: ['[', ']'],
    policy: ['[[', ']]'],
    customer: ['[[', ']]'],
    launch: ['{{', '}}'],
    profile: ['[/', '/]'],
  };
  for (const n of g.nodes) lines.push(`  ${n.id}${shape[n.kind][0]}${mermaidLabel(n.label)}${shape[n.kind][1]}`);
  for (const e of g.edges) lines.push(e.label ? `  ${e.from} -->|${mermaidLabel(e.label)}| ${e.to}` : `  ${e.from} --> ${e.to}`);
  return lines.join('\n') + '\n';
}

const fits = (text: string, edges: number) => edges <= MERMAID_MAX_EDGES && text.length <= MERMAID_MAX_CHARS;

export interface GraphOutput {
  text: string;
  /** What the reader should know: the picture was split, or a part is too large for Mermaid. */
  notes: string[];
}

/**
 * The graph. Mermaid refuses a diagram over 500 edges or 50,000 characters: such a graph is split
 * into one diagram per service (Markdown with a fenced block each); a service still too large is
 * left out with a note pointing at --format dot, which has no such limit.
 */
export function renderGraph(b: Bundle, format: GraphFormat): GraphOutput {
  const g = graphOf(b);
  if (format === 'dot') {
    const lines = [`digraph ${dotLabel(b.specName)} {`, '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];'];
    const shape: Record<Node['kind'], string> = { principal: 'ellipse', role: 'box', policy: 'note', customer: 'note', launch: 'hexagon', profile: 'parallelogram' };
    for (const n of g.nodes) lines.push(`  ${n.id} [label=${dotLabel(n.label)}, shape=${shape[n.kind]}];`);
    for (const e of g.edges) lines.push(`  ${e.from} -> ${e.to}${e.label ? ` [label=${dotLabel(e.label)}, fontsize=8]` : ''};`);
    lines.push('}');
    return { text: lines.join('\n') + '\n', notes: [] };
  }
  const whole = mermaid(g);
  if (fits(whole, g.edges.length)) return { text: whole, notes: [] };
  const notes = [`the graph has ${g.edges.length} edges and ${whole.length} characters, over Mermaid's limits (${MERMAID_MAX_EDGES} edges, ${MERMAID_MAX_CHARS} characters): one diagram per service; --format dot draws it whole`];
  const parts: string[] = [];
  for (const r of b.roles) {
    const sg = graphOf(b, [r]);
    const text = mermaid(sg);
    if (fits(text, sg.edges.length)) parts.push(`### service ${r.service}\n\n\`\`\`mermaid\n${text}\`\`\`\n`);
    else {
      notes.push(`service ${r.service} alone has ${sg.edges.length} edges and ${text.length} characters, too large for Mermaid: left out; use --format dot`);
      parts.push(`### service ${r.service}\n\nToo large for Mermaid (${sg.edges.length} edges, ${text.length} characters): \`charter graph SPEC --format dot\`.\n`);
    }
  }
  return { text: parts.join('\n'), notes };
}

export function formatGraph(b: Bundle, format: GraphFormat): string {
  return renderGraph(b, format).text;
}
