/**
 * `charter graph`: trust edges say what they admit (ExternalId, MFA, OIDC aud/sub, one fact per
 * line); labels are escaped for Mermaid and Graphviz; a graph over Mermaid's limits (500 edges,
 * 50,000 characters) is split per service, and a service still too large is named with a pointer
 * at --format dot.
 */
import { describe, expect, it } from 'vitest';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { dotLabel, mermaidLabel, renderGraph, MERMAID_MAX_CHARS, MERMAID_MAX_EDGES } from '../src/compiler/graph.js';
import type { Bundle } from '../src/compiler/types.js';

const bundle = async (f: string) => compileSpec(loadSpecFile(f));

describe('trust edges show what they admit', () => {
  it('ExternalId and MFA; OIDC audience and each subject on its own line', async () => {
    const ml = renderGraph(await bundle('fixtures/ml-research.yaml'), 'mermaid').text;
    expect(ml).toContain('-->|"sts:AssumeRole<br/>MFA required<br/>ExternalId required"|');
    const gh = renderGraph(await bundle('fixtures/github-actions-deploy.yaml'), 'mermaid').text;
    expect(gh).toContain('|"sts:AssumeRoleWithWebIdentity<br/>aud: sts.amazonaws.com<br/>sub: repo:example-org/web:environment:production<br/>sub: repo:example-org/web:ref:refs/heads/main"|');
    const dot = renderGraph(await bundle('fixtures/github-actions-deploy.yaml'), 'dot').text;
    expect(dot).toContain('[label="sts:AssumeRoleWithWebIdentity\\naud: sts.amazonaws.com\\nsub: repo:example-org/web:environment:production\\nsub: repo:example-org/web:ref:refs/heads/main", fontsize=8]');
  });
});

describe('labels are escaped', () => {
  it('mermaid: quotes, #, <, >, |, backticks become entity codes; newlines cannot break the line', () => {
    expect(mermaidLabel('a "b" #1 <x> | `c`\nd')).toBe('"a #quot;b#quot; #35;1 #lt;x#gt; #124; #96;c#96; d"');
    expect(mermaidLabel(['one', 'two'])).toBe('"one<br/>two"');
  });
  it('dot: backslashes and quotes escaped, lines as \\n', () => {
    expect(dotLabel('a\\b "c"')).toBe('"a\\\\b \\"c\\""');
    expect(dotLabel(['x', 'y\nz'])).toBe('"x\\ny z"');
  });
});

/** A bundle with `n` copies of a role (its own service each), for size tests. */
function widen(b: Bundle, n: number): Bundle {
  const r = b.roles[0]!;
  const roles = Array.from({ length: n }, (_x, i) => ({ ...r, service: `svc${i}`, address: `role.svc${i}`, name: `role-${i}` }));
  return { ...b, roles, instanceProfiles: [], launches: [] };
}

describe("Mermaid's limits", () => {
  it('a small graph is one flowchart', async () => {
    const g = renderGraph(await bundle('fixtures/ml-research.yaml'), 'mermaid');
    expect(g.notes).toEqual([]);
    expect(g.text.startsWith('flowchart LR\n')).toBe(true);
  });

  it('over 500 edges: one diagram per service, each within the limits, and a note', async () => {
    const b = widen(await bundle('fixtures/ml-research.yaml'), 600);
    const g = renderGraph(b, 'mermaid');
    expect(g.notes).toHaveLength(1);
    expect(g.notes[0]).toMatch(/over Mermaid's limits \(500 edges, 50000 characters\): one diagram per service; --format dot draws it whole/);
    const blocks = [...g.text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(600);
    for (const d of blocks) {
      expect(d.length).toBeLessThanOrEqual(MERMAID_MAX_CHARS);
      expect((d.match(/-->/g) ?? []).length).toBeLessThanOrEqual(MERMAID_MAX_EDGES);
    }
    expect(g.text).toContain('### service svc599\n');
    // dot has no such limit: one graph.
    const dot = renderGraph(b, 'dot');
    expect(dot.notes).toEqual([]);
    expect((dot.text.match(/ -> /g) ?? []).length).toBeGreaterThan(MERMAID_MAX_EDGES);
  });

  it('a service too large by itself is left out with a pointer at --format dot', async () => {
    const b = await bundle('fixtures/ml-research.yaml');
    const r = b.roles[0]!;
    const big = { ...r, managed: Array.from({ length: 600 }, (_x, i) => ({ kind: 'aws' as const, arn: `arn:aws:iam::aws:policy/P${i}`, pos: r.managed[0]?.pos ?? { file: 'x', line: 1, col: 1 } })) };
    const g = renderGraph({ ...b, roles: [big, ...b.roles.slice(1)] }, 'mermaid');
    expect(g.notes.some((n) => n.startsWith(`service ${r.service} alone has`) && n.endsWith('use --format dot'))).toBe(true);
    expect(g.text).toContain(`### service ${r.service}\n\nToo large for Mermaid`);
    expect(g.text).toContain('```mermaid\n');
  });
});
