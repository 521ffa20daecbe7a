/**
 * The agent user-data, run for real in a sandboxed bash: PATH starts with a directory of stub
 * commands (systemctl, shutdown, logger, who, uname, curl, date) that only record their calls, and
 * CHARTER_ROOT points every path the scripts write at a temp directory.
 */
import { spawnSync } from 'node:child_process';
import { SUITE_TIMEOUT_MS } from './suite-clock.js';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSpec } from '../src/spec/load.js';
import { formatProblem } from '../src/diagnostics.js';
import { compileLaunchGroups } from '../src/compiler/launch.js';
import { AGENT_CHECK_SCRIPT, AGENT_RUN_SCRIPT, REMOTE_SESSION_PATTERN } from '../src/compiler/agent-script.js';
import { heredoc, heredocDelimiter, shq } from '../src/compiler/shell.js';
import { EXPIRES_AT_PLACEHOLDER, type LaunchGroup } from '../src/compiler/types.js';
import { stubRole } from './launch-helpers.js';
import type { LoadedSpec } from '../src/spec/types.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function launchesOf(loaded: LoadedSpec): LaunchGroup[] {
  const services = Object.keys(loaded.spec.services ?? {});
  const { launches, problems } = compileLaunchGroups(loaded, new Map(services.map((s) => [s, stubRole(s)])));
  expect(problems.map(formatProblem)).toEqual([]);
  return launches;
}

function compileOne(text: string): LaunchGroup {
  const launches = launchesOf(parseSpec(text, 'spec.yaml'));
  expect(launches).toHaveLength(1);
  return launches[0]!;
}

const realDate = spawnSync('bash', ['-c', 'command -v date'], { encoding: 'utf8' }).stdout.trim();

const STUBS: Record<string, string> = {
  systemctl: 'rec systemctl "$@"',
  shutdown: 'rec shutdown "$@"',
  reboot: 'rec reboot "$@"',
  poweroff: 'rec poweroff "$@"',
  logger: 'rec logger "$@"',
  who: 'rec who; [ -n "${FAKE_WHO:-}" ] && printf "%s\\n" "$FAKE_WHO"; exit 0',
  pgrep: 'rec pgrep "$@"; n=${FAKE_REMOTE_SESSIONS:-0}; echo "$n"; [ "$n" -gt 0 ]',
  'nvidia-smi': 'rec nvidia-smi "$@"; [ -n "${FAKE_GPU:-}" ] || exit 9; printf "%s\\n" $FAKE_GPU',
  uname: 'if [ "${1:-}" = -m ]; then echo "${FAKE_UNAME:-x86_64}"; else echo Linux; fi',
  // instance metadata (IMDSv2): FAKE_IMDS is a directory with one file per instance tag; unset: unreachable
  curl: 'rec curl "$@"; url=; for a in "$@"; do case $a in http://169.254.169.254/*) url=$a ;; esac; done; if [ -n "$url" ]; then [ -n "${FAKE_IMDS:-}" ] || exit 7; p=${url#http://169.254.169.254/latest/}; case $p in api/token) echo tok; exit 0 ;; meta-data/tags/instance) ls -1 "$FAKE_IMDS"; exit 0 ;; meta-data/tags/instance/*) k=${p#meta-data/tags/instance/}; [ -f "$FAKE_IMDS/$k" ] || exit 22; cat "$FAKE_IMDS/$k"; exit 0 ;; esac; exit 22; fi; out=; while [ $# -gt 0 ]; do if [ "$1" = -o ]; then out=$2; shift; fi; shift; done; [ "${FAKE_CURL_RC:-0}" = 0 ] || exit "$FAKE_CURL_RC"; printf "%s" "${FAKE_CURL_BODY:-}" > "$out"',
  date: `if [ "$#" = 1 ] && [ "$1" = +%s ] && [ -n "\${FAKE_NOW:-}" ]; then echo "$FAKE_NOW"; exit 0; fi; exec ${realDate} "$@"`,
};

