/** least-privilege: a *:FullAccess built-in without `allowFullAccess: <reason>`. */
import { pointer } from '../../spec/yaml.js';
import { BUILTIN_BY_NAME } from '../../templates/builtins.js';
import type { Rule } from '../types.js';

export const fullAccessBuiltin: Rule = {
  meta: {
    id: 'full-access-builtin',
    title: '*:FullAccess built-in without a reason',
    severity: 'error',
    category: 'least-privilege',
    docs: {
      what: 'A service using a built-in template such as s3:FullAccess or dynamodb:FullAccess without `allowFullAccess: <reason>` on the service.',
      why: 'FullAccess is s3:* / dynamodb:* / sqs:* on every resource the scope allows. The seeds call it "use sparingly"; charter makes the choice explicit and reviewable.',
      bad: 'services:\n  app:\n    policies: [s3:FullAccess]\n    trust: [ec2]',
      good: 'services:\n  app:\n    policies: [s3:ReadOnly, s3:WriteOnly]\n    scope: { s3: ["arn:aws:s3:::app-data", "arn:aws:s3:::app-data/*"] }\n    trust: [ec2]',
      fix: 'Use ReadOnly/WriteOnly built-ins, or add `allowFullAccess: "<why>"` to the service (reviewers will see it).',
    },
    messages: {
      fullAccess: 'service {{service}} uses {{policy}} ({{actions}}) without allowFullAccess',
    },
  },
  spec(s, { report }) {
    for (const [name, svc] of Object.entries(s.loaded.spec.services ?? {})) {
      (svc.policies ?? []).forEach((pol, i) => {
        const b = BUILTIN_BY_NAME.get(pol);
        if (!b?.fullAccess) return;
        if (svc.allowFullAccess && svc.allowFullAccess.trim() !== '') return;
        report({ at: s.pos(pointer('services', name, 'policies', i)), messageId: 'fullAccess', data: { service: name, policy: pol }, context: { actions: b.actions.join(', ') }, hint: `use ${b.service}:ReadOnly / ${b.service}:WriteOnly, or add allowFullAccess: "<reason>" to the service`, subject: `service ${name}` });
      });
    }
  },
};
