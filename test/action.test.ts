/**
 * The GitHub Action (action.yml + action/run.mjs) run locally with a fake GITHUB_* environment:
 * lint writes a valid SARIF file, annotations and the step summary; plan appends the markdown plan
 * to the step summary and keeps one pull-request comment up to date through a fake GitHub API;
 * --detailed-exitcode changes are not a failure. charter runs in process (the action's exec is
 * swapped for the in-process runner); the plan reaches a sandbox through AWS_ENDPOINT_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { runAction, COMMENT_MARKER } from '../action/run.mjs';
import { startSandbox } from '../src/sandbox/index.js';
import type { RunningSandbox } from '../src/sandbox/types.js';
import { charter, cleanEnv, ROOT } from './cli-support.js';

/** A fresh workspace with its GITHUB_* files. */
function workspace(extra: NodeJS.ProcessEnv = {}) {
  const ws = mkdtempSync(join(tmpdir(), 'charter-action-'));
  const env = cleanEnv({ GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: ws, GITHUB_STEP_SUMMARY: join(ws, '.summary.md'), GITHUB_OUTPUT: join(ws, '.output'), GITHUB_REPOSITORY: 'acme/infra', ...extra });
  writeFileSync(env.GITHUB_STEP_SUMMARY!, '');
  writeFileSync(env.GITHUB_OUTPUT!, '');
  const outputs = () => Object.fromEntries(readFileSync(env.GITHUB_OUTPUT!, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { ws, env, outputs };
}
const inProcess = (cwd: string) => (args: string[], env: NodeJS.ProcessEnv) => charter(args, { cwd, env });

describe('action.yml', () => {
  it('is a composite action whose step passes every input to action/run.mjs', () => {
    const a = load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; steps: Array<{ id?: string; uses?: string; run?: string; env?: Record<string, string> }> }; inputs: Record<string, unknown> };
    expect(a.runs.using).toBe('composite');
    const step = a.runs.steps.find((s) => s.id === 'charter')!;
    expect(step.run).toContain('action/run.mjs');
    const passed = Object.keys(step.env!).filter((k) => k.startsWith('INPUT_')).map((k) => k.slice(6).toLowerCase().replace(/_/g, '-'));
    for (const k of passed) expect(Object.keys(a.inputs)).toContain(k);
    for (const k of Object.keys(a.inputs).filter((k) => !['upload-sarif', 'role-to-assume', 'aws-region', 'node-version'].includes(k))) expect(passed).toContain(k);
    expect(a.runs.steps.map((s) => s.uses).filter(Boolean)).toEqual(['actions/setup-node@v4', 'aws-actions/configure-aws-credentials@v4', 'github/codeql-action/upload-sarif@v3']);
  });
});

describe('README', () => {
  it("the plan role's policy is what charter plan --print-required-policy prints", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /prints \(read-only\):\n\n```json\n([\s\S]*?)```/.exec(readme)?.[1];
    const r = await charter(['plan', '--print-required-policy']);
    expect(r.code).toBe(0);
    expect(JSON.parse(block!)).toEqual(JSON.parse(r.stdout));
  });
});

