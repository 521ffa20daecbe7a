/** credentials-exposure: actions that return credentials, unconstrained. */
import { ActionTable, allResources, deniedInDoc } from '../grants.js';
import { elementPath } from '../doc-model.js';
import type { Rule, Stmt } from '../types.js';

/** Actions whose response is a credential (documented list; ecr:GetAuthorizationToken alone is fine). */
export const CREDENTIAL_ACTIONS: ReadonlyArray<[string, string]> = [
  ['sts:AssumeRole', 'credentials of any role that trusts this account'],
  ['sts:GetFederationToken', 'federated credentials'],
  ['iam:CreateAccessKey', 'long-term access keys of IAM users'],
  ['iam:CreateServiceSpecificCredential', 'CodeCommit/Keyspaces passwords of IAM users'],
  ['iam:ResetServiceSpecificCredential', 'new service-specific passwords'],
  ['iam:CreateLoginProfile', 'console passwords'],
  ['cognito-identity:GetCredentialsForIdentity', 'credentials of Cognito identities'],
  ['cognito-identity:GetOpenIdTokenForDeveloperIdentity', 'OpenID tokens for any developer identity'],
  ['sso:GetRoleCredentials', 'IAM Identity Center role credentials'],
  ['redshift:GetClusterCredentials', 'database credentials of any Redshift user'],
  ['redshift:GetClusterCredentialsWithIAM', 'database credentials for Redshift'],
  ['redshift-serverless:GetCredentials', 'database credentials for Redshift Serverless'],
  ['rds-db:connect', 'IAM database authentication tokens for any database user'],
  ['ec2:GetPasswordData', 'Windows administrator passwords of instances'],
  ['lightsail:GetInstanceAccessDetails', 'SSH keys and passwords of Lightsail instances'],
  ['lightsail:DownloadDefaultKeyPair', 'the default Lightsail private key'],
  ['sts:GetServiceBearerToken', 'bearer tokens for CodeArtifact and similar services'],
  ['codeartifact:GetAuthorizationToken', 'CodeArtifact repository tokens'],
];
/** The table's actions, indexed: one walk over a statement's patterns finds those it covers. */
const CREDENTIALS = new ActionTable(CREDENTIAL_ACTIONS.map(([a]) => a));

function broad(st: Stmt): boolean {
  if (st.conditions.length) return false;
  if (allResources(st)) return true;
  return (st.resource ?? []).some((r) => /(^|:)\*$|role\/\*$|user\/\*$/.test(r));
}

export const credentialsExposure: Rule = {
  meta: {
    id: 'credentials-exposure',
    title: 'Unconstrained action that returns credentials',
    severity: 'warning',
    category: 'credentials-exposure',
    docs: {
      what: 'An Allow, on every resource (or every role/user) and without conditions, of an action whose response is a credential: sts:AssumeRole, sts:GetFederationToken, iam:CreateAccessKey, iam:Create/ResetServiceSpecificCredential, iam:CreateLoginProfile, cognito-identity:GetCredentialsForIdentity, sso:GetRoleCredentials, redshift:GetClusterCredentials, rds-db:connect, ec2:GetPasswordData, lightsail access details, sts:GetServiceBearerToken, codeartifact:GetAuthorizationToken. ecr:GetAuthorizationToken is not listed: it is harmless without the ECR read actions.',
      why: 'Credentials outlive the session that fetched them and move laterally: sts:AssumeRole on "*" reaches every role in the organisation that trusts this account.',
      bad: '{ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*" }',
      good: '{ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/deploy" }',
      fix: 'Name the roles, users or databases, or add conditions.',
    },
    messages: {
      credentials: '{{action}} without resource scope or conditions returns {{what}}{{more}}',
    },
  },
  document(d, { report }) {
    if (d.kind !== 'identity') return;
    for (const st of d.statements) {
      if (st.effect !== 'Allow' || !broad(st)) continue;
      if (st.action?.some((a) => a === '*' || a === '*:*')) continue;
      const covered = CREDENTIALS.covered(st);
      if (covered.length === 0) continue;
      const hits = covered.filter((h) => !deniedInDoc(d, st, CREDENTIALS.actions[h.k]!));
      if (hits.length === 0) continue;
      const [a, what] = CREDENTIAL_ACTIONS[hits[0]!.k]!;
      const pat = hits[0]!.pattern;
      const more = hits.length > 1 ? ` (also ${hits.slice(1, 5).map((h) => CREDENTIALS.actions[h.k]).join(', ')}${hits.length > 5 ? ', …' : ''})` : '';
      report({ at: typeof pat === 'string' ? d.pos(st.index, ...elementPath(st, 'Action', pat)) : d.keyPos(st.index, 'NotAction'), messageId: 'credentials', data: { action: a, what }, context: { more }, hint: 'name the resources, or add conditions' });
    }
  },
};