interface Box {
  dir: string;
  root: string;
  run(script: string, env?: Record<string, string>): { status: number | null; stdout: string; stderr: string };
  calls(): string[];
  file(path: string): string;
  has(path: string): boolean;
  /** Boot time (epoch s); each run with FAKE_NOW writes /proc/uptime = FAKE_NOW - bootAt. */
  bootAt: number;
  setLoad(load: string): void;
}

function sandbox(): Box {
  const dir = mkdtempSync(join(tmpdir(), 'charter-agent-'));
  dirs.push(dir);
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.log');
  mkdirSync(join(root, 'proc'), { recursive: true });
  mkdirSync(bin);
  writeFileSync(log, '');
  for (const [name, body] of Object.entries(STUBS)) {
    const f = join(bin, name);
    writeFileSync(f, `#!/bin/bash\nrec() { printf '%s\\n' "$*" >> ${shq(log)}; }\n${body}\n`);
    chmodSync(f, 0o755);
  }
  const box: Box = {
    dir,
    root,
    bootAt: T0 - 100,
    run(script, env = {}) {
      if (env.FAKE_NOW) writeFileSync(join(root, 'proc/uptime'), `${Number(env.FAKE_NOW) - box.bootAt}.42 1.00\n`);
      const f = join(dir, `script-${Math.random().toString(36).slice(2)}.sh`);
      writeFileSync(f, script);
      const r = spawnSync('bash', [f], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, CHARTER_ROOT: root, ...env },
        timeout: SUITE_TIMEOUT_MS, // synchronous: vitest's own timeout could not fire (test/suite-clock.ts)
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    file: (p) => readFileSync(join(root, p), 'utf8'),
    has: (p) => existsSync(join(root, p)),
    setLoad: (l) => writeFileSync(join(root, 'proc/loadavg'), `${l} 0.05 0.01 1/123 4567\n`),
  };
  box.setLoad('0.00');
  return box;
}

/** Source the installed config in a clean bash and print one variable. */
function configValue(box: Box, name: string): string {
  const r = spawnSync('bash', ['-c', `. "$1" && printf '%s' "\${${name}}"`, '_', join(box.root, 'etc/charter/agent.env')], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  expect(r.status).toBe(0);
  return r.stdout;
}

const HEAD = 'version: 1\nname: demo\nregion: us-east-1\nservices:\n  web: { trust: [ec2] }\n';
const INST = '    service: web\n    type: t3.micro\n    image: ami-0123456789abcdef0\n';
const T0 = 1_800_000_000;

describe('shell quoting', () => {
  it('shq round-trips any string through bash', () => {
    const samples = ["plain", "it's", "'$(touch x)'", '`id`', 'a;b&&c||d', 'line1\nline2', "''''", '$HOME ${PATH} \\ "q"', '\t*?[a]~'];
    for (const s of samples) {
      const r = spawnSync('bash', ['-c', `printf '%s' ${shq(s)}`], { encoding: 'utf8' });
      expect(r.stdout).toBe(s);
    }
  });
  it('property: shq round-trips arbitrary strings (no NUL) through bash', () => {
    const noNul = fc.string({ unit: 'binary', maxLength: 40 }).map((x) => x.replace(/\0/g, ''));
    const tricky = fc.array(fc.constantFrom("'", '"', '$', '(', ')', '`', ';', '\n', '\\', '!', '*', ' ', 'a', '\t', '&', '|', '<', '>', '#', '~', '{', '}'), { maxLength: 30 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(fc.oneof(noNul, tricky), { minLength: 1, maxLength: 40 }), (values) => {
        const script = values.map((v) => `printf '%s\\0' ${shq(v)}`).join('\n');
        const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
        expect(r.stdout.split('\0').slice(0, -1)).toEqual(values);
      }),
      { numRuns: 40 },
    );
  });
  it('heredoc delimiters never collide with a content line', () => {
    expect(heredocDelimiter('a\nEOF\nEOF_1\n', 'EOF')).toBe('EOF_2');
    const content = 'x\nEOF\n$(touch nope)\n';
    const box = sandbox();
    box.run(heredoc('"$CHARTER_ROOT/out"', content, 'EOF'));
    expect(box.file('out')).toBe(content);
  });
});

describe('injection: hostile values stay inert', () => {
  it('a Name tag, spec tag, agent url, spec name and group with $(...), backticks, ; and newlines run nothing', () => {
    const box = sandbox();
    const mark = join(box.dir, 'pwned');
    const hostile = `'$(touch ${mark})'\`touch ${mark}\`; touch ${mark}\nCHARTER_AGENT_ENV\ntouch ${mark}\n"$(touch ${mark})"`;
    const sha = createHash('sha256').update('bin').digest('hex');
    // YAML double-quoted scalar for the hostile text
    const y = JSON.stringify(hostile);
    const text = `${HEAD}tags: { owner: ${y} }\nagent: { mode: binary, url: ${JSON.stringify(`https://example.com/a'$(touch ${mark})'\`touch ${mark}\`;x`)}, sha256: { amd64: ${sha} } }\ninstances:\n  g:\n${INST}    ttl: 1h\n    tags: { Name: ${y} }\n`;
    const loaded = parseSpec(text, 'spec.yaml');
    // the schema restricts spec and group names; bypass it to check quoting does not rely on that
    loaded.spec.name = hostile;
    loaded.spec.instances = { [hostile]: loaded.spec.instances!.g! };
    const [l] = launchesOf(loaded);
    expect(l!.tags.Name).toBe(hostile);

    const r = box.run(l!.userData, { FAKE_NOW: String(T0), FAKE_CURL_BODY: 'bin' });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(mark)).toBe(false);
    expect(configValue(box, 'CHARTER_LABEL')).toBe(hostile);
    expect(configValue(box, 'CHARTER_SPEC')).toBe(hostile);
    expect(configValue(box, 'CHARTER_GROUP')).toBe(hostile);
    expect(configValue(box, 'CHARTER_AGENT_URL')).toBe(`https://example.com/a'$(touch ${mark})'\`touch ${mark}\`;x`);
    const curl = box.calls().filter((c) => c.startsWith('curl '));
    expect(curl).toHaveLength(1);
    expect(curl[0]!.endsWith(` https://example.com/a'$(touch ${mark})'\`touch ${mark}\`;x`)).toBe(true);
    expect(box.has('usr/local/lib/charter/charter-agent')).toBe(true);
  });

  it('property: any Name tag ends up literally in the config and runs nothing', () => {
    const box = sandbox();
    const mark = join(box.dir, 'pwned');
    const piece = fc.constantFrom(`'$(touch ${mark})'`, `\`touch ${mark}\``, `; touch ${mark}`, '\nCHARTER_AGENT_ENV\n', "'", '"', '\\', '$', 'é', ' ', 'x');
    fc.assert(
      // EC2 takes tag values of up to 256 characters (the loader refuses longer ones): a dozen pieces
      // naming a temporary path can pass that, so longer names are not drawn.
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }).map((a) => a.join('')).filter((n) => n.length <= 256), (name) => {
        const loaded = parseSpec(`${HEAD}instances:\n  g:\n${INST}    ttl: 1h\n    tags: { Name: ${JSON.stringify(name)} }\n`, 'spec.yaml');
        const [l] = launchesOf(loaded);
        const r = box.run(l!.userData, { FAKE_NOW: String(T0) });
        expect(r.status, r.stderr).toBe(0);
        expect(configValue(box, 'CHARTER_LABEL')).toBe(name);
        expect(existsSync(mark)).toBe(false);
      }),
      { numRuns: 8 },
    );
  });

  it('the built-in check logs a hostile label at shutdown without running it', () => {
    const box = sandbox();
    const mark = join(box.dir, 'pwned');
    const hostile = `'$(touch ${mark})' \`touch ${mark}\`; touch ${mark}`;
    const l = compileOne(`${HEAD}instances:\n  g:\n${INST}    ttl: 90s\n    tags: { Name: ${JSON.stringify(hostile)} }\n`);
    expect(box.run(l.userData, { FAKE_NOW: String(T0) }).status).toBe(0);
    const r = box.run(AGENT_CHECK_SCRIPT, { FAKE_NOW: String(T0 + 3600) });
    expect(r.status, r.stderr).toBe(0);
    expect(box.calls()).toContain('shutdown -h now');
    expect(box.calls().some((c) => c.startsWith('logger') && c.includes(hostile))).toBe(true);
    expect(existsSync(mark)).toBe(false);
  });
});

