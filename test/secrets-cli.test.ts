/**
 * Issue 15: no secret reaches any output. Each secret kind (test/secret-kinds.ts) is planted in every
 * spec location that can hold it — user-data, the service description, a condition value, a policy
 * file (condition value and Sid), a statement Sid (lint reports those that are not alphanumeric), spec, service
 * and instance tag values and a tag key (where AWS takes the value: no newline, no `%`; a key also
 * readable through instance metadata) — then every
 * command and format runs in process against one shared sandbox over real HTTP: compile (text, json,
 * --out refused and allowed), lint (text, json, sarif, github with a step summary, --write-baseline;
 * the policy file alone in text and sarif),
 * plan (text, markdown, json, --out), diff, graph (mermaid, dot), lint --access-analyzer (json),
 * apply of the saved plan (text, the live view on a 50-column terminal), an apply AWS refuses (a tag value it cannot take), plans and an apply
 * (json, --debug) of a second generation, reap (dry run text, json) and destroy. Names cannot hold a
 * secret: the spec name, prefix, service, role and instance group names and an unknown key holding
 * it are refused by the loader, and a YAML syntax error on the secret's line — error paths run with
 * and without --debug in every lint format. No needle may appear in stdout, stderr or any file
 * written, except the compiled user-data meant for EC2.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CreateTagsCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { RunningSandbox } from '../src/sandbox/types.js';
import type { AwsClients } from '../src/aws/clients.js';
import { useSandbox } from './apply-support.js';
import { charter, sandboxEnv, type CliRun } from './cli-support.js';
import { SECRET_KINDS, type SecretKind } from './secret-kinds.js';

let sb: RunningSandbox;
let clients: AwsClients;
useSandbox((s) => ({ sb, clients } = s));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** What AWS accepts in a tag key or value (a newline or `%` is refused by IAM and EC2). */
const AWS_TAG_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** What IAM takes in a Sid. */
const SID_RE = /^[A-Za-z0-9]+$/;

/** What EC2 takes in a tag key read through instance metadata (the agent reads its deadline that way). */
const IMDS_TAG_KEY_RE = /^[A-Za-z0-9+\-=.,_:@]+$/;

/** Where a kind is planted in the spec that loads: everywhere a value can go (tags only where AWS takes it). */
function plantedLocations(v: string): Set<string> {
  return new Set([
    'user-data',
    'description',
    'condition value',
    'policy file condition value',
    ...(AWS_TAG_RE.test(v) ? ['spec tag value', 'service tag value', 'instance tag value'] : []),
    ...(IMDS_TAG_KEY_RE.test(v) ? ['tag key'] : []),
    // IAM (and the sandbox) take only alphanumeric Sids; lint's sid rule reports the others (sid.json,
    // and aws-refuses.yaml, whose apply fails).
    ...(SID_RE.test(v) ? ['Sid', 'policy file Sid'] : []),
  ]);
}

/** The spec with `v` in every planted location; `extraAction` changes the policy (a second generation). */
function plantedSpec(i: number, v: string, extraAction = false): string {
  const q = JSON.stringify(v);
  const at = plantedLocations(v);
  const tags = (more: string) => (at.has('spec tag value') ? `{ note: ${q}${more} }` : '{ note: none }');
  const tagKey = at.has('tag key') ? `, ${q}: planted` : '';
  return [
    'version: 1',
    `name: secrets-${i}`,
    'prefix: charter',
    'region: us-west-2',
    'account: "123456789012"',
    `tags: ${tags(tagKey)}`,
    'services:',
    '  web:',
    `    description: ${q}`,
    '    statements:',
    `      - sid: ${at.has('Sid') ? q : 'Planted'}\n        actions: [s3:GetObject${extraAction ? ', s3:GetObjectVersion' : ''}]`,
    `        resources: ["arn:aws:s3:::bucket-${i}/*"]`,
    `        conditions: { StringEquals: { "aws:PrincipalTag/note": ${q} } }`,
    '    policyFiles: [extra.json]',
    `    tags: ${tags('')}`,
    '    trust: [ec2]',
    'instances:',
    '  a:',
    '    service: web',
    '    type: t3.micro',
    '    image: ami-0123456789abcdef0',
    '    ttl: 1h',
    `    tags: ${tags('')}`,
    '    userDataScript: |',
    ...`echo start\n${v}\necho done`.split('\n').map((l) => `      ${l}`),
  ].join('\n') + '\n';
}