describe('lint', () => {
  it('writes the SARIF file, annotations and the step summary; findings fail the job at the last step', async () => {
    const { ws, env, outputs } = workspace({ INPUT_COMMAND: 'lint', INPUT_PATHS: 'policies', INPUT_SARIF_FILE: 'charter.sarif' });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(ws, 'policies'));
    copyFileSync(join(ROOT, 'test/fixtures/lint/star-star.json'), join(ws, 'policies', 'star-star.json'));
    let printed = '';
    const r = await runAction(env, inProcess(ws), () => {}, (s) => (printed += s));
    expect(r).toEqual({ code: 1, failed: true });
    const sarif = JSON.parse(readFileSync(join(ws, 'charter.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
    expect(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('policies/star-star.json');
    expect(printed).toMatch(/^::error file=policies\/star-star\.json,line=\d+/);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).toContain('| error | wildcard-action | policies/star-star.json:');
    expect(outputs()).toEqual({ 'sarif-file': 'charter.sarif', 'exit-code': '1', failed: 'true' });
  });

  it('empty paths is an error annotation, not a crash', async () => {
    const { env, outputs } = workspace({ INPUT_COMMAND: 'lint', INPUT_PATHS: ' ' });
    let logged = '';
    expect(await runAction(env, inProcess(env.GITHUB_WORKSPACE!), (s) => (logged += s), () => {})).toEqual({ code: 2, failed: true });
    expect(logged).toMatch(/^::error title=charter::the paths input is empty/);
    expect(outputs().failed).toBe('true');
  });
});

describe('plan', () => {
  let sb: RunningSandbox;
  let api: Server;
  let apiUrl = '';
  const comments: Array<{ id: number; body: string }> = [];
  const requests: string[] = [];
  beforeAll(async () => {
    sb = await startSandbox({ region: 'us-east-1', accountId: '123456789012' });
    // A fake GitHub REST API: list, create and update issue comments.
    api = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push(`${req.method} ${req.url?.replace(/\?.*/, '')} ${req.headers.authorization}`);
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET' && /^\/repos\/acme\/infra\/issues\/7\/comments/.test(req.url!)) return res.end(JSON.stringify([{ id: 1, body: 'unrelated' }, ...comments]));
        if (req.method === 'POST' && req.url === '/repos/acme/infra/issues/7/comments') {
          const c = { id: 100 + comments.length, body: (JSON.parse(body) as { body: string }).body };
          comments.push(c);
          res.statusCode = 201;
          return res.end(JSON.stringify(c));
        }
        const m = /^\/repos\/acme\/infra\/issues\/comments\/(\d+)$/.exec(req.url!);
        if (req.method === 'PATCH' && m) {
          const c = comments.find((x) => x.id === Number(m[1]))!;
          c.body = (JSON.parse(body) as { body: string }).body;
          return res.end(JSON.stringify(c));
        }
        res.statusCode = 404;
        res.end('{}');
      });
    });
    await new Promise<void>((ok) => api.listen(0, '127.0.0.1', ok));
    apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await sb.stop();
    await new Promise((ok) => api.close(ok));
  });

  it('markdown plan to the step summary and one PR comment, updated on the next run; detailed-exitcode changes do not fail', async () => {
    const run = async () => {
      const { ws, env, outputs } = workspace({
        INPUT_COMMAND: 'plan', INPUT_PATHS: 'spec.yaml', INPUT_DETAILED_EXITCODE: 'true', INPUT_FAIL_ON_BROADENING: 'false', INPUT_GITHUB_TOKEN: 'ghs_test',
        GITHUB_API_URL: apiUrl, AWS_ENDPOINT_URL: sb.endpoint, AWS_ACCESS_KEY_ID: 'AKIAOIDCSESSION00001', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1',
      });
      copyFileSync(join(ROOT, 'fixtures/spawn-web-server.yaml'), join(ws, 'spec.yaml'));
      writeFileSync(join(ws, '.event.json'), JSON.stringify({ pull_request: { number: 7 } }));
      env.GITHUB_EVENT_PATH = join(ws, '.event.json');
      let logged = '';
      const r = await runAction(env, inProcess(ws), (s) => (logged += s), () => {});
      return { r, logged, summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'), outputs: outputs() };
    };
    const first = await run();
    expect(first.logged).not.toContain('::warning');
    expect(first.r).toEqual({ code: 2, failed: false });
    expect(first.outputs).toMatchObject({ changes: 'true', comment: 'created', 'exit-code': '2', failed: 'false' });
    expect(first.summary).toMatch(/create/i);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(comments[0]!.body.slice(COMMENT_MARKER.length + 1)).toBe(first.summary);
    const second = await run();
    expect(second.outputs.comment).toBe('updated');
    expect(comments).toHaveLength(1);
    expect(requests.every((q) => q.endsWith('Bearer ghs_test'))).toBe(true);
    expect(requests.map((q) => q.split(' ').slice(0, 2).join(' '))).toEqual(['GET /repos/acme/infra/issues/7/comments', 'POST /repos/acme/infra/issues/7/comments', 'GET /repos/acme/infra/issues/7/comments', 'PATCH /repos/acme/infra/issues/comments/100']);
  });

  it('without detailed-exitcode a failed plan fails, and the summary says why', async () => {
    const { ws, env, outputs } = workspace({ INPUT_COMMAND: 'plan', INPUT_PATHS: 'missing.yaml' });
    const r = await runAction(env, inProcess(ws), () => {}, () => {});
    expect(r).toEqual({ code: 2, failed: true });
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).toMatch(/^\*\*charter plan failed\*\* \(exit 2\)/);
    expect(outputs().failed).toBe('true');
  });
});