describe('built-in agent: TTL, expires-at, idle', () => {
  function installed(yaml: string, env: Record<string, string> = {}) {
    const box = sandbox();
    const l = compileOne(`${HEAD}instances:\n  g:\n${INST}${yaml}`);
    const r = box.run(l.userData, { FAKE_NOW: String(T0), ...env });
    expect(r.status, r.stderr).toBe(0);
    const check = (now: number, extra: Record<string, string> = {}) => {
      const before = box.calls().length;
      const res = box.run(box.file('usr/local/lib/charter/agent-check'), { FAKE_NOW: String(now), ...extra });
      expect(res.status, res.stderr).toBe(0);
      return box.calls().slice(before).includes('shutdown -h now');
    };
    return { box, l, check };
  }

  it('installs the config, check script, units and first-boot time, and enables the timer', () => {
    const { box } = installed('    ttl: 1h\n');
    expect(box.calls()).toEqual(['systemctl daemon-reload', 'systemctl enable --now charter-agent.timer']);
    expect(box.file('var/lib/charter/first-boot')).toBe(`${T0 - 100}\n`);
    expect(box.file('usr/local/lib/charter/agent-check')).toBe(AGENT_CHECK_SCRIPT);
    expect(box.file('etc/systemd/system/charter-agent.timer')).toContain('OnUnitActiveSec=1min');
    expect(box.file('etc/systemd/system/charter-agent.service')).toContain('ExecStart=/usr/local/lib/charter/agent-check');
    expect(configValue(box, 'CHARTER_TTL_SECONDS')).toBe('3600');
    expect(configValue(box, 'CHARTER_EXPIRES_AT')).toBe(EXPIRES_AT_PLACEHOLDER);
  });

  it('TTL counts from the first boot kept on disk: not before, yes at expiry, and a reboot does not extend it', () => {
    const { box, check } = installed('    ttl: 1h\n');
    const first = T0 - 100;
    expect(check(T0 + 60)).toBe(false);
    expect(check(first + 3599)).toBe(false);
    expect(check(first + 3600)).toBe(true);
    // reboot: uptime restarts; an uptime-based TTL would now allow another hour
    box.bootAt = first + 3470;
    expect(check(first + 3500)).toBe(false);
    expect(check(first + 3610)).toBe(true);
    expect(box.file('var/lib/charter/first-boot')).toBe(`${first}\n`);
    // without the file on disk the same clock would not have expired: the disk is what counts
    rmSync(join(box.root, 'var/lib/charter/first-boot'));
    expect(check(first + 3610)).toBe(false);
  });

  it('expires-at set by apply is enforced; the unreplaced placeholder is ignored', () => {
    const { box, l, check } = installed('    ttl: 7d\n');
    expect(check(T0 + 10 * 3600)).toBe(false);
    const exp = new Date((T0 + 3600) * 1000).toISOString().replace('.000Z', 'Z');
    const r = box.run(l.userData.replaceAll(EXPIRES_AT_PLACEHOLDER, exp), { FAKE_NOW: String(T0) });
    expect(r.status).toBe(0);
    expect(configValue(box, 'CHARTER_EXPIRES_AT')).toBe(exp);
    expect(check(T0 + 3599)).toBe(false);
    expect(check(T0 + 3600)).toBe(true);
  });

  it('idle timeout: no sessions and low load for the whole window; a session or load resets it', () => {
    const { box, check } = installed('    idleTimeout: 5m\n');
    expect(check(T0)).toBe(false);
    expect(check(T0 + 299)).toBe(false);
    expect(check(T0 + 300)).toBe(true);
    // activity: a logged-in user resets the window
    rmSync(join(box.root, 'var/lib/charter/idle-since'));
    expect(check(T0 + 1000)).toBe(false);
    expect(check(T0 + 1200, { FAKE_WHO: 'alice pts/0 2026-11-22 06:00' })).toBe(false);
    expect(box.has('var/lib/charter/idle-since')).toBe(false);
    expect(check(T0 + 1300)).toBe(false);
    expect(check(T0 + 1599)).toBe(false);
    expect(check(T0 + 1600)).toBe(true);
    // an ssh session without a terminal or an SSM session (not in `who`) resets it too
    expect(check(T0 + 1700, { FAKE_REMOTE_SESSIONS: '1' })).toBe(false);
    expect(box.has('var/lib/charter/idle-since')).toBe(false);
    expect(box.calls()).toContain(`pgrep -c -f ${REMOTE_SESSION_PATTERN}`);
    expect(check(T0 + 1800)).toBe(false);
    expect(check(T0 + 2100)).toBe(true);
    // high load is not idle
    rmSync(join(box.root, 'var/lib/charter/idle-since'));
    box.setLoad('1.50');
    expect(check(T0 + 2200)).toBe(false);
    expect(check(T0 + 9000)).toBe(false);
  });

  it('the remote-session pattern finds sshd and SSM session processes with the real pgrep, and nothing else', () => {
    const names = ['sshd: alice@notty', 'bash -c echo /usr/bin/ssm-session-worker x', 'sshd-session: bob@pts/1', '/usr/bin/ssm-session-worker carol-0a1b2c3d i-0123', 'sshd: dave [priv]', 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', 'ssm-agent-worker', '/usr/bin/amazon-ssm-agent'];
    const tag = `0.${process.pid}${Date.now() % 100000}`; // a second sleep duration, unique to this run
    // each fake process: a sleep whose argv[0] is the name (bash exec -a), tagged so this test sees only its own;
    // pgrep runs once every one of them has exec'd (a poll on that condition, not a fixed sleep)
    const started = `until [ "$(pgrep -c -f -- ${shq(` 30 ${tag.replace('.', '[.]')}$`)})" -ge ${names.length} ]; do sleep 0.05; done; `;
    const script = `${names.map((n) => `(exec -a ${shq(n)} sleep 30 ${tag}) & `).join('')}${started}pgrep -a -f ${shq(REMOTE_SESSION_PATTERN)} | grep -F ${shq(tag)} | cut -d' ' -f2-; kill $(jobs -p) 2>/dev/null; exit 0`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: SUITE_TIMEOUT_MS });
    const found = r.stdout.split('\n').filter(Boolean).map((l) => l.replace(` 30 ${tag}`, ''));
    expect(found.sort()).toEqual(['/usr/bin/ssm-session-worker carol-0a1b2c3d i-0123', 'sshd-session: bob@pts/1', 'sshd: alice@notty']);
  });

  it('idle window restarts after a reboot', () => {
    const { box, check } = installed('    idleTimeout: 5m\n');
    expect(check(T0)).toBe(false);
    box.bootAt = T0 + 190; // rebooted
    expect(check(T0 + 200)).toBe(false);
    expect(check(T0 + 480)).toBe(false);
    expect(check(T0 + 500)).toBe(true);
  });

  it('a busy GPU is activity even at low CPU load; idle GPUs (or nvidia-smi failing) are not', () => {
    const { box, check } = installed('    idleTimeout: 5m\n');
    expect(check(T0, { FAKE_GPU: '0 87' })).toBe(false);
    expect(box.has('var/lib/charter/idle-since')).toBe(false);
    expect(box.calls()).toContain('nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits');
    expect(check(T0 + 600, { FAKE_GPU: '0 87' })).toBe(false);
    // GPUs at or under 5% and a failing nvidia-smi count as idle
    expect(check(T0 + 700, { FAKE_GPU: '5 [N/A]' })).toBe(false);
    expect(box.has('var/lib/charter/idle-since')).toBe(true);
    expect(check(T0 + 1000)).toBe(true);
  });

  it('the idle load threshold comes from the spec', () => {
    const box = sandbox();
    const l = compileOne(`${HEAD}agent: { mode: builtin, idleLoad: 2 }\ninstances:\n  g:\n${INST}    idleTimeout: 60s\n`);
    box.run(l.userData, { FAKE_NOW: String(T0) });
    box.setLoad('1.50');
    box.run(AGENT_CHECK_SCRIPT, { FAKE_NOW: String(T0) });
    box.run(AGENT_CHECK_SCRIPT, { FAKE_NOW: String(T0 + 60) });
    expect(box.calls()).toContain('shutdown -h now');
  });
});

