// Build step (issue 14, start-up; run by scripts/build-bundle.mjs): write V8's code cache for
// dist/bundle-cjs/main.cjs. Runs the script as bin/charter.js does (bin/cjs-cli.js: V8 checks the
// source), then lints a policy and a spec and compiles a spec in this process so the functions
// those commands call are compiled too, and saves script.createCachedData() beside the script.
// Their output goes wherever this process's stdout goes (build-bundle.mjs discards it).
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CJS_CACHE, compileCli, runCli } from '../bin/cjs-cli.js';

const script = compileCli();
const main = runCli(script);
const spec = fileURLToPath(new URL('../fixtures/ml-research.yaml', import.meta.url));
const d = mkdtempSync(join(tmpdir(), 'charter-warm-'));
const policy = join(d, 'policy.json');
writeFileSync(policy, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 'ec2:DescribeInstances'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } }] }, null, 2));
try {
  for (const args of [['lint', policy, '--format', 'json'], ['lint', spec, '--format', 'json'], ['compile', spec]]) {
    const code = await main(args);
    if (code !== 0 && code !== 1) throw new Error(`warm-up run charter ${args.join(' ')} exited ${code}`);
  }
} finally {
  rmSync(d, { recursive: true, force: true });
}
writeFileSync(CJS_CACHE, script.createCachedData());
