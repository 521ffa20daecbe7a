import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../src/spec/load.js';
import { formatProblem, InputError, type InputProblem } from '../src/diagnostics.js';
import { archOfInstanceType, compileLaunchGroups, parseDuration, MAX_USER_DATA_BYTES } from '../src/compiler/launch.js';
import { EXPIRES_AT_PLACEHOLDER, type LaunchGroup } from '../src/compiler/types.js';
import { stubRole } from './launch-helpers.js';

const HEAD = 'version: 1\nname: demo\nregion: us-east-1\nservices:\n  web: { trust: [ec2] }\n  batch: { trust: [ec2] }\n';

function compile(text: string, path = 'spec.yaml') {
  const loaded = parseSpec(text, path, path.startsWith('/') ? path : undefined);
  const roles = new Map(['web', 'batch'].map((s) => [s, stubRole(s)]));
  return compileLaunchGroups(loaded, roles);
}

function one(instanceYaml: string, extra = ''): LaunchGroup {
  const { launches, problems } = compile(`${HEAD}${extra}instances:\n  g:\n${instanceYaml}`);
  expect(problems.map(formatProblem)).toEqual([]);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}

const BASE = '    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n';

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['12h', 43200],
    ['7d', 604800],
    ['1h30m', 5400],
    ['1d1s', 86401],
  ])('%s → %d', (t, n) => expect(parseDuration(t)).toBe(n));
  it.each(['', '1', 'h', '1w', '1.5h', '-1h', '1h 30m'])('%j is not a duration', (t) => expect(parseDuration(t)).toBeUndefined());
});

describe('archOfInstanceType', () => {
  it.each([
    ['t4g.micro', 'arm64'],
    ['m7g.large', 'arm64'],
    ['c7gn.xlarge', 'arm64'],
    ['x2gd.large', 'arm64'],
    ['im4gn.large', 'arm64'],
    ['g5g.xlarge', 'arm64'],
    ['a1.large', 'arm64'],
    ['g5.xlarge', 'amd64'],
    ['g4dn.xlarge', 'amd64'],
    ['m7i-flex.large', 'amd64'],
    ['t3.micro', 'amd64'],
  ])('%s → %s', (t, a) => expect(archOfInstanceType(t)).toBe(a));
});

