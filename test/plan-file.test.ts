/**
 * Saved plans and renderers: schema-valid JSON with format_version, atomic save, validated load
 * (positioned problems, tampering refused), no secrets, markdown under GitHub's limit. And the CLI
 * (in process, test/cli-support.ts, against a sandbox over HTTP): exit codes and --out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { compileText, sandbox, applyDirect } from './plan-helpers.js';
import { readLiveState } from '../src/aws/live-state.js';
import { plan, planId as planIdOf } from '../src/plan/plan.js';
import { statementRows } from '../src/plan/statements.js';
import { classifyDocuments } from '../src/plan/broadening.js';
import { readOptionsForBundle } from '../src/apply/plan-run.js';
import { loadPlan, parsePlan, planToJson, savePlan } from '../src/plan/plan-file.js';
import { MARKDOWN_LIMIT, renderMarkdown, renderText } from '../src/plan/plan-format.js';
import { InputError } from '../src/diagnostics.js';
import { requiredPlanPolicy, PLAN_READ_ACTIONS } from '../src/aws/required-policy.js';
import { lintRequiredPolicy } from '../src/cli/required-policy-check.js';
import type { Change, Plan, ResourceKind } from '../src/plan/types.js';
import { reasonText, type Reason, type ReasonCode } from '../src/plan/reasons.js';
import type { PolicyDocument } from '../src/policy/types.js';
import type { RunningSandbox } from '../src/sandbox/index.js';
import { charter, sandboxEnv } from './cli-support.js';


const spec = (extra = '') => `version: 1
name: filetest
prefix: charter
region: us-west-2
account: "123456789012"
services:
  app:
    statements:
      - actions: [s3:GetObject${extra}]
        resources: ["arn:aws:s3:::data/*"]
    trust: [ec2]
  ci:
    name: charter-filetest-ci
    statements:
      - actions: [sqs:SendMessage]
        resources: ["*"]
    trust: [lambda]
instances:
  job:
    service: app
    type: t3.micro
    image: ami-0123456789abcdef0
    count: 1
    userData: ./job.sh
`;
const JOB = '#!/bin/sh\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\necho start\n';

let sb: RunningSandbox;
let endpoint = '';
let planned: Plan;
const dir = mkdtempSync(join(tmpdir(), 'charter-planfile-'));

beforeAll(async () => {
  const s = await sandbox();
  sb = s.sb;
  endpoint = sb.endpoint;
  writeFileSync(join(dir, 'job.sh'), JOB);
  writeFileSync(join(dir, 'spec.yaml'), spec());
  const b = await compileText(spec(), join(dir, 'spec.yaml'));
  planned = await plan(b, await readLiveState(s.clients, readOptionsForBundle(b)), { prune: false, adopt: false });
});
afterAll(async () => {
  await sb.stop();
});

describe('plan file', () => {
  it('round-trips through save and load, with format_version and a content plan id', () => {
    const path = join(dir, 'sub', 'plan.json');
    savePlan(planned, path);
    const text = readFileSync(path, 'utf8');
    const raw = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(raw)[0]).toBe('format_version');
    expect(raw.format_version).toBe(5);
    expect(raw.planId).toMatch(/^[0-9a-f]{64}$/);
    expect(loadPlan(path)).toEqual(planned);
  });

  it('never holds a secret or the user-data', () => {
    const text = planToJson(planned);
    expect(text).not.toContain('wJalrXUtnFEMI');
    expect(text).not.toContain('echo start');
    expect(renderText(planned)).not.toContain('wJalrXUtnFEMI');
    expect(renderMarkdown(planned)).not.toContain('wJalrXUtnFEMI');
  });

  it('refuses an edited plan, a wrong format version and schema violations, with positions', () => {
    const text = planToJson(planned);
    const edited = text.replace('"action": "create"', '"action": "delete"');
    expect(() => parsePlan(edited, 'p.json')).toThrow(/edited after charter wrote it/);
    const v1 = text.replace('"format_version": 5', '"format_version": 1');
    expect(() => parsePlan(v1, 'p.json')).toThrow(/format_version 1 is not supported: it was written by an older charter/);
    const bad = text.replace('"kind": "role"', '"kind": "rolez"');
    try {
      parsePlan(bad, 'p.json');
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const p = (e as InputError).problems[0]!;
      expect(p.pos?.file).toBe('p.json');
      expect(p.pos?.line).toBeGreaterThan(1);
      expect(p.message).toMatch(/kind/);
    }
    expect(() => parsePlan('{"format_version": 1', 'p.json')).toThrow(InputError);
    // A fingerprint is re-read from its typed target: one without it is refused, not guessed from the key.
    const raw = JSON.parse(text) as { fingerprints: Array<Record<string, unknown>> };
    expect(raw.fingerprints.length).toBeGreaterThan(0);
    for (const f of raw.fingerprints) delete f.target;
    expect(() => parsePlan(JSON.stringify(raw, null, 2), 'p.json')).toThrow(/target/);
  });

  it('every fingerprint carries a typed target whose display form is its key', () => {
    expect(planned.fingerprints.length).toBeGreaterThan(0);
    for (const f of planned.fingerprints) {
      const t = f.target;
      expect(f.key).toBe(`${t.kind}:${t.kind === 'policy' ? t.arn : t.kind === 'instances' ? t.group : t.name}`);
    }
  });

  it('markdown: summary table, statement table with broadening marked, details; truncated under the limit', () => {
    const md = renderMarkdown(planned);
    expect(md).toContain('| create | update | replace | delete |');
    expect(md).toContain('#### IAM statement changes');
    expect(md).toMatch(/⚠️ ➕ \| role\.app/);
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    // A huge plan: many changes with long diffs.
    const big: Plan = { ...planned, changes: [] };
    for (let i = 0; i < 400; i++) big.changes.push({ address: `role.s${i}.inline.p`, kind: 'inline-policy', action: 'update', name: 'p', target: { roleName: `s${i}` }, reason: { code: 'changed', fields: ['policy-document'] }, diff: `--- a\n+++ b\n${'+ "s3:GetObject",\n'.repeat(40)}` });
    const out = renderMarkdown(big);
    expect(out.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(out).toMatch(/Truncated/);
    // Many statement changes: the table is capped and counts the rest.
    const wide: Plan = { ...planned, changes: [] };
    for (let i = 0; i < 200; i++) {
      const after = { roleName: `s${i}`, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: `s3:GetObject`, Resource: `arn:aws:s3:::b${i}/*` }] } };
      wide.changes.push({ address: `role.s${i}.inline.p`, kind: 'inline-policy', action: 'create', name: 'p', target: { roleName: `s${i}` }, reason: { code: 'not-in-aws' }, after, statements: statementRows({ after }) });
    }
    const w = renderMarkdown(wide);
    expect(w).toContain('… 50 more statement changes');
    expect(w.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
  });

  it('statement rows come from the planner: s3:* → s3:GetObject is narrowing, and no row of it is marked widening', () => {
    const before = { roleName: 'r', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }] } satisfies PolicyDocument };
    const after = { roleName: 'r', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] } satisfies PolicyDocument };
    expect(classifyDocuments(before.document, after.document).broadening).toBe('narrowing');
    const rows = statementRows({ before, after });
    expect(rows.map((r) => [r.sign, r.statement.Action, r.widens])).toEqual([
      ['-', 's3:*', false],
      ['+', 's3:GetObject', false],
    ]);
    // And back: the added s3:* widens, the removed GetObject does not.
    expect(statementRows({ before: after, after: before }).map((r) => [r.sign, r.widens])).toEqual([
      ['-', false],
      ['+', true],
    ]);
    // A removed Deny widens only when the new document no longer denies it.
    const deny = (a: string) => ({ Effect: 'Deny', Action: a, Resource: '*' });
    const allow = { Effect: 'Allow', Action: 's3:*', Resource: '*' };
    const doc = (...s: object[]) => ({ document: { Version: '2012-10-17', Statement: s } });
    expect(statementRows({ before: doc(allow, deny('s3:DeleteObject')), after: doc(allow) }).map((r) => r.widens)).toEqual([true]);
    expect(statementRows({ before: doc(allow, deny('s3:DeleteObject')), after: doc(allow, deny('s3:Delete*')) }).map((r) => [r.sign, r.widens])).toEqual([
      ['-', false],
      ['+', false],
    ]);
    const c: Change = { address: 'role.app.inline.p', kind: 'inline-policy', action: 'update', name: 'p', target: { roleName: 'r', roleAddress: 'role.app' }, reason: { code: 'changed', fields: ['policy-document'] }, before, after, broadening: 'narrowing', statements: rows };
    const md = renderMarkdown({ ...planned, changes: [c] });
    expect(md).toMatch(/\| ➕ \| role\.app\.inline\.p \|[^\n]*s3:GetObject/);
    expect(md).not.toContain('⚠️ ➕');
    // The saved plan carries the rows, and is valid against schemas/plan.schema.json (parsePlan validates).
    const withRows = { ...planned, changes: [...planned.changes, c] };
    const back = parsePlan(planToJson({ ...withRows, planId: planIdOf(withRows) }), 'p.json');
    expect(back.changes.at(-1)!.statements).toEqual(rows);
  });

  /** The problems parsePlan reports for a plan text it refuses (all messages, one per line). */
  const schemaProblems = (text: string): string => {
    try {
      parsePlan(text, 'p.json');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).problems.map((p) => p.message).join('\n');
    }
    throw new Error('the plan was accepted');
  };

  // One reason of every code with its parameters (a Record: a new code must be added here).
  const REASONS: Record<ReasonCode, Reason> = {
    'not-in-aws': { code: 'not-in-aws' },
    'up-to-date': { code: 'up-to-date' },
    exists: { code: 'exists' },
    attached: { code: 'attached' },
    destroy: { code: 'destroy' },
    conflict: { code: 'conflict', resource: 'role', name: 'charter-x', owner: { kind: 'other-spec', spec: 'other' } },
    adopted: { code: 'adopted', resource: 'role', owner: { kind: 'unmanaged', tag: 'charter:managed' }, fields: ['trust', 'hash-tag'], hashTag: 'charter:hash' },
    changed: { code: 'changed', fields: ['tags'], outsideCharter: true },
    'not-in-spec': { code: 'not-in-spec', what: 'attachment' },
    'role-recreated': { code: 'role-recreated' },
    'new-role': { code: 'new-role', role: 'charter-x' },
    'not-on-role': { code: 'not-on-role' },
    'path-changed': { code: 'path-changed', from: '/', to: '/svc/' },
    renamed: { code: 'renamed', naming: 'content', from: 'a', to: 'b' },
    'follows-role': { code: 'follows-role', roleAddress: 'role.app' },
    holds: { code: 'holds', role: 'r' },
    'holds-other': { code: 'holds-other', roles: ['a', 'b'], want: 'r' },
    'holds-none': { code: 'holds-none' },
    'new-profile': { code: 'new-profile' },
    'remove-from-profile': { code: 'remove-from-profile', role: 'r', profile: 'p' },
    orphan: { code: 'orphan', replacedBy: 'role.app', usedBy: ['i-1'], deleted: false },
    'orphan-group': { code: 'orphan-group', running: 2, terminate: true },
    launch: { code: 'launch', count: 2, retagged: 1 },
    relaunch: { code: 'relaunch', ended: [{ instanceId: 'i-1', state: 'terminated' }], running: 1, desired: 2, launching: 1 },
    'config-changed': { code: 'config-changed', older: 2, launching: 2 },
    'scale-up': { code: 'scale-up', running: 1, desired: 3, keptOlder: 1, launching: 2 },
    running: { code: 'running', running: 2, desired: 2, keptOlder: 0 },
    retag: { code: 'retag', instances: 2 },
    terminate: { code: 'terminate', beyondCount: { instances: 1, count: 2 }, replaced: { instances: 2, afterLaunch: true } },
  };
  const withReason = (reason: unknown): string => {
    const c = { address: 'role.app', kind: 'role', action: 'no-op', name: 'charter-x', target: { roleName: 'charter-x' }, reason } as Change;
    const p = { ...planned, changes: [c] };
    return planToJson({ ...p, planId: planIdOf(p) });
  };

  it.each(Object.entries(REASONS))('reason %s: valid against the schema, rendered in words by reasonText', (code, reason) => {
    expect(parsePlan(withReason(reason), 'p.json').changes[0]!.reason).toEqual(reason);
    const words = reasonText(reason);
    expect(words.length).toBeGreaterThan(3);
    expect(words).not.toMatch(/undefined|\[object/);
    expect(words.startsWith('changed outside charter: ')).toBe(reason.outsideCharter === true);
    expect(code).toBe(reason.code);
  });

  it.each([
    ['a reason as prose (format 3)', 'not in AWS', /reason must be object/],
    ['an unknown code', { code: 'gone' }, /reason\/code must be equal to one of the allowed values/],
    ['a missing parameter', { code: 'conflict', resource: 'role', name: 'x' }, /reason must have required property 'owner'/],
    ['a parameter of the wrong type', { code: 'changed', fields: 'tags' }, /reason\/fields must be array/],
    ['a parameter of another code', { code: 'exists', role: 'r' }, /reason must NOT have additional properties "role"/],
    ['a changed field in prose', { code: 'changed', fields: ['trust policy'] }, /reason\/fields\/0 must be equal to one of the allowed values/],
    ['a wrong owner', { code: 'conflict', resource: 'role', name: 'x', owner: { kind: 'other-spec' } }, /reason\/owner/],
  ])('reason: %s is refused by the schema', (_what, reason, message) => {
    expect(schemaProblems(withReason(reason))).toMatch(message);
  });

  // One change of every kind, its target and before/after as the planner writes them (a Record: a new kind must be added here).
  const DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
  const KINDS: Record<ResourceKind, Change> = {
    role: { address: 'orphan.role.r', kind: 'role', action: 'delete', name: 'r', target: { roleName: 'r' }, reason: { code: 'orphan', deleted: true }, before: { name: 'r', path: '/', description: null, maxSessionDuration: 3600, permissionsBoundary: null, trust: DOC, tags: {}, inline: { p: DOC }, attached: [] } },
    'managed-policy': { address: 'orphan.policy.p', kind: 'managed-policy', action: 'delete', name: 'p', target: { policyArn: 'arn:aws:iam::123456789012:policy/p' }, reason: { code: 'orphan', deleted: true }, before: { arn: 'arn:aws:iam::123456789012:policy/p', document: DOC } },
    'inline-policy': { address: 'role.app.inline.p', kind: 'inline-policy', action: 'update', name: 'p', target: { roleName: 'r', roleAddress: 'role.app' }, reason: { code: 'changed', fields: ['policy-document'] }, before: { roleName: 'r', document: DOC }, after: { roleName: 'r', document: DOC } },
    'policy-attachment': { address: 'role.app.attachment.arn:aws:iam::aws:policy/ReadOnlyAccess', kind: 'policy-attachment', action: 'delete', name: 'arn:aws:iam::aws:policy/ReadOnlyAccess', target: { roleName: 'r', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, reason: { code: 'not-in-spec', what: 'attachment' }, before: { roleName: 'r', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
    'instance-profile': { address: 'profile.app', kind: 'instance-profile', action: 'update', name: 'p', target: { profileName: 'p', profileAddress: 'profile.app' }, reason: { code: 'changed', fields: ['tags'] }, before: { name: 'p', roles: ['r'], tags: {} }, after: { name: 'p', roles: ['r'], tags: { a: 'b' } } },
    'role-in-profile': { address: 'profile.app.role', kind: 'role-in-profile', action: 'update', name: 'p', target: { profileName: 'p', roleName: 'r' }, reason: { code: 'holds-other', roles: ['x'], want: 'r' }, before: { profile: 'p', role: 'x' }, after: { profile: 'p', role: 'r' } },
    instances: { address: 'orphan.instances.g', kind: 'instances', action: 'delete', name: 'g', target: { group: 'g' }, reason: { code: 'orphan-group', running: 1, terminate: true }, before: { instances: ['i-1'] }, terminate: ['i-1'] },
  };
  const withChange = (c: unknown): string => {
    const p = { ...planned, changes: [c as Change] };
    return planToJson({ ...p, planId: planIdOf(p) });
  };

  it('the planner writes every kind but managed-policy for this spec, each with its target', () => {
    const kinds = new Set(planned.changes.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['inline-policy', 'instance-profile', 'instances', 'role', 'role-in-profile']);
    for (const c of planned.changes) expect(Object.keys(c.target).length, c.address).toBeGreaterThan(0);
  });

  it.each(Object.entries(KINDS))('kind %s: its shape is valid against the schema', (kind, c) => {
    expect(parsePlan(withChange(c), 'p.json').changes[0]).toEqual(c);
    expect(c.kind).toBe(kind);
  });

  const without = <T extends object>(o: T, k: string): T => Object.fromEntries(Object.entries(o).filter(([x]) => x !== k)) as T;
  it.each([
    ['a change without a target', without(KINDS.role, 'target'), /must have required property 'target'/],
    ['a role without its role name', { ...KINDS.role, target: { roleAddress: 'role.app' } }, /target must have required property 'roleName'/],
    ['an attachment without its policy ARN', { ...KINDS['policy-attachment'], target: { roleName: 'r' } }, /target must have required property 'policyArn'/],
    ['a profile without its name', { ...KINDS['instance-profile'], target: { profileAddress: 'profile.app' } }, /target must have required property 'profileName'/],
    ['instances without their group', { ...KINDS.instances, target: {} }, /target must have required property 'group'/],
    ['an inline policy whose before is a bare document', { ...KINDS['inline-policy'], before: DOC }, /before must have required property 'roleName'/],
    ['a role-in-profile with a profile-shaped after', { ...KINDS['role-in-profile'], after: { name: 'p', roles: ['r'] } }, /after must have required property 'profile'/],
    ['a role change that terminates instances', { ...KINDS.role, terminate: ['i-1'] }, /must NOT be valid/],
    ['an instances change with an after', { ...KINDS.instances, after: { instances: [] } }, /after/],
  ])('kind: %s is refused by the schema', (_what, c, message) => {
    expect(schemaProblems(withChange(c))).toMatch(message);
  });

  it('text: no colour codes unless asked', () => {
    expect(renderText(planned)).not.toMatch(/\u001b\[/);
    expect(renderText(planned, { color: true })).toMatch(/\u001b\[/);
  });

  it('text and markdown render the detail lines; colour follows the planner\'s direction, not the sign', () => {
    const i = planned.changes.findIndex((c) => c.action !== 'no-op' && c.kind === 'role');
    const details = [
      { sign: '+', text: 'Deny s3:DeleteObject on *', direction: 'narrows' },
      { sign: '-', text: 'Allow sqs:SendMessage on *', direction: 'narrows' },
      { sign: '-', text: 'permissions boundary arn:aws:iam::123456789012:policy/b', direction: 'widens' },
    ] as const;
    const p: Plan = { ...planned, changes: planned.changes.map((c, j) => (j === i ? { ...c, broadeningDetails: details.map((d) => ({ ...d })), broadeningMore: 3 } : c)) };
    const text = renderText(p, { color: true });
    expect(text).toContain('\u001b[32m+ Deny s3:DeleteObject on *\u001b[');
    expect(text).toContain('\u001b[32m- Allow sqs:SendMessage on *\u001b[');
    expect(text).toContain('\u001b[31m- permissions boundary arn:aws:iam::123456789012:policy/b\u001b[');
    expect(renderText(p)).toContain('... and 3 more');
    expect(renderMarkdown(p)).toMatch(/```\n\+ Deny s3:DeleteObject on \*\n- Allow sqs:SendMessage on \*\n- permissions boundary \S+\n\.\.\. and 3 more\n```/);
    // Valid against schemas/plan.schema.json (parsePlan validates), and kept as typed data.
    const back = parsePlan(planToJson({ ...p, planId: planIdOf(p) }), 'p.json');
    expect(back.changes[i]!.broadeningDetails).toEqual(details);
    expect(back.changes[i]!.broadeningMore).toBe(3);
  });
});

describe('required policy', () => {
  it('is canonical, read-only and passes charter lint without errors', async () => {
    const doc = requiredPlanPolicy();
    const actions = doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action!]));
    expect(actions.sort()).toEqual([...PLAN_READ_ACTIONS].sort());
    expect(actions.every((a) => /:(Get|List|Describe)/.test(a))).toBe(true);
    const findings = await lintRequiredPolicy();
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('charter plan (CLI over HTTP to the sandbox)', () => {
  // The sandbox's dummy keys, as `charter sandbox serve` prints them: an --endpoint run needs credentials.
  const cli = (args: string[], env: Record<string, string> = {}) => charter(args, { cwd: dir, env: sandboxEnv(env) });

  it('--detailed-exitcode: 2 with changes, 0 without; --out saves a loadable plan', async () => {
    const specPath = join(dir, 'spec.yaml');
    const r = await cli(['plan', specPath, '--endpoint', endpoint, '--detailed-exitcode', '--out', 'out/plan.json']);
    expect(r.stderr).toMatch(/saved plan/);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('create');
    const saved = loadPlan(join(dir, 'out/plan.json'));
    expect(saved.summary.create).toBeGreaterThan(0);

    const s2 = await sandbox();
    try {
      const b = await compileText(spec(), join(dir, 'spec.yaml'));
      await applyDirect(await s2.clients.iam(), await s2.clients.ec2(), b);
      const same = await cli(['diff', specPath, '--endpoint', s2.sb.endpoint, '--detailed-exitcode', '--format', 'json']);
      expect(same.code).toBe(0);
      expect(JSON.parse(same.stdout).summary.create).toBe(0);
      writeFileSync(join(dir, 'wider.yaml'), spec(', s3:PutObject'));
      const wider = await cli(['plan', join(dir, 'wider.yaml'), '--endpoint', s2.sb.endpoint, '--fail-on-broadening']);
      expect(wider.code).toBe(1);
      expect(wider.stderr).toMatch(/broaden access/);
    } finally {
      await s2.sb.stop();
    }
  });

  it('a conflict stops the plan with exit 1, a clear message, and no saved plan', async () => {
    const s3 = await sandbox();
    try {
      await (await s3.clients.iam()).send(new CreateRoleCommand({ RoleName: 'charter-filetest-ci', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
      const specPath = join(dir, 'spec.yaml');
      const r = await cli(['plan', specPath, '--endpoint', s3.sb.endpoint, '--out', 'conflict.json']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/the plan stops: 1 resource .*charter-filetest-ci|role\.ci/s);
      expect(r.stderr).toMatch(/--adopt/);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
      expect(existsSync(join(dir, 'conflict.json'))).toBe(false);
    } finally {
      await s3.sb.stop();
    }
  });

  it('GetAccountAuthorizationDetails and ListRoles both denied: names the action, the principal and the policy that suffices', async () => {
    const s4 = await sandbox({ deny: ['iam:GetAccountAuthorizationDetails', 'iam:ListRoles'] });
    try {
      const r = await cli(['plan', join(dir, 'spec.yaml'), '--endpoint', s4.sb.endpoint]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/access denied: arn:aws:[^ ]+ may not call iam:ListRoles/);
      expect(r.stderr).toMatch(/--print-required-policy/);
    } finally {
      await s4.sb.stop();
    }
  });

  it('apply of a plan saved by an older charter (format 3) is refused: exit 2, one positioned line, re-plan', async () => {
    const old = planToJson(planned).replace('"format_version": 5', '"format_version": 3');
    writeFileSync(join(dir, 'old-plan.json'), old);
    const r = await cli(['apply', 'old-plan.json', '--endpoint', endpoint]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/old-plan\.json:2:\d+ +plan format_version 3 is not supported: it was written by an older charter \(this one reads 5\) +\(re-plan with this version of charter: charter plan SPEC --out PLAN\.json\)/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('a spec for another account is refused (exit 1) and names both accounts', async () => {
    writeFileSync(join(dir, 'other-account.yaml'), spec().replace('123456789012', '111122223333'));
    const r = await cli(['plan', join(dir, 'other-account.yaml'), '--endpoint', endpoint]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is for account 111122223333, but the credentials .* are for account 123456789012/);
  });

  it('DescribeInstances denied: the error names the EC2 action', async () => {
    const s5 = await sandbox({ deny: ['ec2:DescribeInstances'] });
    try {
      const r = await cli(['plan', join(dir, 'spec.yaml'), '--endpoint', s5.sb.endpoint]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/access denied: arn:aws:\S+ may not call ec2:DescribeInstances/);
    } finally {
      await s5.sb.stop();
    }
  });

  it('AWS_ENDPOINT_URL reaches the sandbox like --endpoint; a malformed one is bad input (exit 2)', async () => {
    const r = await cli(['plan', join(dir, 'spec.yaml'), '--format', 'json'], { AWS_ENDPOINT_URL: endpoint });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).planId).toBe(planned.planId);
    const bad = await cli(['plan', join(dir, 'spec.yaml')], { AWS_ENDPOINT_URL: 'not a url' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/AWS_ENDPOINT_URL "not a url" is not an http\(s\) URL/);
  });

  it('--print-required-policy prints the policy; a missing spec is a usage error', async () => {
    const r = await cli(['plan', '--print-required-policy']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).Statement[0].Action).toContain('iam:GetAccountAuthorizationDetails');
    const u = await cli(['plan']);
    expect(u.code).toBe(2);
  });
});