describe('user script', () => {
  it('runs after the agent is installed; its failure is reported but does not undo the agent', () => {
    const box = sandbox();
    const ok = join(box.dir, 'user-ran');
    const script = `#!/bin/bash\nset -e\ncat <<'CHARTER_USER_DATA'\ninner\nCHARTER_USER_DATA\ntouch ${shq(ok)}\nfalse\necho never\n`;
    const l = compileOne(`${HEAD}instances:\n  g:\n${INST}    ttl: 1h\n    userDataScript: ${JSON.stringify(script)}\n`);
    const r = box.run(l.userData, { FAKE_NOW: String(T0) });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('inner\n');
    expect(r.stderr).toContain("charter: the spec's user-data exited with status 1");
    expect(existsSync(ok)).toBe(true);
    expect(box.calls()).toContain('systemctl enable --now charter-agent.timer');
    expect(box.file('var/lib/charter/user-data')).toBe(script);
  });

  it('a user script that exits early or has no shebang still leaves the agent installed', () => {
    const box = sandbox();
    const l = compileOne(`${HEAD}instances:\n  g:\n${INST}    idleTimeout: 1h\n    userDataScript: "exit 0\\n"\n`);
    expect(box.run(l.userData, { FAKE_NOW: String(T0) }).status).toBe(0);
    expect(box.calls()).toContain('systemctl enable --now charter-agent.timer');
  });
});

