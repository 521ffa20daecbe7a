/** Case table of src/linter/rules/secret-in-tags.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'secret-in-tags': [
    { name: 'ordinary tags', fire: false, spec: `${SPEC_HEAD}tags: { owner: alice, project: ml-research }\n` },
    { name: 'credentials in a URL in a tag value', fire: true, spec: `${SPEC_HEAD}tags: { owner: alice, repo: "https://deploy:S3cr3tPassw0rdX@git.example.com/org/app.git" }\n`, message: 'credentials in a URL', at: { line: 5, column: 29 } },
    { name: 'access key in a tag', fire: true, spec: `${SPEC_HEAD}tags: { owner: alice, key: AKIA6GBMW7QFGZXVVBN6 }\n`, message: 'tag key', at: { line: 5, column: 28 } },
  ],
};
