/**
 * Issue 13, "Secrets where the user put them": compile --out and apply refuse user-data in which
 * lint's secret detection (src/compiler/user-data-secrets.ts, the same function secret-in-user-data
 * reports from) finds a secret: exit 2, one line per secret at its file:line, redacted, nothing
 * written and no AWS call, unless --allow-secrets-in-user-data. Sandbox over real HTTP.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../src/sandbox/types.js';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { userDataSecrets } from '../src/compiler/user-data-secrets.js';
import { lint } from '../src/linter/engine.js';
import { tmp, useSandbox } from './apply-support.js';
import { charter, sandboxEnv } from './cli-support.js';

const KEY = 'AKIAQ3EGRV5TQXWNJ7KD';
const URL_PASSWORD = 'S3cr3tPassw0rdX';

let sb: RunningSandbox;
useSandbox((s) => ({ sb } = s));

const HEAD = 'version: 1\nname: gate\nprefix: charter\nregion: us-west-2\naccount: "123456789012"\nservices:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\ninstances:\n';
const group = (name: string, userData: string) => `  ${name}:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n${userData}`;

/** A spec with a user-data file (secret on its line 3) and an inline script (secret on spec line 24). */
function leakySpec(): { dir: string; spec: string } {
  const dir = tmp('charter-gate-');
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'scripts', 'boot.sh'), `#!/bin/sh\necho start\nexport AWS_ACCESS_KEY_ID=${KEY}\n`);
  const text = HEAD + group('a', '    userData: scripts/boot.sh\n') + group('b', `    userDataScript: |\n      echo hi\n      git clone https://deploy:${URL_PASSWORD}@git.example.com/org/app.git\n`);
  writeFileSync(join(dir, 'spec.yaml'), text);
  return { dir, spec: join(dir, 'spec.yaml') };
}

function leaks(text: string): string[] {
  return [KEY, URL_PASSWORD].filter((n) => text.includes(n));
}

describe('one detection for lint and the gates', () => {
  it('userDataSecrets finds what secret-in-user-data reports, at the same places', async () => {
    const { spec } = leakySpec();
    const loaded = loadSpecFile(spec);
    const bundle = await compileSpec(loaded);
    const found = userDataSecrets(loaded, bundle.launches);
    expect(found.map((s) => [s.group, s.description, s.pos.line])).toEqual([
      ['a', 'AWS access key id', 3],
      ['b', 'credentials in a URL', 24],
    ]);
    const findings = (await lint({ specs: [{ loaded, bundle }] })).findings.filter((f) => f.rule === 'secret-in-user-data');
    expect(findings.map((f) => [f.file, f.line, f.column])).toEqual(found.map((s) => [s.pos.file, s.pos.line, s.pos.col]));
  });

  it('finds nothing in clean user-data (a secret fetched at boot, a URL without a password)', async () => {
    const dir = tmp('charter-gate-');
    const text = HEAD + group('a', '    userDataScript: |\n      KEY=$(aws secretsmanager get-secret-value --secret-id app/key --query SecretString --output text)\n      git clone https://git.example.com/org/app.git\n');
    writeFileSync(join(dir, 'spec.yaml'), text);
    const loaded = loadSpecFile(join(dir, 'spec.yaml'));
    expect(userDataSecrets(loaded, (await compileSpec(loaded)).launches)).toEqual([]);
    expect((await charter(['compile', 'spec.yaml', '--out', 'out'], { cwd: dir })).code).toBe(0);
  });
});

describe('compile --out', () => {
  it('refuses: exit 2, one line per secret at file:line:col, redacted, nothing written', async () => {
    const { dir } = leakySpec();
    const r = await charter(['compile', 'spec.yaml', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^scripts\/boot\.sh:3:\d+  AWS access key id in user-data of launch a \(scripts\/boot\.sh line 3\)  \(fetch it at boot/);
    expect(lines[1]).toMatch(/^spec\.yaml:24:\d+  credentials in a URL in user-data of launch b \(userDataScript line 2\)  \(/);
    expect(lines[2]).toBe('compile --out refused: the user-data of 2 launch groups holds 2 secrets  (move them out of the user-data, or pass --allow-secrets-in-user-data to send them to EC2 anyway)');
    expect(leaks(r.stderr)).toEqual([]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('--allow-secrets-in-user-data writes the payload as EC2 gets it; compile without --out is not gated', async () => {
    const { dir } = leakySpec();
    expect((await charter(['compile', 'spec.yaml'], { cwd: dir })).code).toBe(0);
    const r = await charter(['compile', 'spec.yaml', '--out', 'out', '--allow-secrets-in-user-data'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'launches', 'a.user-data.sh'), 'utf8')).toContain(KEY);
    expect(leaks(readFileSync(join(dir, 'out', 'launches', 'a.json'), 'utf8'))).toEqual([]);
  });
});

describe('apply', () => {
  it('refuses a spec and a saved plan before any AWS call, even with --allow-lint-errors; the flag lets it through', async () => {
    const { dir } = leakySpec();
    const ep = ['--endpoint', sb.endpoint, '--auto-approve'];
    expect((await charter(['plan', 'spec.yaml', '--endpoint', sb.endpoint, '--out', 'plan.json'], { cwd: dir, env: sandboxEnv() })).code).toBe(0);
    for (const target of ['spec.yaml', 'plan.json']) {
      sb.resetStats();
      const r = await charter(['apply', target, ...ep, '--allow-lint-errors'], { cwd: dir, env: sandboxEnv() });
      expect(r.code, target).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(r.stderr).toMatch(/^\S*scripts\/boot\.sh:3:\d+  AWS access key id in user-data of launch a /m);
      expect(lines.at(-1)).toContain('apply refused: the user-data of 2 launch groups holds 2 secrets');
      expect(leaks(r.stdout + r.stderr)).toEqual([]);
      expect(sb.stats().writes, target).toBe(0);
    }
    sb.resetStats();
    const ok = await charter(['apply', 'plan.json', ...ep, '--allow-lint-errors', '--allow-secrets-in-user-data'], { cwd: dir, env: sandboxEnv() });
    expect(ok.code).toBe(0);
    expect(sb.stats().actions['ec2:RunInstances']).toBe(2);
    expect(leaks(ok.stdout + ok.stderr)).toEqual([]);
    expect((await charter(['destroy', 'spec.yaml', ...ep], { cwd: dir, env: sandboxEnv() })).code).toBe(0);
  });
});