describe('binary agent', () => {
  const body = 'agent binary v1\n';
  const sha = createHash('sha256').update(body).digest('hex');
  function binSpec(pin: string, extra = '') {
    return compileOne(`${HEAD}agent: { mode: binary, url: "https://example.com/agent-{arch}", sha256: { amd64: ${pin} } }\ninstances:\n  g:\n${INST}    ttl: 1h\n${extra}`);
  }

  it('downloads for the arch, checks the pinned sha256, installs and starts its unit', () => {
    const box = sandbox();
    const r = box.run(binSpec(sha).userData, { FAKE_NOW: String(T0), FAKE_CURL_BODY: body });
    expect(r.status, r.stderr).toBe(0);
    expect(box.file('usr/local/lib/charter/charter-agent')).toBe(body);
    expect(box.calls().filter((c) => c.startsWith('curl'))[0]).toMatch(/ https:\/\/example\.com\/agent-amd64$/);
    expect(box.calls()).toContain('systemctl enable --now charter-agent.service');
    expect(box.file('etc/systemd/system/charter-agent.service')).toContain('ExecStart=/usr/local/lib/charter/agent-run');
    expect(configValue(box, 'CHARTER_AGENT_SHA256')).toBe(sha);
  });

  /** The binary is absent and its unit never started; the built-in check and timer run instead. */
  function expectFallback(box: ReturnType<typeof sandbox>, stderr: string) {
    expect(stderr).toContain('falling back to the built-in agent check');
    expect(box.has('usr/local/lib/charter/charter-agent')).toBe(false);
    expect(box.calls()).not.toContain('systemctl enable --now charter-agent.service');
    expect(box.calls()).toContain('systemctl enable --now charter-agent.timer');
    expect(spawnSync('bash', ['-c', `ls -A ${shq(join(box.root, 'usr/local/lib/charter'))}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort()).toEqual(['agent-check']);
    expect(box.file('etc/systemd/system/charter-agent.service')).toContain('ExecStart=/usr/local/lib/charter/agent-check');
  }

  it('a tampered download is not installed nor started: the built-in check enforces the TTL, and the user script still runs', () => {
    const box = sandbox();
    const ok = join(box.dir, 'user-ran');
    const l = binSpec(sha, `    userDataScript: ${JSON.stringify(`touch ${shq(ok)}`)}\n`);
    const r = box.run(l.userData, { FAKE_NOW: String(T0), FAKE_CURL_BODY: 'evil binary\n' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('sha256 does not match the pinned value');
    expectFallback(box, r.stderr);
    expect(existsSync(ok)).toBe(true);
    // the fallback check really enforces the spec's 1h TTL
    expect(box.run(box.file('usr/local/lib/charter/agent-check'), { FAKE_NOW: String(box.bootAt + 3599) }).status).toBe(0);
    expect(box.calls().some((c) => c.startsWith('shutdown'))).toBe(false);
    box.run(box.file('usr/local/lib/charter/agent-check'), { FAKE_NOW: String(box.bootAt + 3600) });
    expect(box.calls()).toContain('shutdown -h now');
  });

  it('a failed download or the wrong machine architecture installs no binary and falls back to the built-in check', () => {
    const box = sandbox();
    const r1 = box.run(binSpec(sha).userData, { FAKE_NOW: String(T0), FAKE_CURL_RC: '22' });
    expectFallback(box, r1.stderr);
    const box2 = sandbox();
    const r = box2.run(binSpec(sha).userData, { FAKE_NOW: String(T0), FAKE_CURL_BODY: body, FAKE_UNAME: 'aarch64' });
    expect(r.stderr).toContain('pinned agent is for amd64');
    expect(box2.calls().some((c) => c.startsWith('curl'))).toBe(false);
    expectFallback(box2, r.stderr);
  });
});

const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
const haveShellcheck = shellcheck.status === 0;
// Skipped only when shellcheck is absent, and then the skipped suite's name says so (.ci/run installs it).

describe.skipIf(!haveShellcheck)(`generated scripts pass shellcheck${haveShellcheck ? '' : ' (skipped: shellcheck not installed)'}`, () => {
  function lint(script: string): string {
    const r = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '--format=gcc', '-'], { input: script, encoding: 'utf8' });
    return (r.stdout + r.stderr).trim();
  }
  const sha = 'b'.repeat(64);
  const cases: Array<[string, string]> = [
    ['built-in, ttl', `${HEAD}instances:\n  g:\n${INST}    ttl: 12h\n`],
    ['built-in, ttl + idle + user script', `${HEAD}instances:\n  g:\n${INST}    ttl: 12h\n    idleTimeout: 30m\n    userDataScript: "#!/bin/bash\\necho hi\\n"\n`],
    ['built-in, hostile Name tag', `${HEAD}instances:\n  g:\n${INST}    ttl: 1h\n    tags: { Name: "'$(touch /tmp/pwned)' \`x\`; y" }\n`],
    ['binary', `${HEAD}agent: { mode: binary, url: "https://example.com/agent-{arch}", sha256: { amd64: ${sha} } }\ninstances:\n  g:\n${INST}    ttl: 1h\n`],
    ['binary + user script', `${HEAD}agent: { mode: binary, url: "https://example.com/a", sha256: { amd64: ${sha} } }\ninstances:\n  g:\n${INST}    userDataScript: "echo hi"\n`],
  ];
  it.each(cases)('user-data: %s', (_name, text) => {
    const l = compileOne(text);
    expect(lint(l.userData)).toBe('');
  });
  it('the check script and the binary launcher', () => {
    expect(lint(AGENT_CHECK_SCRIPT)).toBe('');
    expect(lint(AGENT_RUN_SCRIPT)).toBe('');
  });
  it('shellcheck does report problems (the test can fail)', () => {
    expect(lint('#!/bin/bash\necho $1\n')).toMatch(/SC2086/);
  });
});

describe('built-in agent: deadline and idle timeout from the instance tags (IMDS), first-boot values as the fallback', () => {
  const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
  /** Install a group with ttl 1h and idle 5m, then run the check with these instance tags (undefined: metadata unreachable). */
  function withTags(tags: Record<string, string> | undefined) {
    const box = sandbox();
    const l = compileOne(`${HEAD}instances:\n  g:\n${INST}    ttl: 1h\n    idleTimeout: 5m\n`);
    expect(box.run(l.userData.replaceAll(EXPIRES_AT_PLACEHOLDER, iso(T0 - 100 + 3600)), { FAKE_NOW: String(T0) }).status).toBe(0);
    const env: Record<string, string> = {};
    if (tags) {
      const dir = join(box.dir, 'imds');
      mkdirSync(dir);
      for (const [k, v] of Object.entries(tags)) writeFileSync(join(dir, k), v);
      env.FAKE_IMDS = dir;
    }
    const check = (now: number, load = '0.00') => {
      box.setLoad(load);
      const before = box.calls().length;
      const r = box.run(box.file('usr/local/lib/charter/agent-check'), { FAKE_NOW: String(now), ...env });
      expect(r.status, r.stderr).toBe(0);
      return box.calls().slice(before);
    };
    return { box, check, stops: (now: number, load = '1.00') => check(now, load).includes('shutdown -h now') };
  }
  const first = T0 - 100;

  it.each([
    // [case, instance tags (undefined: metadata unreachable), [now, busy, stops?][]]
    ['metadata unreachable: the first-boot TTL and the expires-at written at launch hold', undefined, [[first + 3599, false], [first + 3600, true]]],
    ['a later expires-at tag (TTL raised in place) extends past the first-boot TTL', { 'charter:expires-at': iso(first + 5 * 3600) }, [[first + 3600, false], [first + 5 * 3600 - 1, false], [first + 5 * 3600, true]]],
    ['an earlier expires-at tag (TTL lowered in place) ends it sooner', { 'charter:expires-at': iso(first + 600) }, [[first + 599, false], [first + 600, true]]],
    ['no expires-at tag (ttl dropped from the spec): no deadline', { 'charter:managed': 'true' }, [[first + 3600, false], [first + 30 * 86400, false]]],
    ['an unparseable expires-at tag: back to the first-boot values', { 'charter:expires-at': 'soon' }, [[first + 3599, false], [first + 3600, true]]],
  ] as Array<[string, Record<string, string> | undefined, Array<[number, boolean]>]>)('%s', (_n, tags, steps) => {
    const { stops } = withTags(tags);
    for (const [now, want] of steps) expect(stops(now), `at first boot + ${now - first}s`).toBe(want);
  });

  it('asks for an IMDSv2 token, then reads the tags with it', () => {
    const { check } = withTags({ 'charter:expires-at': iso(first + 7200) });
    const calls = check(T0 + 60, '1.00').filter((c) => c.startsWith('curl'));
    expect(calls[0]).toMatch(/-X PUT -H X-aws-ec2-metadata-token-ttl-seconds: 60 http:\/\/169\.254\.169\.254\/latest\/api\/token$/);
    expect(calls.slice(1)).toEqual([
      'curl -fsS -m 2 -H X-aws-ec2-metadata-token: tok http://169.254.169.254/latest/meta-data/tags/instance',
      'curl -fsS -m 2 -H X-aws-ec2-metadata-token: tok http://169.254.169.254/latest/meta-data/tags/instance/charter:expires-at',
    ]);
  });

  it.each([
    ['an idle-timeout tag of 2m replaces the 5m of the config', { 'charter:idle-timeout': '2m' }, 120],
    ['an idle-timeout tag of 1h30m', { 'charter:idle-timeout': '1h30m' }, 5400],
    ['no idle-timeout tag: no idle limit (until the deadline)', {}, undefined],
    ['metadata unreachable: the 5m of the config', undefined, 300],
  ] as Array<[string, Record<string, string> | undefined, number | undefined]>)('%s', (_n, tags, idle) => {
    const { check } = withTags(tags === undefined ? undefined : { 'charter:expires-at': iso(first + 86400), ...tags });
    const stopsIdle = (now: number) => check(now).includes('shutdown -h now');
    expect(stopsIdle(T0)).toBe(false);
    if (idle === undefined) {
      expect(stopsIdle(T0 + 3000)).toBe(false);
      return;
    }
    expect(stopsIdle(T0 + idle - 1)).toBe(false);
    expect(stopsIdle(T0 + idle)).toBe(true);
  });
});
