/** Case table of src/linter/rules/privesc-cross-role.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { SPEC_HEAD } from './util.js';

const ACCT = '123456789012';

const ROLE = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`;

/** One service of a case spec: an explicit role name, its statements ([actions, resources, more lines]), a trust. */
function svc(name: string, statements: Array<[string, string, string?]>, trust: string, more = ''): string {
  const st = statements.map(([a, r, x]) => `      - actions: [${a}]\n        resources: [${r}]\n${x ?? ''}`).join('');
  return `  ${name}:\n    name: ${name}\n    statements:\n${st}${more}    trust: [${trust}]\n`;
}

/** A case spec: the header (4 lines), optional named trusts, then services. */
function spec(services: string, trust = ''): string {
  return `${SPEC_HEAD}${trust ? `trust:\n${trust}` : ''}services:\n${services}`;
}

const ROOT_TRUST = `  from-account:\n    aws: ["arn:aws:iam::${ACCT}:root"]\n`;

const CI_TRUST = `  from-ci:\n    aws: ["${ROLE('ci')}"]\n`;

const DEPLOY = svc('deploy', [['"s3:*", "ec2:*"', '"*"']], 'from-account');

const DEPLOY_EC2 = DEPLOY.replace('from-account', 'ec2');

const DEPLOY_LAMBDA = DEPLOY.replace('from-account', 'lambda');

const S = (x: string) => `"${x}"`;

const CI_ASSUMES = (more?: string) => svc('ci', [['sts:AssumeRole', S(ROLE('deploy')), more]], 'ec2');

/** ci passes `target` (first statement) and may run `actions` on everything (second). */
const CI_PASSES = (actions: string, target = 'deploy', more?: string) => svc('ci', [['iam:PassRole', S(ROLE(target)), more], [actions, '"*"']], 'ec2');