describe('RunInstances input', () => {
  it('has the safe defaults: IMDSv2 hop 1, encrypted root, no public IP, no shutdown behaviour, one instance', () => {
    const l = one(BASE);
    expect(l.runInstances).toMatchObject({
      ImageId: 'ami-0123456789abcdef0',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      IamInstanceProfile: { Name: 'charter-web-0a1b2c3d' },
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, DeleteOnTermination: true } }],
      NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false, DeleteOnTermination: true }],
    });
    expect(l.runInstances).not.toHaveProperty('InstanceInitiatedShutdownBehavior');
    expect(l.runInstances).not.toHaveProperty('InstanceMarketOptions');
    expect(l.runInstances).not.toHaveProperty('UserData');
    expect(l.runInstances).not.toHaveProperty('ClientToken');
    expect((l.runInstances.BlockDeviceMappings as Array<{ Ebs: object }>)[0]!.Ebs).not.toHaveProperty('KmsKeyId');
    expect(l.address).toBe('launch.g');
    expect(l.roleAddress).toBe('role.web');
    expect(l.instanceProfileName).toBe('charter-web-0a1b2c3d');
    expect(l.count).toBe(1);
    // no TTL, no idle timeout: no agent, no user-data
    expect(l.userData).toBe('');
    expect(l.userDataSize).toBe(0);
    expect(l.ttlSeconds).toBeUndefined();
  });

  it.each([
    ['containers: true → hop limit 2', '    containers: true\n', { MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 2 } }],
    ['containers: false → hop limit 1', '    containers: false\n', { MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 } }],
    [
      'KMS key and volume size/type',
      '    volume: { kmsKey: alias/ebs, size: 200, type: gp3 }\n',
      { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: true, Encrypted: true, KmsKeyId: 'alias/ebs', VolumeSize: 200, VolumeType: 'gp3' } }] },
    ],
    ['ttl → terminate on shutdown', '    ttl: 2h\n', { InstanceInitiatedShutdownBehavior: 'terminate' }],
    ['idle timeout → terminate on shutdown', '    idleTimeout: 30m\n', { InstanceInitiatedShutdownBehavior: 'terminate' }],
    ['publicIp: true', '    publicIp: true\n', { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true, DeleteOnTermination: true }] }],
    [
      'subnet and security groups (sorted, de-duplicated)',
      '    subnet: subnet-0abc\n    securityGroups: [sg-0b, sg-0a, sg-0b]\n',
      { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false, DeleteOnTermination: true, SubnetId: 'subnet-0abc', Groups: ['sg-0a', 'sg-0b'] }] },
    ],
    ['spot: true', '    spot: true\n', { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' } } }],
    ['spot with max price', '    spot: { maxPrice: "0.05" }\n', { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate', MaxPrice: '0.05' } } }],
    ['key pair', '    keyName: alice\n', { KeyName: 'alice' }],
  ])('%s', (_name, yaml, expected) => {
    const l = one(BASE + yaml);
    expect(l.runInstances).toMatchObject(expected);
  });

  it('keeps resolve:ssm: images as given and picks the Ubuntu root device for Canonical parameters', () => {
    const img = 'resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id';
    const l = one(`    service: web\n    type: t3.micro\n    image: ${img}\n`);
    expect(l.runInstances.ImageId).toBe(img);
    expect((l.runInstances.BlockDeviceMappings as Array<{ DeviceName: string }>)[0]!.DeviceName).toBe('/dev/sda1');
  });

  it('marks an ami- id without volume.deviceName for the image root lookup at apply; the hash ignores the mark', () => {
    const byId = one(BASE);
    expect(byId.rootDeviceFromImage).toBe(true);
    const explicit = one(BASE + '    volume: { deviceName: /dev/xvda }\n');
    expect(explicit.rootDeviceFromImage).toBeUndefined();
    expect((explicit.runInstances.BlockDeviceMappings as Array<{ DeviceName: string }>)[0]!.DeviceName).toBe('/dev/xvda');
    // Same RunInstances input either way: the launch hash (new instances or not) does not move.
    expect(explicit.hash).toBe(byId.hash);
    const ssm = one('    service: web\n    type: t3.micro\n    image: resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64\n');
    expect(ssm.rootDeviceFromImage).toBeUndefined();
  });

  it('shutdown behaviour is absent without ttl/idle timeout, even with spot', () => {
    expect(one(BASE + '    spot: true\n').runInstances).not.toHaveProperty('InstanceInitiatedShutdownBehavior');
  });

  it('encrypted: false is honoured (the linter flags it) and refuses a KMS key with it', () => {
    const l = one(BASE + '    volume: { encrypted: false }\n');
    expect((l.runInstances.BlockDeviceMappings as Array<{ Ebs: { Encrypted: boolean } }>)[0]!.Ebs.Encrypted).toBe(false);
    const { problems } = compile(`${HEAD}instances:\n  g:\n${BASE}    volume: { encrypted: false, kmsKey: alias/x }\n`);
    expect(problems.map(formatProblem)).toEqual(['spec.yaml:12:41  kmsKey is given but the volume is not encrypted  (remove encrypted: false)']);
  });

  it('refuses security group names', () => {
    // The schema says it (an editor shows it too): the loader refuses the spec with the form's sentence.
    let problems: InputProblem[] = [];
    try {
      compile(`${HEAD}instances:\n  g:\n${BASE}    securityGroups: [sg-0a, web]\n`);
    } catch (e) {
      if (e instanceof InputError) problems = e.problems;
    }
    expect(problems.map(formatProblem)).toEqual(['spec.yaml:12:29  security group `web` is not an id  (give the security group id (sg- and hex digits); launches take ids, not the names under securityGroups:)']);
  });
});

describe('tags', () => {
  it('managed tags, Name, spec + instance tags, sorted, on instance and volume, no expires-at', () => {
    const l = one(BASE + '    ttl: 12h\n    idleTimeout: 30m\n    count: 8\n    tags: { team: ml, owner: bob }\n', 'tags: { owner: alice, project: x }\n');
    const { ['charter:hash']: h, ...rest } = l.tags;
    expect(h).toBe(l.configHash.slice(0, 8));
    expect(rest).toEqual({
      Name: 'demo-g',
      'charter:created-by': 'charter',
      'charter:group': 'g',
      'charter:idle-timeout': '30m',
      'charter:managed': 'true',
      'charter:service': 'web',
      'charter:spec': 'demo',
      'charter:ttl': '12h',
      owner: 'bob',
      project: 'x',
      team: 'ml',
    });
    expect(Object.keys(l.tags)).toEqual(Object.keys(l.tags).sort());
    expect(l.tags).not.toHaveProperty('charter:expires-at');
    const tagList = Object.entries(l.tags).map(([Key, Value]) => ({ Key, Value }));
    expect(l.runInstances.TagSpecifications).toEqual([
      { ResourceType: 'instance', Tags: tagList },
      { ResourceType: 'volume', Tags: tagList },
    ]);
    expect(l.count).toBe(8);
    expect(l.ttlSeconds).toBe(43200);
    expect(l.idleTimeoutSeconds).toBe(1800);
  });

  it('a Name tag from the spec wins over the default; the prefix is honoured', () => {
    const { launches } = compile(`${HEAD}prefix: spawn\ninstances:\n  g:\n${BASE}    tags: { Name: trainer-box }\n`);
    expect(launches[0]!.tags.Name).toBe('trainer-box');
    expect(launches[0]!.tags['spawn:managed']).toBe('true');
  });

  it('reserved tag keys are problems at their line', () => {
    const { problems } = compile(`${HEAD}instances:\n  g:\n${BASE}    tags: { "charter:ttl": forever, "aws:x": y }\n`);
    expect(problems.map(formatProblem)).toEqual([
      'spec.yaml:12:13  tag key "charter:ttl" is reserved  (keys starting with "charter:" are charter\'s own; "aws:" keys belong to AWS)',
      'spec.yaml:12:37  tag key "aws:x" is reserved  (keys starting with "charter:" are charter\'s own; "aws:" keys belong to AWS)',
    ]);
  });
});

