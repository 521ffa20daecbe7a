/**
 * src/spec/secret-names.ts: a name that looks like a secret (spec name, prefix, service, role and
 * instance group names) is bad input at the name's line and column, its kind named, never its value.
 * Ordinary names (hashed names, long word-built names, digits) are not.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/diagnostics.js';
import { parseSpec } from '../src/spec/load.js';

const spec = (o: { name?: string; prefix?: string; service?: string; role?: string; group?: string }) =>
  [
    'version: 1',
    `name: ${o.name ?? 'app'}`,
    `prefix: ${o.prefix ?? 'charter'}`,
    'region: us-west-2',
    'services:',
    `  ${o.service ?? 'web'}:`,
    ...(o.role ? [`    name: ${o.role}`] : []),
    '    trust: [ec2]',
    'instances:',
    `  ${o.group ?? 'a'}:`,
    `    service: ${o.service ?? 'web'}`,
    '    type: t3.micro',
    '    image: ami-0123456789abcdef0',
  ].join('\n') + '\n';

function problems(text: string): string[] {
  try {
    parseSpec(text, 'spec.yaml');
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map((p) => `${p.pos?.line}:${p.pos?.col} ${p.message}`);
  }
}

const KEY = 'AKIAQ3EGRV5TQXWNJ7KD';
const CASES: Array<[string, Parameters<typeof spec>[0], string[]]> = [
  ['spec name: an access key id', { name: KEY }, ['2:7 spec name looks like a secret (AWS access key id)']],
  ['prefix: an access key id inside a name', { prefix: `ci${KEY}` }, ['3:9 prefix looks like a secret (AWS access key id)']],
  ['service name: a GitHub token', { service: 'ghp_R8x2Kq9LmV4nT7wB3cY6hJ1dF5gS0aQe2uZp' }, ['6:3 service name looks like a secret (GitHub token)']],
  ['role name: a password assignment', { role: 'password=Hunter2Hunter2x' }, ['7:11 role name looks like a secret (credential assigned to password)']],
  ['instance group name: a Slack token', { group: 'xoxb-1234567890-9876543210-AbCdEfGhIjKlMnOpQrStUvWx' }, ['9:3 instance group name looks like a secret (Slack token)']],
  ['ordinary names', {}, []],
  ['a hashed role name and a long word-built service name', { role: 'charter-ml-training-3f9a2b1c', service: 'AmazonRedshiftQueryEditorV2NonResourceLevel' }, []],
  ['digits and dashes', { name: 'team-42-prod', group: 'gpu-workers-2026' }, []],
];

describe('names that look like secrets are refused at their position', () => {
  it.each(CASES)('%s', (_name, o, expected) => {
    expect(problems(spec(o))).toEqual(expected);
  });
});