export const cases: Record<string, RuleCase[]> = {
  'privesc-cross-role': [
    // Must fire, each with where: the grant that reaches the target, or the trust entry that names the role.
    { name: 'assume: the target trusts the account and the role is granted sts:AssumeRole on it', fire: true, spec: spec(CI_ASSUMES() + DEPLOY, ROOT_TRUST), message: 'role ci can assume role deploy', severity: 'error', at: { line: 12, column: 19 } },
    { name: 'assume: the target\'s trust names the role (no identity grant needed in one account)', fire: true, spec: spec(svc('ci', [['s3:GetObject', S('arn:aws:s3:::artifacts/*')]], 'ec2') + DEPLOY.replace('from-account', 'from-ci'), CI_TRUST), message: 'its trust policy names role ci', severity: 'error', at: { line: 20, column: 13 } },
    { name: 'assume: sts:AssumeRole on a name prefix that matches the target', fire: true, spec: spec(svc('ci', [['sts:AssumeRole', S(ROLE('dep*'))]], 'ec2') + DEPLOY, ROOT_TRUST), message: 'role ci can assume role deploy', severity: 'error', at: { line: 12, column: 19 } },
    { name: 'assume: an always-true condition (aws:SecureTransport true) limits nothing', fire: true, spec: spec(CI_ASSUMES('        conditions: { Bool: { "aws:SecureTransport": "true" } }\n') + DEPLOY, ROOT_TRUST), message: 'role ci can assume role deploy', severity: 'error', at: { line: 12, column: 19 } },
    { name: 'assume: a condition that limits it (aws:ResourceTag) is a warning naming it', fire: true, spec: spec(CI_ASSUMES('        conditions: { StringEquals: { "aws:ResourceTag/team": "web" } }\n') + DEPLOY, ROOT_TRUST), message: 'limited to condition aws:ResourceTag/team', severity: 'warning', at: { line: 12, column: 19 } },
    { name: 'assume: the target is more privileged through AWS managed AdministratorAccess', fire: true, spec: spec(CI_ASSUMES() + svc('deploy', [['s3:GetObject', S('arn:aws:s3:::artifacts/*')]], 'from-account', '    managed: [arn:aws:iam::aws:policy/AdministratorAccess]\n'), ROOT_TRUST), message: 'which amounts to an administrator: it is granted every action on every resource', severity: 'error', at: { line: 12, column: 19 } },
    { name: 'lateral: the target holds more (another bucket) but cannot take the account over: a warning naming what it gains', fire: true, spec: spec(CI_ASSUMES() + svc('deploy', [['s3:GetObject', S('arn:aws:s3:::releases/*')]], 'from-account'), ROOT_TRUST), message: 'which is more privileged: it is granted s3:GetObject, which role ci is not', severity: 'warning', at: { line: 12, column: 19 } },
    { name: 'assume: the target\'s trust admits anyone with an external id: a warning naming the condition', fire: true, spec: spec(CI_ASSUMES() + DEPLOY.replace('from-account', 'anyone'), '  anyone:\n    aws: ["*"]\n    externalId: x-1234\n'), message: 'its trust policy admits any principal', severity: 'warning', at: { line: 13, column: 19 } },
    { name: 'pass: iam:PassRole on the target + ec2:RunInstances, the target trusts EC2', fire: true, spec: spec(CI_PASSES('ec2:RunInstances') + DEPLOY_EC2), message: 'role ci can pass role deploy (iam:PassRole on it with ec2:RunInstances, and role deploy trusts ec2.amazonaws.com)', severity: 'error', at: { line: 9, column: 19 } },
    { name: 'pass: iam:PassedToService naming the very service leaves it open', fire: true, spec: spec(CI_PASSES('ec2:RunInstances', 'deploy', '        conditions: { StringEquals: { "iam:PassedToService": ec2.amazonaws.com } }\n') + DEPLOY_EC2), message: 'role ci can pass role deploy', severity: 'error', at: { line: 9, column: 19 } },
    { name: 'pass: Lambda create + invoke, the target trusts Lambda', fire: true, spec: spec(CI_PASSES('lambda:CreateFunction, lambda:InvokeFunction') + DEPLOY_LAMBDA), message: 'lambda:CreateFunction + lambda:InvokeFunction', severity: 'error', at: { line: 9, column: 19 } },
    { name: 'pass: Auto Scaling launch configuration, the target trusts EC2 (which runs the instances)', fire: true, spec: spec(CI_PASSES('autoscaling:CreateLaunchConfiguration, autoscaling:CreateAutoScalingGroup') + DEPLOY_EC2), message: 'autoscaling:CreateLaunchConfiguration + autoscaling:CreateAutoScalingGroup', severity: 'error', at: { line: 9, column: 19 } },
    { name: 'rewrite trust: iam:UpdateAssumeRolePolicy on the target', fire: true, spec: spec(svc('ci', [['iam:UpdateAssumeRolePolicy', S(ROLE('deploy'))]], 'ec2') + DEPLOY_EC2), message: 'role ci can rewrite the trust policy of role deploy', severity: 'error', at: { line: 9, column: 19 } },
    { name: 'reach and change: ci assumes a less privileged role it can also write policies on', fire: true, spec: spec(svc('ci', [['sts:AssumeRole, iam:PutRolePolicy', S(ROLE('deploy'))], ['"s3:*"', '"*"']], 'ec2') + svc('deploy', [['s3:GetObject', '"*"']], 'from-account'), ROOT_TRUST), message: 'change its permissions (iam:PutRolePolicy)', severity: 'error', at: { line: 12, column: 19 } },
    { name: 'several targets through one grant: one finding naming them, an error when one amounts to an administrator', fire: true, spec: spec(svc('ci', [['iam:PassRole, ec2:RunInstances', '"*"']], 'ec2') + DEPLOY_EC2 + svc('build', [['s3:GetObject', S('arn:aws:s3:::releases/*')]], 'ec2')), message: 'role ci can pass 2 more privileged roles, 1 of them amounting to administrators or open to change. role ci can pass role deploy', severity: 'error', at: { line: 9, column: 19 } },
    // Must not fire.
    { name: 'sts:AssumeRole on a target whose trust admits only EC2', fire: false, spec: spec(CI_ASSUMES() + DEPLOY_EC2) },
    { name: 'the target trusts the account, but ci is granted no sts:AssumeRole', fire: false, spec: spec(svc('ci', [['s3:GetObject', '"*"']], 'ec2') + DEPLOY, ROOT_TRUST) },
    { name: 'the target is less privileged than ci', fire: false, spec: spec(svc('ci', [['sts:AssumeRole', S(ROLE('deploy'))], ['"s3:*", "ec2:*"', '"*"']], 'ec2') + svc('deploy', [['s3:GetObject', S('arn:aws:s3:::artifacts/*')]], 'from-account'), ROOT_TRUST) },
    { name: 'the target\'s trust names ci, and it holds the same as ci', fire: false, spec: spec(svc('ci', [['"s3:*", "ec2:*"', '"*"']], 'ec2') + DEPLOY.replace('from-account', 'from-ci'), CI_TRUST) },
    { name: 'a Deny in the target removes what it holds beyond ci', fire: false, spec: spec(svc('ci', [['sts:AssumeRole', S(ROLE('deploy'))], ['s3:GetObject', '"*"']], 'ec2') + svc('deploy', [['s3:GetObject, s3:DeleteObject', '"*"'], ['s3:DeleteObject', '"*"', '        effect: Deny\n']], 'from-account'), ROOT_TRUST) },
    { name: 'an administrator role reaching a less privileged one it can change gains nothing', fire: false, spec: spec(svc('ci', [['"*"', '"*"']], 'ec2') + svc('deploy', [['s3:GetObject', '"*"']], 'from-account'), ROOT_TRUST) },
    { name: 'a role that can already write its own policies (iam:PutRolePolicy on every role) gains nothing by becoming another', fire: false, spec: spec(svc('ci', [['sts:AssumeRole', S(ROLE('deploy'))], ['iam:PutRolePolicy', '"*"']], 'ec2') + DEPLOY, ROOT_TRUST) },
    { name: 'PassRole on the target + RunInstances, but the target trusts Lambda only', fire: false, spec: spec(CI_PASSES('ec2:RunInstances') + DEPLOY_LAMBDA) },
    { name: 'PassRole on the target limited to another service (iam:PassedToService lambda)', fire: false, spec: spec(CI_PASSES('ec2:RunInstances', 'deploy', '        conditions: { StringEquals: { "iam:PassedToService": lambda.amazonaws.com } }\n') + DEPLOY_EC2) },
    { name: 'PassRole on another role only', fire: false, spec: spec(CI_PASSES('ec2:RunInstances', 'worker') + DEPLOY_EC2) },
    { name: 'PassRole + lambda:CreateFunction without a way to run it', fire: false, spec: spec(CI_PASSES('lambda:CreateFunction') + DEPLOY_LAMBDA) },
    { name: 'an unconditional Deny of sts:AssumeRole on the target', fire: false, spec: spec(svc('ci', [['sts:AssumeRole', '"*"'], ['sts:AssumeRole', S(ROLE('deploy')), '        effect: Deny\n']], 'ec2') + DEPLOY, ROOT_TRUST) },
    { name: 'a trust that requires MFA shuts roles out', fire: false, spec: spec(CI_ASSUMES() + DEPLOY.replace('from-account', 'humans'), `  humans:\n    aws: ["arn:aws:iam::${ACCT}:root"]\n    mfa: true\n`) },
    { name: 'the target trusts another account', fire: false, spec: spec(svc('ci', [['sts:AssumeRole', '"*"']], 'ec2') + DEPLOY.replace('from-account', 'other'), '  other:\n    aws: ["arn:aws:iam::111111111111:root"]\n') },
    { name: 'UpdateAssumeRolePolicy on another role only', fire: false, spec: spec(svc('ci', [['iam:UpdateAssumeRolePolicy', S(ROLE('worker'))]], 'ec2') + DEPLOY_EC2) },
  ],
};
