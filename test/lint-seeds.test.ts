/**
 * Measured acceptance: each seed document's bad example is caught, and every known privilege
 * escalation path (Rhino Security Labs' set and the pass-role combinations) is found, including
 * across two documents of one role and through wildcards.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../src/linter/engine.js';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { readPolicyFile } from '../src/linter/file-source.js';
import { ESCALATION_ACTIONS } from '../src/linter/rules/privesc-action.js';
import { PASS_ROLE_COMBOS } from '../src/linter/rules/privesc-pass-role.js';
import type { Finding } from '../src/linter/types.js';

const F = 'test/fixtures/lint';

async function lintFile(path: string): Promise<Finding[]> {
  return (await lint({ files: [readPolicyFile(path)] })).findings;
}

async function lintSpec(path: string): Promise<Finding[]> {
  const loaded = loadSpecFile(path);
  return (await lint({ specs: [{ loaded, bundle: await compileSpec(loaded) }] })).findings;
}

async function lintDoc(doc: unknown): Promise<Finding[]> {
  return (await lint({ files: [{ file: 'p.json', text: JSON.stringify(doc, null, 2) }] })).findings;
}

describe('seed bad examples', () => {
  it('hard-coded keys in user-data (seeds 001, 002): named by place and kind, never printed', async () => {
    const f = (await lintSpec(`${F}/seeds-agent.yaml`)).filter((x) => x.rule === 'secret-in-user-data');
    expect(f.map((x) => [x.file, x.line])).toEqual([
      [`${F}/seeds-agent.sh`, 3],
      [`${F}/seeds-agent.sh`, 4],
      [`${F}/seeds-agent.sh`, 6],
    ]);
    expect(f.map((x) => x.message).join('\n')).toMatch(/AWS access key id[\s\S]*AWS secret access key[\s\S]*API_KEY/);
    const all = JSON.stringify(f);
    for (const secret of ['AKIA6GBMW7QFGZXVVBN6', '4mQiit4tJjSl++WG9fq7Dcy0Wz0hSMNEEAmBjwEY', 'sk-abc123xyz789']) expect(all).not.toContain(secret);
    expect(f.every((x) => x.severity === 'error' && x.category === 'secrets')).toBe(true);
  });

  it('*:* (seed 001 "common mistakes") is a least-privilege error', async () => {
    const f = await lintFile(`${F}/star-star.json`);
    const w = f.find((x) => x.rule === 'wildcard-action')!;
    expect(w).toMatchObject({ severity: 'error', category: 'least-privilege', line: 6, column: 17 });
  });

  it('StringNotEquals with "*" (seed 003 mandatory-TTL guardrail) is a condition error at the key', async () => {
    const f = await lintFile(`${F}/ttl-guardrail.json`);
    const w = f.find((x) => x.rule === 'condition-wildcard-literal')!;
    expect(w).toMatchObject({ severity: 'error', category: 'condition', line: 11, column: 11 });
    expect(w.message).toContain('Deny applies to');
  });

  it('unconditioned CreateTags beside tag-conditioned TerminateInstances (seed 002) in a policy file', async () => {
    const f = await lintFile(`${F}/cml-worker.json`);
    const w = f.find((x) => x.rule === 'tag-condition-bypass')!;
    expect(w).toMatchObject({ severity: 'error', line: 17 });
    expect(w.message).toContain('ec2:CreateTags');
    expect(w.message).toContain('cml-worker.json:7');
  });

  it('the seeds\' agent role with CreateTags, in a spec: points at the condition line', async () => {
    const f = await lintSpec(`${F}/seeds-agent.yaml`);
    const w = f.find((x) => x.rule === 'tag-condition-bypass')!;
    expect(w).toMatchObject({ file: `${F}/seeds-agent.yaml`, line: 17, severity: 'error' });
    expect(w.message).toContain('spawn:managed');
  });

  it('the seed agent role as written (no CreateTags) is not a bypass', async () => {
    const f = await lintSpec('fixtures/mycelium-agent-role.yaml');
    expect(f.filter((x) => x.rule === 'tag-condition-bypass')).toEqual([]);
  });

  it('a clean spec has no findings', async () => {
    expect(await lintSpec(`${F}/clean.yaml`)).toEqual([]);
  });
});

describe('privilege escalation: no known path missed', () => {
  for (const [action] of ESCALATION_ACTIONS) {
    it(`${action} alone`, async () => {
      const f = await lintDoc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
      const p = f.filter((x) => x.rule === 'privesc-action');
      expect(p.length).toBe(1);
      expect(p[0]!.message).toContain(action);
      expect(p[0]!.severity).toBe('error');
    });
  }

  for (const combo of PASS_ROLE_COMBOS) {
    const actions = combo.needs.map((g) => g[0]!);
    it(`iam:PassRole + ${actions.join(' + ')}`, async () => {
      const f = await lintDoc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }, { Effect: 'Allow', Action: actions, Resource: '*' }] });
      const p = f.filter((x) => x.rule === 'privesc-pass-role');
      expect(p.length).toBe(1);
      expect(p[0]!.message).toContain(actions[0]!);
      // Without PassRole the same actions are no path.
      const g = await lintDoc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
      expect(g.filter((x) => x.rule === 'privesc-pass-role')).toEqual([]);
    });
  }

  it('through wildcards (iam:Put*, lambda:*)', async () => {
    const f = await lintDoc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Put*', 'iam:Pass*', 'lambda:*'], Resource: '*' }] });
    expect(f.filter((x) => x.rule === 'privesc-action').map((x) => x.message).join('\n')).toContain('iam:PutRolePolicy');
    expect(f.filter((x) => x.rule === 'privesc-pass-role').map((x) => x.message).join('\n')).toContain('lambda:CreateFunction');
  });

  it('over the union of a role\'s documents (inline statements + AWS managed policy known by name)', async () => {
    const loaded = loadSpecFile(`${F}/union.yaml`);
    const f = (await lint({ specs: [{ loaded, bundle: await compileSpec(loaded) }] })).findings;
    const p = f.filter((x) => x.rule === 'privesc-pass-role');
    expect(p.length).toBe(1);
    expect(p[0]!.message).toContain('ec2:RunInstances (AWS managed policy AmazonEC2FullAccess)');
    expect(p[0]!.line).toBe(10);
  });

  it('scoped PassRole is reported as a warning, and an iam:PassedToService for another service removes the path', async () => {
    const scoped = await lintDoc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/worker' }, { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' }] });
    expect(scoped.filter((x) => x.rule === 'privesc-pass-role').map((x) => x.severity)).toEqual(['warning']);
    const other = await lintDoc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } }, { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' }] });
    expect(other.filter((x) => x.rule === 'privesc-pass-role')).toEqual([]);
  });
});
