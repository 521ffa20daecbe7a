/** Case table of src/linter/rules/trust-web-identity.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD, trustOf } from './util.js';

const GH = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

const GH_AUD = { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' };

const WEB = 'sts:AssumeRoleWithWebIdentity';

export const cases: Record<string, RuleCase[]> = {
  'trust-web-identity': [
    { name: 'GitHub: one repository and branch, with aud', fire: false, policy: trustOf({ Federated: GH }, { StringEquals: { ...GH_AUD, 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' } }, WEB) },
    { name: 'GitHub: no sub', fire: true, policy: trustOf({ Federated: GH }, { StringEquals: GH_AUD }, WEB), message: 'no token.actions.githubusercontent.com:sub condition', at: { line: 6, column: 20 } },
    { name: 'GitHub: sub repo:*', fire: true, policy: trustOf({ Federated: GH }, { StringEquals: GH_AUD, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } }, WEB), message: 'matches any identity', at: { line: 15, column: 54 } },
    { name: 'GitHub: org-wide sub is a warning naming what it admits', fire: true, policy: trustOf({ Federated: GH }, { StringEquals: GH_AUD, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } }, WEB), message: 'every repository of acme, on every branch, pull request and environment', at: { line: 15, column: 54 } },
    { name: 'GitHub: repo-wide sub (every branch of one repository) is not org-wide', fire: false, policy: trustOf({ Federated: GH }, { StringEquals: GH_AUD, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:*' } }, WEB) },
    { name: 'GitHub: no aud', fire: true, policy: trustOf({ Federated: GH }, { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' } }, WEB), message: 'without an token.actions.githubusercontent.com:aud condition', at: { line: 6, column: 20 } },
    { name: 'EKS service account: any', fire: true, policy: trustOf({ Federated: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABCDEF' }, { StringLike: { 'oidc.eks.us-west-2.amazonaws.com/id/ABCDEF:sub': 'system:serviceaccount:*', 'oidc.eks.us-west-2.amazonaws.com/id/ABCDEF:aud': 'sts.amazonaws.com' } }, WEB), message: 'matches any identity', at: { line: 12, column: 61 } },
    { name: 'EKS service account: one', fire: false, policy: trustOf({ Federated: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABCDEF' }, { StringEquals: { 'oidc.eks.us-west-2.amazonaws.com/id/ABCDEF:sub': 'system:serviceaccount:prod:app', 'oidc.eks.us-west-2.amazonaws.com/id/ABCDEF:aud': 'sts.amazonaws.com' } }, WEB) },
    { name: 'Terraform Cloud: organisation-wide', fire: true, policy: trustOf({ Federated: 'arn:aws:iam::123456789012:oidc-provider/app.terraform.io' }, { StringEquals: { 'app.terraform.io:aud': 'aws.workload.identity' }, StringLike: { 'app.terraform.io:sub': 'organization:acme:*' } }, WEB), message: 'Terraform Cloud organisation acme', at: { line: 15, column: 35 } },
    { name: 'GitLab: no sub', fire: true, policy: trustOf({ Federated: 'arn:aws:iam::123456789012:oidc-provider/gitlab.com' }, { StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' } }, WEB), message: 'gitlab.com', at: { line: 6, column: 20 } },
    { name: 'Bitbucket: sub *', fire: true, policy: trustOf({ Federated: 'arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc' }, { StringEquals: { 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc:aud': 'ari:cloud:bitbucket::workspace/x' }, StringLike: { 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc:sub': '*' } }, WEB), message: 'matches any identity', at: { line: 15, column: 87 } },
    { name: 'SAML federation is not OIDC', fire: false, policy: trustOf({ Federated: 'arn:aws:iam::123456789012:saml-provider/okta' }, { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } }, 'sts:AssumeRoleWithSAML') },
    { name: 'spec: subjects ["*"]', fire: true, spec: `${SPEC_HEAD}trust:\n  gha:\n    federated:\n      provider: token.actions.githubusercontent.com\n      subjects: ["*"]\nservices:\n  deploy:\n    statements:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::b/*"]\n    trust: [gha]\n`, message: 'matches any identity', at: { line: 15, column: 13 } },
    { name: 'spec: one repository', fire: false, spec: `${SPEC_HEAD}trust:\n  gha:\n    federated:\n      provider: token.actions.githubusercontent.com\n      subjects: ["repo:acme/app:ref:refs/heads/main"]\nservices:\n  deploy:\n    statements:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::b/*"]\n    trust: [gha]\n` },
  ],
};
