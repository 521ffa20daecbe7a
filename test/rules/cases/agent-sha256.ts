/** Case table of src/linter/rules/agent-sha256.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\ninstances:\n  a:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n';

const HEX = 'a'.repeat(64);

export const cases: Record<string, RuleCase[]> = {
  'agent-sha256': [
    { name: 'builtin agent', fire: false, spec: `${SPEC_HEAD}${SVC}agent: { mode: builtin }\n` },
    { name: 'pinned', fire: false, spec: `${SPEC_HEAD}${SVC}agent: { mode: binary, url: "https://example.com/agent-{arch}", sha256: { amd64: "${HEX}" } }\n` },
    { name: 'checksum downloaded next to the binary (seed 003)', fire: true, spec: `${SPEC_HEAD}${SVC}    userDataScript: |\n      curl -fsSLO https://bucket.s3.amazonaws.com/spawnd-linux-amd64\n      curl -fsSLO https://bucket.s3.amazonaws.com/spawnd-linux-amd64.sha256\n      sha256sum --check spawnd-linux-amd64.sha256\n`, message: 'user-data of launch a verifies a download against a .sha256 fetched from the same place', severity: 'warning', at: { line: 15, column: 21 } },
    { name: 'unpinned binary (spec linted without compiling)', fire: true, compile: false, spec: `${SPEC_HEAD}${SVC}agent: { mode: binary, url: "https://example.com/agent-{arch}" }\n`, message: 'agent binary for amd64 has no pinned sha256 in the spec', at: { line: 15, column: 1 } },
  ],
};
