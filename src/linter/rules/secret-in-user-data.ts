/** secrets: credentials written into user-data. */
import { userDataSecretProblem, userDataSecrets } from '../../compiler/user-data-secrets.js';
import type { Rule } from '../types.js';

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
      fix: 'Store the secret in Secrets Manager or SSM Parameter Store (SecureString), grant the role read on that one ARN, and fetch it at boot. Rotate the leaked secret. Until then `charter compile --out` and `charter apply` refuse the spec (the same detection), unless given --allow-secrets-in-user-data.',
    },
    messages: {
      secret: '{{kind}} in user-data of launch {{group}} ({{where}})',
    },
  },
  spec(s, { report }) {
    // The detection compile --out and apply gate on (src/compiler/user-data-secrets.ts): each secret
    // once per launch, in order.
    /** How many secrets of each kind a launch's user-data holds so far: the identity of a finding is its kind and rank, never the value (nor a hash of it). */
    const rank = new Map<string, number>();
    for (const h of userDataSecrets(s.loaded, s.launches)) {
      const n = (rank.get(`${h.group}\0${h.description}`) ?? 0) + 1;
      rank.set(`${h.group}\0${h.description}`, n);
      report({ at: { ...h.pos, pointer: h.pointer }, messageId: 'secret', data: { kind: h.description, group: h.group, n }, context: { where: h.where }, hint: userDataSecretProblem(h).hint, subject: `launch ${h.group}` });
    }
  },
};
