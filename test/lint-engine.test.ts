/**
 * Engine pieces: secret detection (never printed; fast-check), JSON positions, glob intersection,
 * suppression scoping for user-data files, baseline multiset matching.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSecrets, maskSecrets, redactSecrets, isHighEntropyToken } from '../src/secrets.js';
import { parseJsonWithPositions } from '../src/linter/json-positions.js';
import { globsIntersect, globMatch } from '../src/linter/glob.js';
import { applyBaseline, makeBaseline } from '../src/linter/baseline.js';
import { lint } from '../src/linter/engine.js';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { InputError } from '../src/diagnostics.js';
import type { Finding } from '../src/linter/types.js';

describe('secrets', () => {
  it('finds the kinds the linter reports', () => {
    const text = [
      'export AWS_ACCESS_KEY_ID=AKIA6GBMW7QFGZXVVBN6',
      'aws_secret_access_key = 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',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
      'DB_PASSWORD="hunter2hunter2"',
      'token: ghp_0123456789abcdefghijABCDEFGHIJ0123456789',
      'blob=Zq9XvT2mK8pL4wR7nB3cY6hJ1dF5gS0aQe2uI9oP',
    ].join('\n');
    expect(findSecrets(text).map((h) => h.id)).toEqual(['aws-access-key-id', 'aws-secret-access-key', 'private-key', 'hardcoded-credential', 'github-token', 'high-entropy-token']);
  });

  it('leaves ordinary user-data alone', () => {
    const text = '#!/bin/bash\nAPI_KEY=$(aws secretsmanager get-secret-value --secret-id myapp/api-key --query SecretString --output text)\nexport API_KEY\nsha256sum 3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed\naws s3 sync s3://my-ml-bucket/datasets /data\nPASSWORD=changeme\nimage=/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64\n';
    expect(findSecrets(text)).toEqual([]);
    expect(isHighEntropyToken('al2023-ami-kernel-default-x86_64-abcdefgh')).toBe(false);
  });

  it('maskSecrets never lets a generated secret through (property)', () => {
    const key = fc.stringMatching(/^AKIA[A-Z0-9]{16}$/);
    const secret = fc.stringMatching(/^[A-Za-z0-9/+]{40}$/);
    const word = fc.stringMatching(/^[a-z ]{0,20}$/);
    fc.assert(
      fc.property(word, key, word, secret, word, (a, k, b, s, c) => {
        const text = `${a}\nAWS_ACCESS_KEY_ID=${k}\n${b}\nAWS_SECRET_ACCESS_KEY=${s}\n${c}`;
        const masked = maskSecrets(text);
        return !masked.includes(k) && !masked.includes(s) && !redactSecrets(text).includes(k);
      }),
      { numRuns: 200 },
    );
  });
});

describe('json positions', () => {
  it('maps pointers to line/col, keys and values', () => {
    const j = parseJsonWithPositions('{\n  "Statement": [\n    { "Action": ["a:b", "c:d"] }\n  ]\n}\n', 'f.json');
    expect(j.pos('/Statement/0/Action/1')).toEqual({ file: 'f.json', line: 3, col: 25 });
    expect(j.pos('/Statement/0/Action', 'key')).toEqual({ file: 'f.json', line: 3, col: 7 });
    expect(j.pos('/Statement/0/Missing/3')).toEqual(j.pos('/Statement/0'));
  });

  it('rejects bad JSON with a position, duplicate keys included', () => {
    for (const [text, line] of [['{\n "a": 1,\n "a": 2\n}', 3], ['{\n "a": [1, }', 2], ['{ "a": "x\ny" }', 1]] as const) {
      try {
        parseJsonWithPositions(text, 'x.json');
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).problems[0]!.pos!.line).toBe(line);
      }
    }
  });

  it('agrees with JSON.parse on what it accepts (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v, null, 1);
        expect(parseJsonWithPositions(text, 'p.json').value).toEqual(JSON.parse(text));
      }),
      { numRuns: 200 },
    );
  });
});

describe('glob intersection', () => {
  it('agrees with matching when one side is literal (property)', () => {
    const pat = fc.stringMatching(/^[ab*?:/]{0,8}$/);
    const lit = fc.stringMatching(/^[ab:/]{0,8}$/);
    fc.assert(fc.property(pat, lit, (p, l) => globsIntersect(p, l) === globMatch(p, l) && globsIntersect(l, p) === globMatch(p, l)), { numRuns: 500 });
  });
});

describe('baselines', () => {
  it('match as a multiset and ignore line moves', () => {
    const f: Finding = { rule: 'r', category: 'grammar', severity: 'error', message: 'm', file: 'a.json', line: 1, column: 1, pointer: '/Statement/0' };
    const base = makeBaseline([f]);
    const moved = { ...f, line: 9 };
    expect(applyBaseline([moved, { ...f }], base)).toEqual({ fresh: [{ ...f }], known: [moved] });
  });
});

describe('suppression scope', () => {
  it('lint.ignore with path instances.<group> covers secrets found in that group\'s user-data file', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-sup-'));
    writeFileSync(join(d, 'boot.sh'), '#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIA6GBMW7QFGZXVVBN6\n');
    writeFileSync(
      join(d, 'spec.yaml'),
      'version: 1\nname: s\nregion: us-west-2\naccount: "123456789012"\nlint:\n  ignore:\n    - { rule: secret-in-user-data, path: instances.a, reason: revoked test key kept for the demo }\nservices:\n  web:\n    policies: [logs:WriteOnly]\n    scope: { logs: ["arn:aws:logs:us-west-2:123456789012:log-group:/web/*"] }\n    trust: [ec2]\ninstances:\n  a:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n    userData: ./boot.sh\n',
    );
    const loaded = loadSpecFile(join(d, 'spec.yaml'));
    const r = await lint({ specs: [{ loaded, bundle: await compileSpec(loaded) }] });
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((s) => [s.finding.rule, s.reason])).toEqual([['secret-in-user-data', 'revoked test key kept for the demo']]);
  });
});

describe('policy files in AWS CLI output shapes', () => {
  it('lints PolicyVersion.Document, PolicyDocument and Role.AssumeRolePolicyDocument in place', async () => {
    const wrapped = '{\n  "PolicyVersion": {\n    "Document": {\n      "Version": "2012-10-17",\n      "Statement": [\n        { "Effect": "Allow", "Action": "*", "Resource": "*" }\n      ]\n    },\n    "VersionId": "v1"\n  }\n}\n';
    const role = JSON.stringify({ Role: { RoleName: 'r', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] } } }, null, 2);
    const r = await lint({ files: [{ file: 'w.json', text: wrapped }, { file: 'role.json', text: role }] });
    const w = r.findings.find((f) => f.rule === 'wildcard-action')!;
    expect([w.file, w.line, w.column]).toEqual(['w.json', 6, 40]);
    expect(r.findings.filter((f) => f.file === 'role.json').map((f) => f.rule)).toContain('trust-any-principal');
    expect(r.findings.filter((f) => f.rule === 'policy-shape')).toEqual([]);
  });
});
