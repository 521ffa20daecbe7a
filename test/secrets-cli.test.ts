/**
 * Issue 15, part: each secret kind planted in tags, a description, a condition value and user-data,
 * then compile (text, json, --out) and lint (text, json, sarif, github) run in process; no needle
 * may appear in stdout, stderr or a written file other than the user-data meant for EC2. Not done
 * yet: plan/diff/apply/reap/destroy against the sandbox, names, Sids and policy files.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { charter } from './cli-support.js';
import { SECRET_KINDS } from './secret-kinds.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

function specWith(value: string, multiline: boolean): string {
  const q = JSON.stringify(value);
  const L = ['version: 1', 'name: secrets-test', 'prefix: charter', 'region: us-west-2', 'account: "123456789012"', 'services:', '  web:'];
  if (!multiline) {
    L.push(`    description: ${q}`, `    tags: { note: ${q} }`);
    L.push('    statements:', '      - actions: [s3:GetObject]', '        resources: ["arn:aws:s3:::b/*"]', `        conditions: { StringEquals: { "aws:PrincipalTag/note": ${q} } }`);
  }
  L.push('    trust: [ec2]', 'instances:', '  a:', '    service: web', '    type: t3.micro', '    image: ami-0123456789abcdef0', '    ttl: 1h', '    userDataScript: |');
  for (const line of `echo start\n${value}\necho done`.split('\n')) L.push(`      ${line}`);
  return L.join('\n') + '\n';
}

describe('no secret reaches compile or lint output', () => {
  it.each(SECRET_KINDS.map((k) => [k.kind, k] as const))('%s', async (_kind, k) => {
    const d = mkdtempSync(join(tmpdir(), 'charter-secrets-'));
    const spec = join(d, 'spec.yaml');
    writeFileSync(spec, specWith(k.value, k.multiline === true));
    const runs = [
      await charter(['compile', spec], { cwd: d }),
      await charter(['compile', spec, '--format', 'json'], { cwd: d }),
      await charter(['compile', spec, '--out', join(d, 'out'), '--allow-secrets-in-user-data'], { cwd: d }),
      ...(await Promise.all(['text', 'json', 'sarif', 'github'].map((f) => charter(['lint', spec, '--format', f], { cwd: d })))),
    ];
    expect(runs[0]!.code).toBe(0);
    const outputs: Array<readonly [string, string]> = runs.map((r, i) => [`run ${i}`, r.stdout + r.stderr] as const);
    const files = filesUnder(join(d, 'out')).filter((f) => !f.endsWith('.user-data.sh'));
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) outputs.push([f, readFileSync(f, 'utf8')]);
    const leaks = outputs.flatMap(([where, text]) => k.needles.filter((n) => text.includes(n)).map((n) => `${where}: ${n}`));
    expect(leaks).toEqual([]);
    // The user-data meant for EC2 is the payload, as written.
    const ud = filesUnder(join(d, 'out')).find((f) => f.endsWith('.user-data.sh'))!;
    expect(readFileSync(ud, 'utf8')).toContain(k.needles[0]);
  });
});