describe('user-data', () => {
  it('built-in agent by default when a ttl is set; the expiry is a placeholder', () => {
    const l = one(BASE + '    ttl: 12h\n');
    expect(l.userData.startsWith('#!/bin/bash\n')).toBe(true);
    expect(l.userData).toContain(`CHARTER_EXPIRES_AT='${EXPIRES_AT_PLACEHOLDER}'`);
    expect(l.userData).toContain("CHARTER_TTL_SECONDS='43200'");
    expect(l.userData).toContain('systemctl enable --now charter-agent.timer');
    expect(l.userDataSize).toBe(Buffer.byteLength(l.userData));
  });

  it('mode none: the user script passes through unchanged', () => {
    const l = one(BASE + '    ttl: 1h\n    userDataScript: "#cloud-config\\npackages: [htop]\\n"\n', 'agent: { mode: none }\n');
    expect(l.userData).toBe('#cloud-config\npackages: [htop]\n');
    expect(l.runInstances.InstanceInitiatedShutdownBehavior).toBe('terminate');
  });

  it('without ttl/idle the user script is used as is', () => {
    expect(one(BASE + '    userDataScript: "echo hi"\n').userData).toBe('echo hi');
  });

  it('keeps the user script after the agent, from a file relative to the spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-launch-'));
    writeFileSync(join(dir, 'train.sh'), '#!/bin/bash\necho training\n');
    const specPath = join(dir, 'spec.yaml');
    const { launches, problems } = compile(`${HEAD}instances:\n  g:\n${BASE}    ttl: 1h\n    userData: ./train.sh\n`, specPath);
    expect(problems).toEqual([]);
    const ud = launches[0]!.userData;
    expect(ud.indexOf('charter-agent.timer')).toBeLessThan(ud.indexOf('echo training'));
  });

  it('a missing user-data file is a problem at its line', () => {
    const { problems } = compile(`${HEAD}instances:\n  g:\n${BASE}    ttl: 1h\n    userData: ./nope.sh\n`, '/nonexistent-dir/spec.yaml');
    expect(problems.map(formatProblem)).toEqual(['/nonexistent-dir/spec.yaml:13:15  cannot read user-data file "./nope.sh" (ENOENT)  (the path is relative to the spec file)']);
  });

  it('cloud-config with the agent on is refused with a way out', () => {
    const { problems } = compile(`${HEAD}instances:\n  g:\n${BASE}    ttl: 1h\n    userDataScript: "#cloud-config\\n"\n`);
    expect(problems.map((p) => p.message)).toEqual(['user-data is cloud-init config or MIME, which cannot run after the agent setup script']);
  });

  it('refuses user-data over 16 KB with the size', () => {
    const body = 'echo ' + 'x'.repeat(17_000);
    const { problems, launches } = compile(`${HEAD}instances:\n  g:\n${BASE}    ttl: 1h\n    userDataScript: "${body}"\n`);
    expect(launches).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^user-data is \d{2},\d{3} bytes; limit 16,384$/);
    expect(formatProblem(problems[0]!)).toMatch(/^spec\.yaml:13:21  /);
    // and exactly at the limit it passes
    const agentOnly = one(BASE + '    ttl: 1h\n    userDataScript: "x"\n').userDataSize - 1;
    // heredoc adds a newline after a script without one: fill to exactly the limit
    const fill = 'x'.repeat(MAX_USER_DATA_BYTES - agentOnly);
    const exact = one(BASE + `    ttl: 1h\n    userDataScript: "${fill}"\n`);
    expect(exact.userDataSize).toBe(MAX_USER_DATA_BYTES);
    const over = compile(`${HEAD}instances:\n  g:\n${BASE}    ttl: 1h\n    userDataScript: "${fill}x"\n`);
    expect(over.problems[0]!.message).toBe('user-data is 16,385 bytes; limit 16,384');
  });
});

