/** grammar: condition keys that exist nowhere (unknown global key, unknown key of a known service). */
import { didYouMean } from '../../diagnostics.js';
import type { Rule } from '../types.js';
import { isRetiredService } from '../retired.js';

export const conditionKeyUnknown: Rule = {
  meta: {
    id: 'condition-key-unknown',
    title: 'Unknown condition key',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A condition key that is neither a global aws: key nor a key of its service (e.g. aws:RequestedRegions, ec2:InstanceTypes).',
      why: 'IAM accepts unknown keys; the condition then tests a value that is never present, so an Allow never matches and a Deny with a negated operator matches everything (or nothing) — rarely what was meant.',
      bad: '"Condition": { "StringEquals": { "aws:RequestedRegions": "us-west-2" } }',
      good: '"Condition": { "StringEquals": { "aws:RequestedRegion": "us-west-2" } }',
      fix: 'Use the key\'s exact name; the hint suggests the closest known key.',
    },
    messages: {
      noPrefix: 'condition key "{{key}}" has no service prefix',
      unknownGlobal: 'unknown global condition key "{{key}}"',
      unknownService: 'condition key "{{key}}" names unknown service "{{service}}"',
      unknownKey: 'unknown condition key "{{key}}" for {{service}}',
    },
  },
  document(d, { iam, report }) {
    for (let si = 0; si < d.statements.length; si++) {
      const st = d.statements[si]!;
      // Each key once (a set only for a statement with more than one condition).
      const seen = st.conditions.length > 1 ? new Set<string>() : undefined;
      for (let ci = 0; ci < st.conditions.length; ci++) {
        const c = st.conditions[ci]!;
        if (seen) {
          if (seen.has(c.key)) continue;
          seen.add(c.key);
        }
        const where = () => d.keyPos(st.index, 'Condition', c.op, c.key);
        const i = c.key.indexOf(':');
        if (i <= 0) {
          report({ at: where(), messageId: 'noPrefix', data: { key: c.key }, hint: 'keys look like aws:SourceIp or ec2:InstanceType' });
          continue;
        }
        const prefix = c.key.slice(0, i).toLowerCase();
        if (iam.isGlobalConditionKey(c.key)) continue; // includes service-prefixed globals such as ec2:SourceInstanceArn
        if (!iam.hasService(prefix) && isRetiredService(prefix)) continue;
        if (prefix === 'aws') {
          if (iam.isGlobalConditionKey(c.key)) continue;
          const guess = didYouMean(c.key, GLOBAL_HINTS);
          report({ at: where(), messageId: 'unknownGlobal', data: { key: c.key }, hint: guess ? `did you mean "${guess}"?` : 'see the AWS global condition context keys', severity: guess ? 'error' : 'warning' });
          continue;
        }
        if (iam.isFederationPrefix(prefix)) continue;
        if (!iam.hasService(prefix)) {
          report({ at: where(), messageId: 'unknownService', data: { key: c.key, service: prefix }, severity: 'warning' });
          continue;
        }
        if (!iam.conditionKeysLoaded(prefix)) continue;
        if (iam.serviceHasConditionKey(prefix, c.key)) continue;
        const guess = didYouMean(c.key, iam.serviceConditionKeys(prefix));
        // A close match is a typo (error); otherwise the key may be newer than the reference data (warning).
        report({ at: where(), messageId: 'unknownKey', data: { key: c.key, service: prefix }, hint: guess ? `did you mean "${guess}"?` : `${prefix} defines no such key in the Service Authorization Reference`, severity: guess ? 'error' : 'warning' });
      }
    }
  },
};

const GLOBAL_HINTS = [
  'aws:CalledVia', 'aws:CalledViaFirst', 'aws:CalledViaLast', 'aws:CurrentTime', 'aws:EpochTime', 'aws:FederatedProvider', 'aws:MultiFactorAuthAge',
  'aws:MultiFactorAuthPresent', 'aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:PrincipalIsAWSService', 'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths',
  'aws:PrincipalServiceName', 'aws:PrincipalServiceNamesList', 'aws:PrincipalType', 'aws:Referer', 'aws:RequestedRegion', 'aws:ResourceAccount',
  'aws:ResourceOrgID', 'aws:ResourceOrgPaths', 'aws:SecureTransport', 'aws:SourceAccount', 'aws:SourceArn', 'aws:SourceIdentity', 'aws:SourceIp',
  'aws:SourceOrgID', 'aws:SourceOrgPaths', 'aws:SourceOwner', 'aws:SourceVpc', 'aws:SourceVpce', 'aws:TagKeys', 'aws:TokenIssueTime', 'aws:UserAgent',
  'aws:userid', 'aws:username', 'aws:ViaAWSService', 'aws:VpcSourceIp',
];
