/** secrets: credentials written into user-data. */
import { LineIndex } from '../../diagnostics.js';
import { findSecrets, sha256Hex } from '../secret-scan.js';
import { instanceViews } from '../launch-view.js';
import type { Loc, Rule } from '../types.js';
import { SPEC_HEAD } from './util.js';

const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\ninstances:\n  a:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n';

export const secretInUserData: Rule = {
  meta: {
    id: 'secret-in-user-data',
    title: 'Secret in user-data',
    severity: 'error',
    category: 'secrets',
    docs: {
      what: 'User-data (a script file or inline `userDataScript`) containing an AWS access key id (AKIA…/ASIA…, also inside a longer token), an aws_secret_access_key, an STS session token, a private key block (RSA, EC, OpenSSH, PGP), a known token format (GitHub, GitLab, Slack, Stripe, Google), credentials in a URL (https://user:password@host), a literal assigned to a secret-looking variable (API_KEY=…, PASSWORD=…), or a high-entropy token — URL-encoded ones too. The finding names the place and the kind — never the value.',
      why: 'User-data is readable by anyone who can call ec2:DescribeInstanceAttribute and from inside the instance by every process (IMDS); it ends up in AMIs and logs. The seeds\' first "Don\'t" is an API key exported in user-data.',
      bad: 'userDataScript: |\n  export API_KEY=sk-EXAMPLE00000000\n  python app.py',
      good: 'userDataScript: |\n  API_KEY=$(aws secretsmanager get-secret-value --secret-id myapp/api-key --query SecretString --output text)\n  export API_KEY\n  python app.py',
      fix: 'Store the secret in Secrets Manager or SSM Parameter Store (SecureString), grant the role read on that one ARN, and fetch it at boot. Rotate the leaked secret.',
    },
    messages: {
      secret: '{{kind}} in user-data of launch {{group}} ({{where}})',
    },
  },
  cases: [
    { name: 'secret fetched at boot', fire: false, spec: `${SPEC_HEAD}${SVC}    userDataScript: |\n      API_KEY=$(aws secretsmanager get-secret-value --secret-id myapp/api-key --query SecretString --output text)\n      export API_KEY\n` },
    { name: 'hard-coded API key (seed)', fire: true, spec: `${SPEC_HEAD}${SVC}    userDataScript: |\n      export API_KEY=sk-abc123xyz789\n      python app.py\n`, message: 'API_KEY', at: { line: 16, column: 22 } },
    { name: 'credentials in a clone URL', fire: true, spec: `${SPEC_HEAD}${SVC}    userDataScript: |\n      git clone https://deploy:S3cr3tPassw0rdX@git.example.com/org/app.git\n`, message: 'credentials in a URL', at: { line: 16, column: 25 } },
    { name: 'a credential-free clone URL', fire: false, spec: `${SPEC_HEAD}${SVC}    userDataScript: |\n      git clone https://git.example.com/org/app.git\n      git clone https://deploy:\${GIT_TOKEN}@git.example.com/org/lib.git\n` },
    { name: 'AWS keys in a user-data file (seed .env)', fire: true, spec: `${SPEC_HEAD}${SVC}    userData: ./boot.sh\n`, files: { 'boot.sh': '#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIA6GBMW7QFGZXVVBN6\nexport AWS_SECRET_ACCESS_KEY=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\n' }, message: 'AWS access key id', at: { line: 2, column: 26 } },
  ],
  spec(s, { report }) {
    const specIdx = new LineIndex(s.loaded.yaml.text);
    for (const v of instanceViews(s)) {
      const seen = new Set<string>();
      /** How many secrets of each kind this launch's user-data holds so far: the identity of a finding is its kind and rank, never the value (nor a hash of it). */
      const rank = new Map<string, number>();
      const emit = (at: Loc, kind: string, where: string, value: string) => {
        const k = sha256Hex(value);
        if (seen.has(k)) return;
        seen.add(k);
        const n = (rank.get(kind) ?? 0) + 1;
        rank.set(kind, n);
        report({ at, messageId: 'secret', data: { kind, group: v.group, n }, context: { where }, hint: 'fetch it at boot from Secrets Manager or SSM Parameter Store, and rotate it', subject: `launch ${v.group}` });
      };
      const ud = v.userData;
      if (ud) {
        const idx = new LineIndex(ud.text);
        for (const h of findSecrets(ud.text)) {
          const value = ud.text.slice(h.index, h.index + h.length);
          if (ud.file) {
            const p = idx.pos(ud.file.display, h.index);
            // The pointer names the spec entry, so `lint.ignore` with path instances.<group> covers it.
            emit({ ...p, pointer: `${v.ptr}/userData` }, h.description, `${ud.file.display} line ${p.line}`, value);
          } else {
            const off = s.loaded.yaml.text.indexOf(value);
            const p = off >= 0 ? { ...specIdx.pos(s.loaded.yaml.file, off), pointer: ud.inlinePtr ?? v.ptr } : s.pos(ud.inlinePtr ?? v.ptr);
            emit(p, h.description, `userDataScript line ${idx.pos('', h.index).line}`, value);
          }
        }
      }
      // What charter adds (agent config, wrapper) is scanned too, through the compiled launch.
      if (v.launch) {
        for (const h of findSecrets(v.launch.userData)) {
          const value = v.launch.userData.slice(h.index, h.index + h.length);
          emit(s.pos(v.ptr, 'key'), h.description, 'compiled user-data', value);
        }
      }
    }
  },
};
