/** Every fixture's launch groups: user-data within the EC2 limit, shellcheck-clean, deterministic. */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpecFile } from '../src/spec/load.js';
import { compileSpec } from '../src/compiler/index.js';
import { MAX_USER_DATA_BYTES } from '../src/compiler/launch.js';
import { EXPIRES_AT_PLACEHOLDER } from '../src/compiler/types.js';

const dir = join(__dirname, '..', 'fixtures');
const specs = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const haveShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

describe('fixture launch groups', () => {
  it.each(specs)('%s', async (file) => {
    const a = await compileSpec(loadSpecFile(join(dir, file)));
    const b = await compileSpec(loadSpecFile(join(dir, file)));
    expect(JSON.stringify(b.launches)).toBe(JSON.stringify(a.launches));
    for (const l of a.launches) {
      expect(l.userDataSize).toBe(Buffer.byteLength(l.userData));
      expect(l.userDataSize).toBeLessThanOrEqual(MAX_USER_DATA_BYTES);
      if (l.ttlSeconds !== undefined || l.idleTimeoutSeconds !== undefined) {
        expect(l.runInstances.InstanceInitiatedShutdownBehavior).toBe('terminate');
        if (l.userData.startsWith('#!/bin/bash\n# charter user-data')) expect(l.userData).toContain(EXPIRES_AT_PLACEHOLDER);
      }
    }
  });
});

// Skipped only when shellcheck is absent, and then the skipped test's name says so (.ci/run installs it).
describe.skipIf(!haveShellcheck)(`fixture user-data passes shellcheck${haveShellcheck ? '' : ' (skipped: shellcheck not installed)'}`, () => {
  it.each(specs)('%s', async (file) => {
    const { launches } = await compileSpec(loadSpecFile(join(dir, file)));
    for (const l of launches) {
      if (!l.userData.startsWith('#!/bin/bash\n# charter user-data')) continue;
      const r = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '-'], { input: l.userData, encoding: 'utf8' });
      expect(r.status, `${file} ${l.group}: shellcheck ${r.error?.message ?? r.stderr}`).not.toBe(null);
      expect(r.stdout.trim(), `${file} ${l.group}`).toBe('');
    }
  });
});
