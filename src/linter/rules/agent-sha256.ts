/** launch: agent binary without a pinned sha256 per architecture. */
import { pointer } from '../../spec/yaml.js';
import type { Rule } from '../types.js';
import { instanceViews } from '../launch-view.js';

export const agentSha256: Rule = {
  meta: {
    id: 'agent-sha256',
    title: 'Agent binary without a pinned sha256',
    severity: 'error',
    category: 'launch',
    docs: {
      what: '`agent: { mode: binary }` without a 64-hex-digit sha256 in the spec for every architecture the instances use; and user-data that checks a download against a .sha256 file fetched from the same place (warning).',
      why: 'The seeds\' tool downloads the binary and its .sha256 file from the same bucket: whoever can replace one can replace both, so the check proves nothing. The digest must come from the reviewed spec.',
      bad: 'agent: { mode: binary, url: "https://bucket.s3.amazonaws.com/agent-{arch}" }',
      good: 'agent:\n  mode: binary\n  url: "https://bucket.s3.amazonaws.com/agent-{arch}"\n  sha256: { amd64: 3f5a…(64 hex), arm64: 9c1e…(64 hex) }',
      fix: 'Pin `sha256.amd64` / `sha256.arm64` in the spec (`sha256sum agent-linux-amd64`).',
    },
    messages: {
      sameOrigin: 'user-data of launch {{group}} verifies a download against a .sha256 fetched from the same place: whoever can replace the binary can replace the checksum',
      unpinned: 'agent binary for {{arch}} has no pinned sha256 in the spec',
    },
  },
  spec(s, { report }) {
    // User-data that downloads a .sha256 next to the binary and checks against it (the seeds' pattern).
    for (const v of instanceViews(s)) {
      const ud = v.userData;
      if (!ud || !/sha256sum\s+(-c|--check)\b/.test(ud.text)) continue;
      const m = /(?:curl|wget|aws\s+s3\s+cp)[^\n]*\.sha256\b/.exec(ud.text);
      if (!m) continue;
      const line = ud.text.slice(0, m.index).split('\n').length;
      const at = ud.file ? { file: ud.file.display, line, col: 1 } : s.pos(ud.inlinePtr ?? v.ptr);
      report({ at, messageId: 'sameOrigin', data: { group: v.group }, hint: 'pin the digest in the spec (agent.sha256) or in the script itself', severity: 'warning', subject: `launch ${v.group}` });
    }
    const agent = s.loaded.spec.agent;
    if (!agent || agent.mode !== 'binary') return;
    const archs = new Set(Object.values(s.loaded.spec.instances ?? {}).map((i) => i.arch ?? (/^[a-z0-9]+g[a-z]*\./.test(i.type) ? 'arm64' : 'amd64')));
    if (archs.size === 0) archs.add('amd64');
    for (const arch of archs) {
      // The spec schema already refuses a pinned value that is not 64 lowercase hex digits.
      if (agent.sha256?.[arch as 'amd64' | 'arm64'] !== undefined) continue;
      report({
        at: s.pos(pointer('agent'), 'key'),
        messageId: 'unpinned',
        data: { arch },
        hint: 'pin sha256.' + arch + ' (sha256sum of the binary); a checksum fetched from the same place as the binary proves nothing',
      });
    }
  },
};
