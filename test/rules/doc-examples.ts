/**
 * Test helper: run a rule's documented example (meta.docs.bad / docs.good) the way its shape says —
 * a policy statement or document (JSON), a statement element (`"Condition": …`, `"Action": …`) inside
 * an Allow statement, a service body (statements, policies, managed, trust, name) or a spec section
 * (services, lint, instances, securityGroups, agent, tags). JSON examples lose their `# …` comments.
 * Examples that are prose (`# a role whose …`) or elided (`[ ...eleven ARNs... ]`) are not runnable.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint } from '../../src/linter/engine.js';
import { loadSpecFile } from '../../src/spec/load.js';
import { compileSpec } from '../../src/compiler/index.js';
import { load as parseYaml } from 'js-yaml';
import type { Finding, Rule } from '../../src/linter/types.js';

export interface DocRun {
  kind: 'policy' | 'spec' | 'prose';
  findings?: Finding[];
  error?: string;
}

const HEAD = 'version: 1\nname: docs\nregion: us-west-2\naccount: "123456789012"\n';
const SPEC_SECTIONS = /^(services|lint|instances|securityGroups|agent|tags|launch|defaults):/m;
const SERVICE_KEYS = /^(statements|policies|managed|trust|name|scope|boundary):/m;
/** Fields of an instance group (`instances.NAME`). */
const INSTANCE_KEYS = /^(volume|publicIp|subnet|userDataScript|userData|ttl|idleTimeout):/m;
/** Named trusts (`trust:` holding a mapping, not a service's `trust: [ec2]`). */
const NAMED_TRUST = /^trust:\s*\n\s+([A-Za-z0-9_-]+):/;
const SERVICE = 'services:\n  app:\n    policies: [s3:ReadOnly]\n    scope: { s3: ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"] }\n';
const INSTANCE = 'instances:\n  train:\n    service: app\n    type: t3.micro\n    image: ami-0123456789abcdef0\n';

/** Drop `# …` comments that are not inside a string. */
function stripComments(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let inStr = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === '"' && line[i - 1] !== '\\') inStr = !inStr;
        if (c === '#' && !inStr && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
      }
      return line;
    })
    .join('\n')
    .trim();
}

function policyOf(text: string): unknown | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text.startsWith('"') ? `{${text}}` : text);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if ('Statement' in o) return o;
  if ('Effect' in o || 'Principal' in o) return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...o }] };
  // A statement element: inside an Allow of s3:GetObject on a bucket's objects.
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-bucket/*', ...o }] };
}

/** A YAML list of statements (`- { Effect: Allow, … }`). */
function yamlStatements(text: string): unknown[] | undefined {
  if (!text.startsWith('- ')) return undefined;
  try {
    const v: unknown = parseYaml(text);
    return Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'Effect' in x) ? v : undefined;
  } catch {
    return undefined;
  }
}

export async function runDocExample(rule: Rule, which: 'bad' | 'good'): Promise<DocRun> {
  const text = stripComments(rule.meta.docs[which]);
  if (text === '' || /\.\.\.|…/.test(text)) return { kind: 'prose' };
  // YAML keeps its comments (a `# charter-ignore` comment is part of some examples).
  const yaml = rule.meta.docs[which].trim();
  const policy = policyOf(text);
  if (policy !== undefined) return { kind: 'policy', findings: (await lint({ files: [{ file: 'doc.json', text: JSON.stringify(policy, null, 2) }] })).findings };
  const statements = yamlStatements(yaml);
  if (statements) return { kind: 'policy', findings: (await lint({ files: [{ file: 'doc.json', text: JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2) }] })).findings };
  let spec: string;
  const indent = (t: string, n: number) => t.split('\n').map((l) => `${' '.repeat(n)}${l}`).join('\n');
  const named = NAMED_TRUST.exec(text);
  if (named) spec = `${HEAD}${yaml}\n${SERVICE}    trust: [${named[1]}]\n`;
  else if (SPEC_SECTIONS.test(text)) spec = `${HEAD}${yaml}\n`;
  else if (INSTANCE_KEYS.test(text)) spec = `${HEAD}${SERVICE}    trust: [ec2]\n${INSTANCE}${/^ttl:/m.test(text) ? '' : '    ttl: 1h\n'}${indent(yaml, 4)}\n`;
  else if (SERVICE_KEYS.test(text)) spec = `${HEAD}services:\n  app:\n${indent(yaml, 4)}\n${/^trust:/m.test(text) ? '' : '    trust: [ec2]\n'}`;
  else return { kind: 'prose' };
  if (!/^services:/m.test(spec)) spec += `${SERVICE}    trust: [ec2]\n`;
  const dir = mkdtempSync(join(tmpdir(), 'charter-doc-'));
  try {
    writeFileSync(join(dir, 'spec.yaml'), spec);
    const loaded = loadSpecFile(join(dir, 'spec.yaml'));
    let bundle;
    try {
      bundle = await compileSpec(loaded);
    } catch (e) {
      return { kind: 'spec', findings: (await lint({ specs: [{ loaded }] })).findings, error: `does not compile: ${(e as Error).message.split('\n')[0]}` };
    }
    return { kind: 'spec', findings: (await lint({ specs: [{ loaded, bundle }] })).findings };
  } catch (e) {
    return { kind: 'spec', error: (e as Error).message.split('\n')[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
