/**
 * Issue 11 §4: the spec loader reads every referenced file (policyFiles, userData) once, and compile
 * and lint work from what it read: with the files gone from disk after loading, the bundle and the
 * findings (including those placed inside the policy file and the user-data) are the same.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { lint } from '../src/linter/engine.js';

const SPEC = `version: 1
name: refs
region: us-west-2
account: "123456789012"
services:
  app:
    policyFiles: [policies/app.json]
    trust: [ec2]
instances:
  box:
    service: app
    type: t3.micro
    image: ami-0123456789abcdef0
    ttl: 1h
    userData: ./boot.sh
`;
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:PutRolePolicy'], Resource: '*' }] }, null, 2);
const BOOT = '#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIA6GBMW7QFGZXVVBN6\n';

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'charter-refs-'));
  writeFileSync(join(d, 'spec.yaml'), SPEC);
  writeFileSync(join(d, 'boot.sh'), BOOT);
  mkdirSync(join(d, 'policies'));
  writeFileSync(join(d, 'policies', 'app.json'), POLICY);
  return d;
}

describe('referenced files are read once, at load', () => {
  it('loadSpecFile holds the text of every policy file and user-data file the spec names', () => {
    const d = dir();
    const loaded = loadSpecFile(join(d, 'spec.yaml'));
    expect([...(loaded.files ?? new Map()).entries()].map(([abs, f]) => [abs.slice(d.length + 1), f.kind])).toEqual([
      ['policies/app.json', 'file'],
      ['boot.sh', 'file'],
    ]);
  });

  it('compile and lint give the same bundle and findings after the files are deleted from disk', async () => {
    const d = dir();
    const before = loadSpecFile(join(d, 'spec.yaml'));
    const b1 = await compileSpec(before);
    const f1 = (await lint({ specs: [{ loaded: before, bundle: b1 }] })).findings;

    const after = loadSpecFile(join(d, 'spec.yaml'));
    rmSync(join(d, 'boot.sh'));
    rmSync(join(d, 'policies'), { recursive: true });
    const b2 = await compileSpec(after);
    const f2 = (await lint({ specs: [{ loaded: after, bundle: b2 }] })).findings;

    expect(b2.hash).toBe(b1.hash);
    expect(f2).toEqual(f1);
    // What was read is what was checked: the escalation inside the policy file, at its line there,
    // and the access key in the user-data.
    expect(f2.filter((f) => f.rule === 'privesc-action').map((f) => [f.file.endsWith('policies/app.json'), f.line])).toEqual([[true, 7]]); // the "iam:PutRolePolicy" entry of Action
    expect(f2.filter((f) => f.rule === 'secret-in-user-data').length).toBe(1);
  });

  it('a file missing at load is reported by the compiler as before (from what the loader found)', async () => {
    const d = dir();
    rmSync(join(d, 'boot.sh'));
    const loaded = loadSpecFile(join(d, 'spec.yaml'));
    expect(loaded.files?.get(join(d, 'boot.sh'))).toEqual({ kind: 'unreadable', code: 'ENOENT' });
    await expect(compileSpec(loaded)).rejects.toThrow(/cannot read user-data file "\.\/boot\.sh" \(ENOENT\)/);
  });
});
