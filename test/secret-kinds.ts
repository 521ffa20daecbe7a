/**
 * The secret kinds the redaction tests plant (test/secrets.test.ts for redactSecrets itself,
 * test/secrets-cli.test.ts for every command and format). Fake values in real formats.
 * `needles` are what must never appear in output: the value and, where redaction could leave part
 * of it, its secret-bearing core.
 */
export interface SecretKind {
  kind: string;
  /** The text planted. */
  value: string;
  needles: string[];
  /** Fits a name ([A-Za-z0-9_-]: services, instance groups). */
  nameSafe?: boolean;
  /** Fits a Sid ([A-Za-z0-9]). */
  sidSafe?: boolean;
  /** Spans lines (only block locations: user-data, descriptions as YAML blocks, policy JSON strings). */
  multiline?: boolean;
}

const pem = (label: string, body: string[]) => [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join('\n');

export const SECRET_KINDS: SecretKind[] = [
  { kind: 'access key id', value: 'AKIAQ3EGRV5TQXWNJ7KD', needles: ['AKIAQ3EGRV5TQXWNJ7KD'], nameSafe: true, sidSafe: true },
  { kind: 'access key id in a longer token', value: 'ReadWithAKIAQ3EGRV5TQXWNJ7KE', needles: ['AKIAQ3EGRV5TQXWNJ7KE'], nameSafe: true, sidSafe: true },
  { kind: 'temporary access key id', value: 'ASIAZ7XK2M4P9QRT3VWB', needles: ['ASIAZ7XK2M4P9QRT3VWB'], nameSafe: true, sidSafe: true },
  { kind: 'secret key assigned', value: 'aws_secret_access_key=Xq7vR2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZ+oP/k', needles: ['Xq7vR2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZ+oP/k', 'Xq7vR2mK9pLw4TnB8cY3'] },
  { kind: 'bare secret key (40 base64)', value: 'Rq4vT8mK1pLw6TnB2cY9hJ3dF7gS0aQe5uZ+oW/m', needles: ['Rq4vT8mK1pLw6TnB2cY9hJ3dF7gS0aQe5uZ+oW/m', 'Rq4vT8mK1pLw6TnB2cY9'] },
  { kind: 'URL-encoded secret key', value: 'Pq3vT8mK1pLw6TnB2cY9hJ3dF7gS0aQe5uZ%2BoW%2Fn', needles: ['Pq3vT8mK1pLw6TnB2cY9hJ3dF7gS0aQe5uZ%2BoW%2Fn', 'Pq3vT8mK1pLw6TnB2cY9hJ3dF7gS0aQe5uZ+oW/n', 'Pq3vT8mK1pLw6TnB2cY9'] },
  { kind: 'session token', value: 'FwoGZXIvYXdzEBYaDH3kq7vR2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZoPk2W9xLrN7qS4tV8yB1cD6fG3hJ0kM5nP2rT9uW4xZ7aC==', needles: ['FwoGZXIvYXdzEBYaDH3kq7vR2mK9pLw4TnB8', 'xLrN7qS4tV8yB1cD6fG3hJ0kM5nP2rT9uW4xZ7aC'] },
  { kind: 'RSA private key', value: pem('RSA PRIVATE KEY', ['MIIEowIBAAKCAQEAu8Fq3xV2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZoPk2W9xLrN7', 'qS4tV8yB1cD6fG3hJ0kM5nP2rT9uW4xZ7aCbDeFgHiJkLmNoPqRsTuVwXyZ01234']), needles: ['MIIEowIBAAKCAQEAu8Fq3xV2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZoPk2W9xLrN7', 'qS4tV8yB1cD6fG3hJ0kM5nP2rT9uW4xZ7aCbDeFgHiJkLmNoPqRsTuVwXyZ01234'], multiline: true },
  { kind: 'EC private key', value: pem('EC PRIVATE KEY', ['MHcCAQEEIBkq3xV2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZoPk2W9xoAoGCCqGSM49', 'AwEHoUQDQgAEr7Nq5tV8yB1cD6fG3hJ0kM5nP2rT9uW4xZ7aCbDeFgHiJkLmNoPq']), needles: ['MHcCAQEEIBkq3xV2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZoPk2W9xoAoGCCqGSM49', 'AwEHoUQDQgAEr7Nq5tV8yB1cD6fG3hJ0kM5nP2rT9uW4xZ7aCbDeFgHiJkLmNoPq'], multiline: true },
  { kind: 'OpenSSH private key', value: pem('OPENSSH PRIVATE KEY', ['b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', 'QyNTUxOQAAACBq3xV2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZoPk2W9xLgAAAJgq7vR2mK9p']), needles: ['b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', 'QyNTUxOQAAACBq3xV2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZoPk2W9xLgAAAJgq7vR2mK9p'], multiline: true },
  { kind: 'PGP private key', value: pem('PGP PRIVATE KEY BLOCK', ['', 'lQOYBGRq3xUBCAC2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZoPk2W9xLrN7qS4tV8yB', '1cD6fG3hJ0kM5nP2rT9uW4xZ7aCbDeFgHiJkLmNoPqRsTuVwXyZ0123456789ab', '=Xq7v']), needles: ['lQOYBGRq3xUBCAC2mK9pLw4TnB8cY3hJ6dF1gS5aQe0uZoPk2W9xLrN7qS4tV8yB', '1cD6fG3hJ0kM5nP2rT9uW4xZ7aCbDeFgHiJkLmNoPqRsTuVwXyZ0123456789ab'], multiline: true },
  { kind: 'GitHub token', value: 'ghp_R8x2Kq9LmV4nT7wB3cY6hJ1dF5gS0aQe2uZp', needles: ['ghp_R8x2Kq9LmV4nT7wB3cY6hJ1dF5gS0aQe2uZp', 'R8x2Kq9LmV4nT7wB3cY6hJ1dF5gS0aQe2uZp'], nameSafe: true },
  { kind: 'GitLab token', value: 'glpat-Xy7Kq2LmV9nT4wB8cY3h', needles: ['glpat-Xy7Kq2LmV9nT4wB8cY3h', 'Xy7Kq2LmV9nT4wB8cY3h'], nameSafe: true },
  { kind: 'Slack token', value: 'xoxb-1234567890-9876543210-AbCdEfGhIjKlMnOpQrStUvWx', needles: ['AbCdEfGhIjKlMnOpQrStUvWx'], nameSafe: true },
  { kind: 'credentials in a URL', value: 'https://deploy:S3cr3tPassw0rdX@git.example.com/org/repo.git', needles: ['S3cr3tPassw0rdX'] },
  { kind: 'URL-encoded credentials in a URL', value: 'https%3A%2F%2Fdeploy%3AS3cr3tPassw0rdY%40git.example.com%2Forg', needles: ['S3cr3tPassw0rdY'] },
  { kind: 'password= assignment', value: 'password=Hunter2Hunter2x', needles: ['Hunter2Hunter2x'] },
  { kind: 'secret= assignment', value: 'secret=Zk82mQpL0vXa', needles: ['Zk82mQpL0vXa'] },
  { kind: 'token= assignment', value: 'token=tk9ZqL2mV8xRb', needles: ['tk9ZqL2mV8xRb'] },
];

/** What charter must keep printing: content hashes, ARNs, hashed names, instance ids, client tokens, ExternalIds. */
export const MUST_KEEP: string[] = [
  '3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed',
  'sha256:3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed',
  '"hash": "9b74c9897bac770ffc029102a200c5de2f7a9bd1c0f6d8b7e1b5f3a6c2d4e8f0"',
  'plan 3f786850e387 was already applied in full',
  'arn:aws:iam::123456789012:role/charter/charter-ml-training-3f9a2b1c',
  'arn:aws:iam::123456789012:instance-profile/charter-web-0a1b2c3d',
  'charter-ml-training-3f9a2b1c',
  'i-0123456789abcdef0',
  'ami-0123456789abcdef0',
  'ch-web-0-0123456789abcdef0123456789abcdef',
  '"clientToken": "ch-gpu-workers-12-0123456789abcdef0123456789abcdef"',
  '"sts:ExternalId": "Zq9XvT2mK8pL4wR7nB3cY6hJ1dF5gS0aQe2uI9oP"',
  '{"StringEquals":{"sts:ExternalId":["x-7f3a","Zq9XvT2mK8pL4wR7nB3cY6hJ1dF5gS0aQe2uI9oP"]}}',
  '| {"StringEquals":{"sts:externalid":"Zq9XvT2mK8pL4wR7nB3cY6hJ1dF5gS0aQe2uI9oP"}} |',
  'partner: { aws: ["arn:aws:iam::111111111111:root"], externalId: Zq9XvT2mK8pL4wR7nB3cY6hJ1dF5gS0aQe2uI9oP }',
  'export AWS_ACCESS_KEY_ID=AKIDSANDBOXEXAMPLE00',
  'https://token.actions.githubusercontent.com',
  'https://sts.amazonaws.com:443/path@v2',
  'git@github.com:org/repo.git',
  '"Action": ["secretsmanager:GetSecretValue", "sts:GetSessionToken"]',
  'arn:aws:secretsmanager:us-west-2:123456789012:secret:prod/db-AbCdEf',
  '"Condition": { "StringEquals": { "aws:PrincipalTag/team": "ml" } }',
  'password=$(aws ssm get-parameter --name /app/db --with-decryption --query Parameter.Value --output text)',
  'https://user:${GIT_TOKEN}@git.example.com/repo.git',
  '[REDACTED:aws-access-key-id]',
  'Rate%20exceeded%3A%20try%20again',
];
