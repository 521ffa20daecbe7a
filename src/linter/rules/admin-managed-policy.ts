/** least-privilege: administrative AWS managed policies attached to a role. */
import { ADMIN_MANAGED_POLICIES, awsManagedName } from '../aws-managed.js';
import type { Rule } from '../types.js';

export const adminManagedPolicy: Rule = {
  meta: {
    id: 'admin-managed-policy',
    title: 'Administrative AWS managed policy attached',
    severity: 'error',
    category: 'least-privilege',
    docs: {
      what: 'A role with an AWS managed policy that administers the account or a whole service: AdministratorAccess, PowerUserAccess, IAMFullAccess, AWSOrganizationsFullAccess (errors); AmazonEC2FullAccess, AmazonS3FullAccess, … (warnings).',
      why: 'An instance role with AdministratorAccess turns any code running on the instance (or any SSRF to its metadata service) into an account takeover. The seeds\' "Avoid" example.',
      bad: 'managed: [arn:aws:iam::aws:policy/AdministratorAccess]',
      good: 'policies: [s3:ReadOnly]\nscope: { s3: ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"] }',
      fix: 'Replace it with the narrow built-ins or statements the workload needs.',
    },
    messages: {
      attached: '{{subject}} has AWS managed policy {{policy}} attached: {{why}}',
    },
  },
  principal(p, { report }) {
    for (const m of p.managed) {
      if (m.kind !== 'aws') continue;
      const name = awsManagedName(m.arn);
      const admin = name ? ADMIN_MANAGED_POLICIES.get(name) : undefined;
      if (!admin || !name) continue;
      report({ at: m.at, messageId: 'attached', data: { subject: p.label, policy: name }, context: { why: admin.why }, hint: 'replace it with the narrow permissions the workload needs', severity: admin.severity, subject: p.label });
    }
  },
};
