/**
 * Engine pieces: secret detection (never printed; fast-check), JSON positions, glob intersection,
 * suppression scoping for user-data files, baseline multiset matching.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSecrets, redactSecrets, isHighEntropyToken } from '../src/secrets.js';
import { parseJsonWithPositions } from '../src/policy/json-positions.js';
import { globsIntersect, globMatch } from '../src/policy/glob.js';
import { applyBaseline, makeBaseline } from '../src/linter/baseline.js';
import { addReferenced, byFindingThenReport, cmpFindings, lint, noneReferenced, renderMessage } from '../src/linter/engine.js';
import type { Rule } from '../src/linter/types.js';
import { normalizeStatements, parseOperator } from '../src/linter/doc-model.js';
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

  it('redactSecrets never lets a generated secret through (property)', () => {
    const key = fc.stringMatching(/^AKIA[A-Z0-9]{16}$/);
    const secret = fc.stringMatching(/^[A-Za-z0-9/+]{40}$/);
    const word = fc.stringMatching(/^[a-z ]{0,20}$/);
    fc.assert(
      fc.property(word, key, word, secret, word, (a, k, b, s, c) => {
        const text = `${a}\nAWS_ACCESS_KEY_ID=${k}\n${b}\nAWS_SECRET_ACCESS_KEY=${s}\n${c}`;
        const masked = redactSecrets(text);
        return !masked.includes(k) && !masked.includes(s);
      }),
      { numRuns: 200 },
    );
  });
});

describe('secrets: must redact / must not redact', () => {
  // [text, the secret in it, a specific format (not only the generic assignment / entropy checks)]
  const mustRedact: Array<[string, string, boolean]> = [
    ['export AWS_ACCESS_KEY_ID=AKIA6GBMW7QFGZXVVBN6', 'AKIA6GBMW7QFGZXVVBN6', true],
    ['session key ASIAQWERTYUIOP123456 expires', 'ASIAQWERTYUIOP123456', true],
    ['aws_secret_access_key=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', '4mQiit4tJjSl++WG9fq7Dcy0Wz0hSMNEEAmBjwEY', true],
    ['AWS_SECRET_ACCESS_KEY: "4mQiit4tJjSl++WG9fq7Dcy0Wz0hSMNEEAmBjwEY"', '4mQiit4tJjSl++WG9fq7Dcy0Wz0hSMNEEAmBjwEY', true],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAA', true],
    ['password=hunter2', 'hunter2', false],
    ['mysql --password=hunter22 -h db', 'hunter22', false],
    ['SECRET_TOKEN="s3cr3t-Value-42"', 's3cr3t-Value-42', false],
    ['{"password":"hunter22"}', 'hunter22', false],
    ["const db = { password:'hunter22' }", 'hunter22', false],
    ['db:\n  auth: s3cr3tPassw0rd\n', 's3cr3tPassw0rd', false],
    ["client_secret = 'abcdEFGH1234ijkl'", 'abcdEFGH1234ijkl', false],
    ['export API_KEY=sk-abc123xyz789', 'sk-abc123xyz789', false],
    ['curl -H "x-sig: Zq9XvT2mK8pL4wR7nB3cY6hJ1dF5gS0aQe2uI9oP" https://example.com', 'Zq9XvT2mK8pL4wR7nB3cY6hJ1dF5gS0aQe2uI9oP', false],
  ];
  it.each(mustRedact)('redacts %j', (text, secret, specific) => {
    const hits = findSecrets(text);
    expect(hits.length).toBeGreaterThan(0);
    if (specific) expect(hits.some((h) => h.id !== 'hardcoded-credential' && h.id !== 'high-entropy-token')).toBe(true);
    expect(redactSecrets(text)).not.toContain(secret);
    expect(redactSecrets(JSON.stringify({ tags: { note: text } }))).not.toContain(secret);
  });

  const mustNotRedact: string[] = [
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
    '"Resource": "arn:aws:secretsmanager:*:*:secret:events!connection/*"',
    'arn:*:secretsmanager:*:*:secret:eks-local.cluster.x-k8s.io/*',
    'secret: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
    '{ "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf" }',
    '"Condition": { "StringEquals": { "secretsmanager:SecretId": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf" } }',
    '"Action": ["eks:DescribeCluster", "eks-auth:AssumeRoleForPodIdentity"]',
    'arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password',
    'token: ${TOKEN_FILE}',
    'password: /run/secrets/db_password',
    'PASSWORD=changeme',
    'API_KEY=$(aws secretsmanager get-secret-value --secret-id myapp/api-key --query SecretString --output text)',
    '"Sid": "AmazonRedshiftQueryEditorV2NonResourceLevelPermissions"',
    '"Sid": "KMSDataKeyForS3AndEC2Permissions"',
    'AWSThinkboxDeadlineResourceTracker10',
    'arn:aws:iam::*:role/aws-service-role/ec2.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_EC2SpotFleetRequest',
    'arn:aws:ssm:*:*:document/AWSEC2-ApplicationInsightsCloudwatchAgentInstallAndConfigure',
  ];
  it.each(mustNotRedact)('leaves %j alone', (text) => {
    expect(findSecrets(text)).toEqual([]);
    expect(redactSecrets(text)).toBe(text);
    const tagged = JSON.stringify({ tags: { ref: text }, Tags: [{ Key: 'ref', Value: text }] });
    expect(redactSecrets(tagged)).toBe(tagged);
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

describe('what documents name (the IAM preload)', () => {
  it('a parsed document read as is names what its statements name, in the same order (property)', () => {
    const name = fc.oneof(fc.constantFrom('s3:GetObject', 'S3:*', 'ec2:Describe*', '*', 'iam:PassRole', 'aws:SourceIp', 's3:prefix', 'x', ':y', 'a?b:c', '*:List*'), fc.string());
    const list = fc.oneof(name, fc.array(fc.oneof(name, fc.integer(), fc.constant(null), fc.constant({})), { maxLength: 4 }), fc.integer(), fc.constant(null), fc.constant({}));
    const cond = fc.oneof(fc.dictionary(fc.constantFrom('StringEquals', 'ForAllValues:StringLike', 'Null'), fc.oneof(fc.dictionary(name, fc.string(), { maxKeys: 3 }), fc.string(), fc.constant(null))), fc.string(), fc.array(fc.string()));
    const stmt = fc.oneof(fc.record({ Action: list, NotAction: list, Condition: cond }, { requiredKeys: [] }), fc.string(), fc.constant(null));
    const doc = fc.oneof(fc.record({ Statement: fc.oneof(stmt, fc.array(stmt, { maxLength: 4 })) }, { requiredKeys: [] }), fc.string(), fc.array(stmt));
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 3 }), (docs) => {
        const viaViews = noneReferenced();
        const asIs = noneReferenced();
        addReferenced(viaViews, docs.map((d) => ({ statements: normalizeStatements(d) })));
        addReferenced(asIs, docs.map((d) => ({ document: d })));
        expect([...asIs.services]).toEqual([...viaViews.services]);
        expect([...asIs.keyServices]).toEqual([...viaViews.keyServices]);
        expect(asIs.allServices).toBe(viaViews.allServices);
      }),
      { numRuns: 500 },
    );
  });
});

describe('statement model', () => {
  it('conditions: every operator block that is an object, each key with its scalar values as strings (property)', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.double());
    const value = fc.oneof(scalar, fc.array(fc.oneof(scalar, fc.constant({}), fc.constant([1])), { maxLength: 4 }), fc.constant({ a: 1 }));
    const op = fc.constantFrom('StringEquals', 'ForAllValues:StringLike', 'ForAnyValue:ArnLikeIfExists', 'IfExists', 'Null', 'Bool');
    const cond = fc.oneof(fc.dictionary(op, fc.oneof(fc.dictionary(fc.string(), value, { maxKeys: 3 }), scalar)), scalar);
    fc.assert(
      fc.property(fc.array(cond, { maxLength: 3 }), (conds) => {
        const st = normalizeStatements({ Statement: conds.map((Condition) => ({ Effect: 'Allow', Condition })) });
        expect(st.map((s) => s.conditions)).toEqual(
          conds.map((c) => {
            if (typeof c !== 'object' || c === null) return [];
            return Object.entries(c).flatMap(([o, block]) => {
              if (typeof block !== 'object' || block === null || Array.isArray(block)) return [];
              const { base, set, ifExists } = parseOperator(o);
              return Object.entries(block).map(([key, raw]) => ({ op: o, base, set, ifExists, key, values: (Array.isArray(raw) ? raw : [raw]).filter((x) => x !== null && typeof x !== 'object').map((x) => String(x)), raw }));
            });
          }),
        );
      }),
      { numRuns: 500 },
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

describe('finding order', () => {
  // The order findings are given in, as it was defined: a stable sort by the order they were
  // reported in (rule, phase, item, report), then a stable sort by cmpFindings.
  type Raw = { f: Finding; rule: number; phase: number; item: number; n: number };
  const byReport = (a: Raw, b: Raw) => a.rule - b.rule || a.phase - b.phase || a.item - b.item || a.n - b.n;
  const small = (n: number) => fc.integer({ min: 0, max: n });
  const raw = fc.array(
    fc.record({ file: fc.constantFrom('a.json', 'b.json', 'c.json'), line: small(3), column: small(2), rule: small(2), message: fc.constantFrom('m', 'n'), phase: small(1), item: small(3), hint: fc.string() }),
    { maxLength: 40 },
  );
  it('one sort gives the order of the two (property)', () => {
    fc.assert(
      fc.property(raw, (rs) => {
        const xs: Raw[] = rs.map((r, n) => ({ f: { rule: `r${r.rule}`, category: 'least-privilege', severity: 'warning', message: r.message, file: r.file, line: r.line, column: r.column, hint: r.hint }, rule: r.rule, phase: r.phase, item: r.item, n }));
        const twice = [...xs].sort(byReport).map((x) => x.f).sort(cmpFindings);
        const once = [...xs].sort(byFindingThenReport).map((x) => x.f);
        expect(once).toEqual(twice);
        for (let i = 0; i < once.length; i++) expect(once[i]).toBe(twice[i]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('messages', () => {
  it('are filled from the data, then the context, as from one record of their values as strings (property)', () => {
    const name = fc.constantFrom('a', 'b', 'action', 'line');
    const rec = fc.dictionary(name, fc.oneof(fc.string(), fc.integer()));
    const rule = { meta: { id: 'r', messages: { m: '{{a}} and {{b}} at {{line}}: {{action}}' } } } as unknown as Rule;
    fc.assert(
      fc.property(rec, rec, (data, context) => {
        const merged: Record<string, string> = {};
        for (const [k, v] of Object.entries(context)) merged[k] = String(v);
        for (const [k, v] of Object.entries(data)) merged[k] = String(v);
        const missing = ['a', 'b', 'line', 'action'].find((k) => merged[k] === undefined);
        if (missing) expect(() => renderMessage(rule, 'm', data, context)).toThrow(`rule r message "m" has no data for {{${missing}}}`);
        else expect(renderMessage(rule, 'm', data, context)).toBe(`${merged.a} and ${merged.b} at ${merged.line}: ${merged.action}`);
      }),
      { numRuns: 1000 },
    );
  });
});
