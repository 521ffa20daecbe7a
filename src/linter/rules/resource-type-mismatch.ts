/** grammar: no resource of the statement matches a resource type (ARN format) of the action. */
import { elementPath } from '../doc-model.js';
import { arnFormatGlob, globsIntersect, hasWildcard, variablesToWildcards } from '../../policy/glob.js';
import type { Rule } from '../types.js';
import { arnProblem } from '../../policy/arn.js';

const fmtCache = new Map<string, string>();
function formatGlob(arn: string): string {
  let g = fmtCache.get(arn);
  if (g === undefined) fmtCache.set(arn, (g = arnFormatGlob(arn)));
  return g;
}

/**
 * IAM matches a Resource pattern against the whole ARN string: a `*` may span colons (AWS's own
 * AmazonRedshiftQueryEditorV2* policies rely on "arn:aws:secretsmanager:*:*:sqlworkbench!*"
 * matching secrets). So the check is whole-string, against what real ARNs of the type look like
 * (arnFormatGlob: identifiers hold no ":").
 */
function arnIntersect(resource: string, format: string): boolean {
  return globsIntersect(resource, format);
}

/** Results by ARN format, then resource (no key string built per test: the corpus makes ~100,000 tests). */
const hitCache = new Map<string, Map<string, boolean>>();
let hitCount = 0;
function matches(resource: string, format: string): boolean {
  let byResource = hitCache.get(format);
  if (!byResource) hitCache.set(format, (byResource = new Map()));
  let v = byResource.get(resource);
  if (v === undefined) {
    v = arnIntersect(variablesToWildcards(resource), formatGlob(format));
    if (++hitCount > 200000) {
      hitCache.clear();
      hitCount = 0;
      hitCache.set(format, byResource);
    }
    byResource.set(resource, v);
  }
  return v;
}

export const resourceTypeMismatch: Rule = {
  meta: {
    id: 'resource-type-mismatch',
    title: 'Resource does not fit the action',
    severity: 'warning',
    category: 'grammar',
    docs: {
      what: 'An action named explicitly whose statement lists no resource of a type the action works on (matched against the ARN formats of the action\'s resource types), or an action that supports no resource-level permissions used without Resource "*".',
      why: 'IAM accepts the statement but it never applies to that action: the workload gets AccessDenied, or a Deny protects nothing. A typical slip is s3:ListBucket on "bucket/*" (ListBucket acts on the bucket ARN).',
      bad: '{ "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "arn:aws:s3:::my-bucket/*" }',
      good: '{ "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "arn:aws:s3:::my-bucket" }',
      fix: 'Add the ARN of the right resource type (the hint shows the expected format), or move the action to a statement with the right resources.',
    },
    messages: {
      wildcardOnly: '{{action}} does not support resource-level permissions, so it only works with Resource "*"',
      mismatch: 'no resource of this statement fits {{action}} (resource types: {{types}})',
    },
  },
  document(d, { iam, report }) {
    for (const st of d.statements) {
      if (!st.action || !st.resource || st.resource.includes('*')) continue;
      const resources = st.resource.filter((r) => !arnProblem(r));
      if (resources.length === 0) continue;
      for (const a of st.action) {
        if (a === '*' || hasWildcard(a)) continue;
        const info = iam.action(a);
        if (!info) continue;
        const where = () => d.pos(st.index, ...elementPath(st, 'Action', a));
        if (info.wildcardOnly) {
          // Only when every resource is a specific ARN: wildcard ARNs such as arn:aws:logs:*:*:* are
          // common for these actions in AWS's own policies and are not reported.
          if (resources.some(hasWildcard)) continue;
          report({ at: where(), messageId: 'wildcardOnly', data: { action: a }, hint: `move ${a} to a statement with "Resource": "*"` });
          continue;
        }
        const formats = iam.arnFormats(info);
        if (formats.length === 0) continue;
        if (resources.some((r) => formats.some((f) => matches(r, f)))) continue;
        const types = info.resourceTypes.map((r) => r.name).join(', ');
        report({ at: where(), messageId: 'mismatch', data: { action: a, resources: resources.join(' ') }, context: { types }, hint: `expected ${formats.slice(0, 3).join(' or ')}` });
      }
    }
  },
};
