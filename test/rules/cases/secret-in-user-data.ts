/** Case table of src/linter/rules/secret-in-user-data.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

const SVC = 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]\ninstances:\n  a:\n    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n    ttl: 1h\n';

export const cases: Record<string, RuleCase[]> = {
  'secret-in-user-data': [
    { name: 'secret fetched at boot', fire: false, spec: `${SPEC_HEAD}${SVC}    userDataScript: |\n      API_KEY=$(aws secretsmanager get-secret-value --secret-id myapp/api-key --query SecretString --output text)\n      export API_KEY\n` },
    { name: 'hard-coded API key (seed)', fire: true, spec: `${SPEC_HEAD}${SVC}    userDataScript: |\n      export API_KEY=sk-abc123xyz789\n      python app.py\n`, message: 'API_KEY', at: { line: 16, column: 22 } },
    { name: 'credentials in a clone URL', fire: true, spec: `${SPEC_HEAD}${SVC}    userDataScript: |\n      git clone https://deploy:S3cr3tPassw0rdX@git.example.com/org/app.git\n`, message: 'credentials in a URL', at: { line: 16, column: 25 } },
    { name: 'a credential-free clone URL', fire: false, spec: `${SPEC_HEAD}${SVC}    userDataScript: |\n      git clone https://git.example.com/org/app.git\n      git clone https://deploy:\${GIT_TOKEN}@git.example.com/org/lib.git\n` },
    { name: 'AWS keys in a user-data file (seed .env)', fire: true, spec: `${SPEC_HEAD}${SVC}    userData: ./boot.sh\n`, files: { 'boot.sh': '#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIA6GBMW7QFGZXVVBN6\nexport AWS_SECRET_ACCESS_KEY=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\n' }, message: 'AWS access key id', at: { line: 2, column: 26 } },
  ],
};
