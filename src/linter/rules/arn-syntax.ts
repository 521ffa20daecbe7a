/** grammar: Resource entries that are not "*" or a well-formed ARN. */
import { elementPath } from '../doc-model.js';
import type { Rule } from '../types.js';
import { allow, doc } from './util.js';

const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);

export function arnProblem(r: string): string | undefined {
  if (r === '*') return undefined;
  const v = r.replace(/\$\{[^}]*\}/g, 'X');
  if (!v.startsWith('arn:') && !/^arn\*|^\*/.test(v)) return 'is neither "*" nor an ARN (arn:partition:service:region:account:resource)';
  if (v.startsWith('*')) return undefined;
  const parts = v.split(':');
  if (parts.length < 6 && !v.endsWith('*')) return `has ${parts.length} of the 6 ARN parts (arn:partition:service:region:account:resource)`;
  const [, partition, service, region, account] = parts;
  if (partition !== undefined && !/[*?X]/.test(partition) && !PARTITIONS.has(partition)) return `has unknown partition "${partition}"`;
  if (service !== undefined && service === '') return 'has an empty service';
  if (service !== undefined && !/^[a-z0-9*?X-]+$/i.test(service)) return `has an invalid service "${service}"`;
  if (region !== undefined && !/^[a-z0-9*?X-]*$/.test(region)) return `has an invalid region "${region}"`;
  if (account !== undefined && !/^(\d{12}|aws|[*?X\d]*|cloudfront)$/.test(account)) return `has an invalid account "${account}" (12 digits, "*" or empty)`;
  if (/\{(region|accountId|account|partition)\}/i.test(r)) return 'contains an unresolved {placeholder}';
  return undefined;
}

export const arnSyntax: Rule = {
  meta: {
    id: 'arn-syntax',
    title: 'Malformed resource ARN',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A Resource or NotResource entry that is not "*" and not a well-formed ARN: fewer than six colon-separated parts, unknown partition, bad account id, or an unresolved {placeholder}.',
      why: 'IAM rejects some malformed ARNs; others are accepted and match nothing, so the permission silently does not work.',
      bad: '"Resource": "arn:aws:ssm:{region}:{accountId}:parameter/app/*"   # placeholders copied from a doc',
      good: '"Resource": "arn:aws:ssm:us-west-2:123456789012:parameter/app/*"   # or write {region} in a charter spec, which resolves it',
      fix: 'Write the full ARN; in a charter spec use {partition}, {region} and {accountId}, which the compiler resolves.',
    },
    messages: {
      badArn: '{{element}} "{{arn}}" {{problem}}',
    },
  },
  cases: [
    { name: 'well-formed', fire: false, policy: doc(allow('s3:GetObject', ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/${aws:username}/*']), allow('ssm:GetParameter', 'arn:aws:ssm:*:123456789012:parameter/x')) },
    { name: 'not an ARN', fire: true, policy: doc(allow('s3:GetObject', 'my-bucket/*')), message: 'neither', at: { line: 7, column: 19 } },
    { name: 'unresolved placeholder', fire: true, policy: doc(allow('ssm:GetParameter', 'arn:aws:ssm:{region}:{accountId}:parameter/lakerunner/*')), at: { line: 7, column: 19 } },
    { name: 'short', fire: true, policy: doc(allow('s3:GetObject', 'arn:aws:s3')), at: { line: 7, column: 19 } },
  ],
  document(d, { report }) {
    for (const st of d.statements)
      for (const el of ['Resource', 'NotResource'] as const) {
        for (const r of (el === 'Resource' ? st.resource : st.notResource) ?? []) {
          const p = arnProblem(r);
          if (p) report({ at: d.pos(st.index, ...elementPath(st, el, r)), messageId: 'badArn', data: { element: el, arn: r, problem: p }, hint: 'ARN form: arn:partition:service:region:account:resource' });
        }
      }
  },
};
