// A generated spec of N services and M instance groups, exercising every feature (compile and table benches).
const BUILTINS = ['s3:ReadOnly', 's3:WriteOnly', 'logs:WriteOnly', 'ecr:ReadOnly', 'sqs:ReadOnly', 'sqs:WriteOnly', 'dynamodb:ReadOnly', 'secretsmanager:ReadOnly', 'ssm:ReadOnly'];

/** A spec with `services` services and `groups` instance groups, exercising every feature. */
export function generateSpec(services, groups) {
  const out = [
    'version: 1',
    'name: bench',
    'prefix: bench',
    'region: us-east-1',
    'account: "123456789012"',
    'tags: { owner: bench, project: perf }',
    'templates:',
    '  bucket-read:',
    '    params: [bucket, { name: prefixes, type: list, default: [in] }]',
    '    statements:',
    '      - actions: [s3:GetObject, s3:ListBucket]',
    '        resources: ["arn:{partition}:s3:::{bucket}", "arn:{partition}:s3:::{bucket}/{prefixes}/*"]',
    'trust:',
    '  partner: { aws: ["arn:aws:iam::210987654321:root"], externalId: ext-1, mfa: true }',
    'services:',
  ];
  for (let i = 0; i < services; i++) {
    const p = [BUILTINS[i % BUILTINS.length], BUILTINS[(i * 7 + 3) % BUILTINS.length]];
    out.push(`  svc-${i}:`);
    out.push(`    policies: [${[...new Set(p)].join(', ')}]`);
    if (i % 3 === 0) {
      const scope = [];
      if (p.some((x) => x.startsWith('s3:'))) scope.push(`s3: ["arn:aws:s3:::data-${i}", "arn:aws:s3:::data-${i}/*"]`);
      if (p.some((x) => x.startsWith('logs:'))) scope.push(`logs: ["arn:aws:logs:{region}:{accountId}:log-group:/svc/${i}*"]`);
      if (scope.length) out.push(`    scope: { ${scope.join(', ')} }`);
    }
    if (i % 2 === 0) out.push(`    use: [{ template: bucket-read, bucket: models-${i}, prefixes: [a, b] }]`);
    out.push('    statements:');
    out.push(`      - actions: [sqs:SendMessage, sqs:GetQueueUrl]`);
    out.push(`        resources: ["arn:aws:sqs:{region}:{accountId}:queue-${i}"]`);
    out.push(`        conditions: { Bool: { "aws:SecureTransport": "true" } }`);
    if (i % 5 === 0) out.push('    managed: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]');
    out.push(`    trust: [${i % 11 === 0 ? 'ec2, partner' : 'ec2'}]`);
    out.push(`    tags: { index: "${i}" }`);
  }
  out.push('instances:');
  for (let g = 0; g < groups; g++) {
    out.push(`  group-${g}:`);
    out.push(`    service: svc-${(g * 5) % services}`);
    out.push('    type: m7i.large');
    out.push('    image: resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    out.push(`    count: ${(g % 8) + 1}`);
    out.push('    ttl: 4h');
    if (g % 2 === 0) out.push('    idleTimeout: 30m');
  }
  return out.join('\n') + '\n';
}