/** The policy file, with the value in a condition and (where IAM takes it, or `sid`) in the Sid. */
function policyFile(i: number, v: string, sid = SID_RE.test(v)): string {
  const stmt: Record<string, unknown> = { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::bucket-${i}`, Condition: { StringLike: { 's3:prefix': [v] } } };
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid ? `List${v}` : 'List', ...stmt }] }, null, 2) + '\n';
}

/**
 * Names cannot hold the value: the loader refuses it as the spec name, the prefix, a service name, a
 * role name and an instance group name (the schema's pattern, or src/spec/secret-names.ts where the
 * pattern lets it by), and as an unknown key.
 */
function refusedSpec(v: string): string {
  const q = JSON.stringify(v);
  return `version: 1\nname: ${q}\nprefix: ${q}\nregion: us-west-2\nservices:\n  ${q}:\n    name: ${q}\n    trust: [ec2]\n    ${q}: 1\ninstances:\n  ${q}:\n    service: ${q}\n    type: t3.micro\n    image: ami-0123456789abcdef0\n`;
}

/** A YAML syntax error on the line that holds the value (an unclosed flow mapping). */
function brokenSpec(v: string): string {
  return `version: 1\nname: broken\nregion: us-west-2\ntags: { note: ${JSON.stringify(v)}\nservices:\n  web:\n    trust: [ec2]\n`;
}

describe('no secret reaches any output: each kind in each location, each command and format', () => {
  it.each(SECRET_KINDS.map((k, i) => [k.kind, i, k] as const))('%s', async (_kind, i, k) => {
    const d = mkdtempSync(join(tmpdir(), 'charter-secrets-'));
    writeFileSync(join(d, 'spec.yaml'), plantedSpec(i, k.value));
    writeFileSync(join(d, 'spec2.yaml'), plantedSpec(i, k.value, true));
    writeFileSync(join(d, 'extra.json'), policyFile(i, k.value));
    writeFileSync(join(d, 'sid.json'), policyFile(i, k.value, true));
    writeFileSync(join(d, 'refused.yaml'), refusedSpec(k.value));
    writeFileSync(join(d, 'broken.yaml'), brokenSpec(k.value));
    const env = sandboxEnv({ GITHUB_STEP_SUMMARY: join(d, 'step-summary.md') });
    const runs: Array<[string, CliRun]> = [];
    const run = async (args: string[], expected: number, tty?: { columns: number }) => {
      const r = await charter(args, { cwd: d, env, ...(tty ? { stdoutTty: true, columns: tty.columns } : {}) });
      runs.push([args.join(' '), r]);
      expect(r.code, `${args.join(' ')}\n${r.stdout.slice(-3000)}\n${r.stderr}`).toBe(expected);
      return r;
    };
    const ep = ['--endpoint', sb.endpoint];
    const allow = ['--auto-approve', '--allow-lint-errors', '--allow-secrets-in-user-data'];

    await run(['compile', 'spec.yaml'], 0);
    await run(['compile', 'spec.yaml', '--format', 'json'], 0);
    await run(['compile', 'spec.yaml', '--out', 'out'], 2); // the user-data holds the secret
    await run(['compile', 'spec.yaml', '--out', 'out', '--allow-secrets-in-user-data'], 0);
    for (const f of ['text', 'json', 'sarif', 'github']) await run(['lint', 'spec.yaml', '--format', f], 1);
    await run(['lint', 'spec.yaml', '--write-baseline', 'baseline.json'], 0);
    // A policy file with the value in its Sid: an error when that is not alphanumeric.
    for (const f of ['text', 'sarif']) await run(['lint', 'sid.json', '--format', f], SID_RE.test(k.value) ? 0 : 1);
    for (const f of ['text', 'markdown', 'json']) await run(['plan', 'spec.yaml', ...ep, '--format', f], 0);
    await run(['plan', 'spec.yaml', ...ep, '--out', 'plan.json'], 0);
    await run(['diff', 'spec.yaml', ...ep], 0);
    for (const f of ['mermaid', 'dot']) await run(['graph', 'spec.yaml', '--format', f], 0);
    await run(['lint', 'spec.yaml', '--access-analyzer', ...ep, '--format', 'json'], 1);
    // On a narrow terminal: the live view cuts its lines to fit (after redacting them).
    const live = await run(['apply', 'plan.json', ...ep, ...allow], 0, { columns: 50 });
    expect(live.stdout).toMatch(/ done, \d+ in progress/);
    // A second generation: updates with diffs of the policies that hold the value.
    for (const f of ['text', 'markdown', 'json']) await run(['plan', 'spec2.yaml', ...ep, '--format', f], 0);
    await run(['apply', 'spec2.yaml', ...ep, ...allow, '--format', 'json', '--debug'], 0);
    // Expire this spec's instances so reap lists them (by spec and group name).
    const ec2 = await clients.ec2();
    const ids = ((await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:charter:managed', Values: ['true'] }, { Name: 'instance-state-name', Values: ['pending', 'running'] }] }))).Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((x) => x.InstanceId!));
    expect(ids.length).toBeGreaterThan(0);
    await ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'charter:expires-at', Value: '2020-01-01T00:00:00Z' }] }));
    const reaped = await run(['reap', ...ep, '--region', 'us-west-2', '--spec', 'spec2.yaml', '--dry-run'], 0);
    expect(reaped.stdout).toContain('would terminate');
    await run(['reap', ...ep, '--region', 'us-west-2', '--spec', 'spec2.yaml', '--format', 'json'], 0);
    await run(['destroy', 'spec2.yaml', ...ep, '--auto-approve'], 0);
    // A value AWS refuses in a tag (a newline, a `%`) or a Sid (any but A-Z a-z 0-9): the apply fails and the error quotes it.
    if (!AWS_TAG_RE.test(k.value) || !SID_RE.test(k.value)) {
      writeFileSync(join(d, 'aws-refuses.yaml'), plantedSpec(i, k.value).replaceAll('tags: { note: none }', `tags: { note: ${JSON.stringify(k.value)} }`).replace('- sid: Planted', `- sid: ${JSON.stringify(k.value)}`));
      for (const f of ['text', 'json']) await run(['apply', 'aws-refuses.yaml', ...ep, ...allow, '--format', f, '--debug'], 1);
      await run(['destroy', 'aws-refuses.yaml', ...ep, '--auto-approve'], 0);
    }
    // Error paths: a location that cannot hold the value, a syntax error on its line; with and without --debug.
    for (const bad of ['refused.yaml', 'broken.yaml']) {
      await run(['compile', bad], 2);
      await run(['compile', bad, '--debug'], 2);
      for (const f of ['text', 'json', 'sarif', 'github']) await run(['lint', bad, '--format', f], 2);
      await run(['plan', bad, ...ep], 2);
      await run(['apply', bad, ...ep, '--auto-approve', '--debug'], 2);
    }

    const own = new Set(['spec.yaml', 'spec2.yaml', 'extra.json', 'sid.json', 'refused.yaml', 'broken.yaml', 'aws-refuses.yaml']);
    const files = filesUnder(d).map((f) => relative(d, f)).filter((f) => !own.has(f));
    // The compiled user-data is the payload for EC2, as written; every other written file is checked.
    const payload = files.filter((f) => /^out\/launches\/.*\.user-data\.sh$/.test(f));
    expect(payload).toHaveLength(1);
    expect(readFileSync(join(d, payload[0]!), 'utf8')).toContain(k.needles[0]);
    const written = files.filter((f) => !payload.includes(f));
    expect(written).toEqual(expect.arrayContaining(['plan.json', 'baseline.json', 'step-summary.md', 'out/manifest.json']));
    const outputs: Array<[string, string]> = [...runs.flatMap(([a, r]): Array<[string, string]> => [[`stdout of ${a}`, r.stdout], [`stderr of ${a}`, r.stderr]]), ...written.map((f): [string, string] => [f, readFileSync(join(d, f), 'utf8')])];
    // Not vacuous: the value reached these outputs and was redacted there.
    for (const cmd of ['compile spec.yaml --format json', `plan spec.yaml ${ep.join(' ')} --format text`, `plan spec.yaml ${ep.join(' ')} --format markdown`, `plan spec.yaml ${ep.join(' ')} --format json`]) {
      expect(runs.find(([a]) => a === cmd)?.[1].stdout, cmd).toContain('[REDACTED:');
    }
    // In any letter case: a lowercased condition key or value would count.
    const leaks = outputs.flatMap(([where, text]) => k.needles.filter((n) => text.toLowerCase().includes(n.toLowerCase())).map((n) => `${where}: ${n.slice(0, 24)}…`));
    expect(leaks).toEqual([]);
  });
});

describe('what stays visible', () => {
  it('a high-entropy sts:ExternalId is not a secret (AWS shows it to the third party): plan rows keep it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-secrets-'));
    const EXTERNAL_ID = 'Zq9XvT2mK8pL4wR7nB3cY6hJ1dF5gS0aQe2uI9oP';
    writeFileSync(join(d, 'spec.yaml'), `version: 1\nname: external-id\nregion: us-west-2\naccount: "123456789012"\ntrust:\n  partner: { aws: ["arn:aws:iam::111111111111:root"], externalId: ${EXTERNAL_ID} }\nservices:\n  web:\n    policies: [s3:ReadOnly]\n    scope: { s3: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"] }\n    trust: [partner]\n`);
    for (const f of ['text', 'markdown', 'json']) {
      const r = await charter(['plan', 'spec.yaml', '--endpoint', sb.endpoint, '--format', f], { cwd: d, env: sandboxEnv() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, f).toContain(EXTERNAL_ID);
    }
    expect((await charter(['compile', 'spec.yaml', '--format', 'json'], { cwd: d })).stdout).toContain(EXTERNAL_ID);
  });
});

describe('a value cut to fit a message is redacted before the cut', () => {
  // Messages quote a bad value cut short (a region at 60 characters, a value of the wrong type at 80):
  // each needle is placed so the cut falls 12 characters into it, where the boundary could no longer
  // recognise what is left.
  const cases = SECRET_KINDS.flatMap((k) => k.needles.map((n, i) => [k.kind, i, k.value, n] as const)).filter(([, , v, n]) => v.indexOf(n) + 12 <= 56);
  it.each(cases)('%s, needle %d', async (_kind, _i, v, n) => {
    const d = mkdtempSync(join(tmpdir(), 'charter-secrets-'));
    const at = (keep: number) => JSON.stringify(`${'x'.repeat(keep - 12 - v.indexOf(n) - 1)}:${v}`);
    writeFileSync(join(d, 'spec.yaml'), `version: 1\nname: cut\nregion: ${at(57)}\nservices:\n  web:\n    trust: [ec2]\n    instanceProfile: ${at(77)}\n`);
    const r = await charter(['compile', 'spec.yaml'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a region');
    expect(r.stderr).toContain('must be true or false');
    expect(r.stderr).not.toContain(n.slice(0, 12));
  });
});