describe('binary agent', () => {
  const SHA = 'a'.repeat(64);
  it('refuses to compile without a pinned sha256 for the architecture in use, at the agent line', () => {
    const agent = `agent:\n  mode: binary\n  url: https://example.com/agent-{arch}\n  sha256: { amd64: ${SHA} }\n`;
    const { problems, launches } = compile(`${HEAD}${agent}instances:\n  a:\n${BASE}    ttl: 1h\n  b:\n    service: web\n    type: m7g.large\n    image: ami-0123456789abcdef0\n`);
    expect(problems.map(formatProblem)).toEqual([
      'spec.yaml:7:1  agent mode "binary" has no pinned sha256 for arm64, used by b (m7g.large)  (add agent.sha256.arm64: the checksum you verified yourself (a .sha256 file next to the binary proves nothing))',
    ]);
    expect(launches.map((l) => l.group)).toEqual(['a']);
  });

  it('downloads the per-arch URL and checks the pinned constant', () => {
    const agent = `agent:\n  mode: binary\n  url: https://example.com/agent-{arch}\n  sha256: { arm64: ${SHA} }\n`;
    const l = one('    service: web\n    type: t4g.small\n    image: ami-0123456789abcdef0\n', agent);
    expect(l.userData).toContain("'https://example.com/agent-arm64'");
    expect(l.userData).toContain(`printf '%s  %s\\n' '${SHA}' "$tmp" | sha256sum -c --status -`);
    expect(l.userData).not.toMatch(/\.sha256['"\s]/);
    expect(l.userData).toContain('charter-agent.service');
  });

  it('needs a url', () => {
    const { problems } = compile(`${HEAD}agent: { mode: binary, sha256: { amd64: ${SHA} } }\ninstances:\n  a:\n${BASE}`);
    expect(problems.map((p) => p.message)).toEqual(['agent mode "binary" needs url']);
  });
});

describe('determinism and hashing', () => {
  const text = `${HEAD}tags: { b: "2", a: "1" }\ninstances:\n  x:\n${BASE}    ttl: 1h\n  y:\n${BASE}    idleTimeout: 10m\n    spot: true\n`;
  it('same spec → same bytes', () => {
    expect(JSON.stringify(compile(text))).toBe(JSON.stringify(compile(text)));
  });
  it('reordering spec maps changes nothing', () => {
    const reordered = `${HEAD}tags: { a: "1", b: "2" }\ninstances:\n  y:\n    spot: true\n    idleTimeout: 10m\n${BASE}  x:\n    ttl: 1h\n${BASE}`;
    const strip = (r: ReturnType<typeof compile>) => JSON.stringify(r.launches.map(({ pos: _pos, ...l }) => l));
    expect(strip(compile(reordered))).toBe(strip(compile(text)));
  });
  it('the hash changes with the launch input and the user-data, not with count', () => {
    const h = (y: string) => one(BASE + y).hash;
    const base = h('    ttl: 1h\n');
    expect(h('    ttl: 1h\n    count: 5\n')).toBe(base);
    expect(h('    ttl: 2h\n')).not.toBe(base);
    expect(h('    ttl: 1h\n    userDataScript: "echo"\n')).not.toBe(base);
    expect(h('    ttl: 1h\n    publicIp: true\n')).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('tag budget', () => {
  it('counts the tags apply adds (hash, index, expires-at) against the 50-tag limit', () => {
    // managed: Name, managed, spec, created-by, group, service, ttl = 7; + hash + index + expires-at = 10
    const tags = (n: number) => '{ ' + Array.from({ length: n }, (_, i) => `t${String(i).padStart(2, '0')}: v`).join(', ') + ' }';
    expect(one(BASE + `    ttl: 1h\n    tags: ${tags(40)}\n`).tags).toHaveProperty('t39');
    const { problems } = compile(`${HEAD}instances:\n  g:\n${BASE}    ttl: 1h\n    tags: ${tags(41)}\n`);
    expect(problems.map(formatProblem)).toEqual(['spec.yaml:8:3  instances of "g" would carry 51 tags; EC2 allows 50  (remove some spec or instance tags)']);
  });
});

describe('user-data file size', () => {
  it('a file over the limit is refused with its size, without building the script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-launch-'));
    writeFileSync(join(dir, 'big.sh'), 'x'.repeat(17_201));
    const { problems } = compile(`${HEAD}instances:\n  g:\n${BASE}    ttl: 1h\n    userData: big.sh\n`, join(dir, 'spec.yaml'));
    expect(problems.map((p) => p.message)).toEqual(['user-data file "big.sh" is 17,201 bytes; limit 16,384']);
  });
});

describe('launch configuration hash, onChange and instance metadata tags (issue 10 §3)', () => {
  it('a ttl or idleTimeout change keeps the configuration hash (a tag update in place); anything else changes it', () => {
    const base = one(BASE + '    ttl: 12h\n    idleTimeout: 30m\n');
    const same = [one(BASE + '    ttl: 2h\n    idleTimeout: 30m\n'), one(BASE + '    ttl: 12h\n    idleTimeout: 1h\n'), one(BASE + '    ttl: 12h\n')];
    for (const l of same) {
      expect(l.configHash).toBe(base.configHash);
      expect(l.tags['charter:hash']).toBe(base.tags['charter:hash']);
      expect(l.hash).not.toBe(base.hash); // the bundle still sees the change
    }
    const different = [one(BASE.replace('t3.micro', 't3.small') + '    ttl: 12h\n    idleTimeout: 30m\n'), one(BASE + '    ttl: 12h\n    idleTimeout: 30m\n    volume: { size: 20 }\n'), one(BASE)];
    for (const l of different) expect(l.configHash).not.toBe(base.configHash);
    // onChange is policy, not configuration: same configuration hash, different bundle identity
    const keep = one(BASE + '    ttl: 12h\n    idleTimeout: 30m\n    onChange: keep\n');
    expect(keep.onChange).toBe('keep');
    expect(base.onChange).toBe('replace');
    expect(keep.configHash).toBe(base.configHash);
    expect(keep.hash).not.toBe(base.hash);
  });

  it.each([
    ['ttl: agent reads tags', '    ttl: 1h\n', true],
    ['idleTimeout: agent reads tags', '    idleTimeout: 10m\n', true],
    ['no lifetime: no agent, tags stay out of metadata', '', false],
  ])('InstanceMetadataTags: %s', (_n, yaml, on) => {
    const l = one(BASE + yaml);
    const md = (l.runInstances as { MetadataOptions: Record<string, unknown> }).MetadataOptions;
    expect(md.InstanceMetadataTags).toBe(on ? 'enabled' : undefined);
    expect(l.config.imds).toEqual({ httpTokens: 'required', hopLimit: 1, instanceMetadataTags: on });
  });

  it.each([
    ['a slash in a tag key with a ttl', '    ttl: 1h\n    tags: { "team/owner": x }\n', 'spec.yaml:13:13'],
    ['a space in a spec tag key with an idle timeout', '    idleTimeout: 5m\n', 'spec.yaml:7:9', 'tags: { "cost center": x }\n'],
  ])('a tag key instance metadata cannot hold is refused where the agent reads tags: %s', (_n, yaml, where, extra = '') => {
    const { problems } = compile(`${HEAD}${extra}instances:\n  g:\n${BASE}${yaml}`);
    expect(problems.map(formatProblem)).toEqual([expect.stringMatching(new RegExp(`^${where}  tag key .* cannot be read through instance metadata`))]);
  });

  it('the same tag keys are fine without an agent (no metadata tags)', () => {
    expect(one(BASE + '    tags: { "team/owner": x }\n').tags['team/owner']).toBe('x');
  });

  it('config: the typed launch configuration the plan shows, from the same values as RunInstances', () => {
    const l = one(BASE + '    ttl: 12h\n    spot: { maxPrice: "0.5" }\n    subnet: subnet-0123abcd\n    volume: { size: 40, type: gp3, kmsKey: alias/x }\n    userDataScript: "echo hi"\n');
    expect(l.config).toEqual({
      instanceType: 't3.micro',
      image: 'ami-0123456789abcdef0',
      spot: { maxPrice: '0.5' },
      subnet: 'subnet-0123abcd',
      securityGroups: [],
      publicIp: false,
      imds: { httpTokens: 'required', hopLimit: 1, instanceMetadataTags: true },
      rootVolume: { deviceName: '/dev/xvda', deviceNameFromImage: true, encrypted: true, kmsKey: 'alias/x', sizeGiB: 40, type: 'gp3' },
      ttl: '12h',
      shutdownTerminates: true,
      userData: { bytes: l.userDataSize, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(JSON.stringify(l.config)).not.toContain('echo hi');
  });
});
