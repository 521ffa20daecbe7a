/**
 * Agent user-data. Format: ONE bash script (not multipart MIME), because it also works where
 * cloud-init's MIME handling is absent and it keeps a single ordering guarantee:
 *
 *   1. write /etc/charter/agent.env (every value shell-quoted with shq), the fixed agent files
 *      (quoted here-documents: no expansion) and the first-boot time;
 *   2. start the agent (built-in: charter-agent.timer; binary: download for the pinned
 *      architecture, `sha256sum -c` against the sha256 constant from the spec, then its unit;
 *      when the download, the checksum or the architecture fails, the built-in check instead, so
 *      the TTL, expires-at and idle timeout hold either way);
 *   3. only then write the user's own script to /var/lib/charter/user-data and run it as a
 *      separate process; its exit status becomes the user-data's exit status (so cloud-init reports
 *      a failure), but it cannot stop, skip or undo step 1-2.
 *
 * The agent part runs without `set -e`: a failed step is logged and the next one still runs.
 * Every path is prefixed with $CHARTER_ROOT (empty on an instance; tests point it at a temp dir).
 * The config carries EXPIRES_AT_PLACEHOLDER; apply replaces it with an RFC 3339 time.
 */
import { EXPIRES_AT_PLACEHOLDER } from './types.js';
import { heredoc, shq } from './shell.js';
import {
  AGENT_BINARY_PATH,
  AGENT_BINARY_SERVICE,
  AGENT_CHECK_PATH,
  AGENT_CHECK_SCRIPT,
  AGENT_CHECK_SERVICE,
  AGENT_CHECK_TIMER,
  AGENT_ENV_PATH,
  AGENT_RUN_PATH,
  AGENT_RUN_SCRIPT,
  AGENT_STATE_DIR,
} from './agent-script.js';

export type Arch = 'amd64' | 'arm64';

/** Values the agent needs; all of them reach the script only through shq(). */
export interface AgentConfig {
  spec: string;
  group: string;
  service: string;
  prefix: string;
  /** Human label for log lines (the Name tag). */
  label: string;
  ttlSeconds?: number;
  idleSeconds?: number;
  idleLoad: number;
}

export interface BinaryAgent {
  url: string;
  sha256: string;
  arch: Arch;
}

export interface UserDataInput {
  mode: 'builtin' | 'binary';
  config: AgentConfig;
  binary?: BinaryAgent;
  /** The user's own script (text), run after the agent is installed. */
  userScript?: string;
}

export const USER_SCRIPT_PATH = `${AGENT_STATE_DIR}/user-data`;

/** The config file body: KEY='value' lines, sourced by the agent scripts. */
export function agentEnv(cfg: AgentConfig, binary?: BinaryAgent): string {
  const entries: Array<[string, string]> = [
    ['CHARTER_SPEC', cfg.spec],
    ['CHARTER_GROUP', cfg.group],
    ['CHARTER_SERVICE', cfg.service],
    ['CHARTER_PREFIX', cfg.prefix],
    ['CHARTER_LABEL', cfg.label],
    ['CHARTER_TTL_SECONDS', String(cfg.ttlSeconds ?? 0)],
    ['CHARTER_IDLE_SECONDS', String(cfg.idleSeconds ?? 0)],
    ['CHARTER_IDLE_LOAD', String(cfg.idleLoad)],
    ['CHARTER_EXPIRES_AT', EXPIRES_AT_PLACEHOLDER],
  ];
  if (binary) {
    entries.push(['CHARTER_AGENT_URL', binary.url], ['CHARTER_AGENT_SHA256', binary.sha256], ['CHARTER_ARCH', binary.arch]);
  }
  return entries.map(([k, v]) => `${k}=${shq(v)}\n`).join('');
}

/** `uname -m` names of an architecture. */
const UNAME: Record<Arch, string> = { amd64: 'x86_64', arm64: 'aarch64' };

function binaryInstall(b: BinaryAgent): string {
  return `
# --- the agent binary: pinned architecture, sha256 pinned in the spec (not fetched beside it)
CHARTER_AGENT_OK=0
machine=$(uname -m)
if [ "$machine" != ${shq(UNAME[b.arch])} ]; then
  echo "charter: this instance is $machine but the pinned agent is for "${shq(b.arch)}"; agent not installed" >&2
else
  tmp=$(mktemp "$R${AGENT_BINARY_PATH}.XXXXXX") || tmp=
  if [ -n "$tmp" ] \\
    && curl -fsSL --proto '=https' --tlsv1.2 --retry 5 --retry-connrefused -o "$tmp" ${shq(b.url)} \\
    && printf '%s  %s\\n' ${shq(b.sha256)} "$tmp" | sha256sum -c --status -; then
    chmod 755 "$tmp" && mv -f "$tmp" "$R${AGENT_BINARY_PATH}" && CHARTER_AGENT_OK=1
  else
    [ -n "$tmp" ] && rm -f "$tmp"
    echo "charter: agent download failed or its sha256 does not match the pinned value; agent not installed" >&2
  fi
fi
if [ "$CHARTER_AGENT_OK" = 1 ]; then
${heredoc(`"$R${AGENT_RUN_PATH}"`, AGENT_RUN_SCRIPT, 'CHARTER_AGENT_RUN')}chmod 755 "$R${AGENT_RUN_PATH}"
${heredoc('"$R/etc/systemd/system/charter-agent.service"', AGENT_BINARY_SERVICE, 'CHARTER_UNIT')}{ systemctl daemon-reload && systemctl enable --now charter-agent.service; } \\
    || echo "charter: could not start charter-agent.service" >&2
else
  # the TTL, expires-at and idle timeout are still enforced, by the built-in check
  echo "charter: falling back to the built-in agent check (TTL, expires-at, idle timeout)" >&2
${builtinBody()}fi
`;
}

/** The built-in check script, its units, and the timer started. */
function builtinBody(): string {
  return `${heredoc(`"$R${AGENT_CHECK_PATH}"`, AGENT_CHECK_SCRIPT, 'CHARTER_AGENT_CHECK')}chmod 755 "$R${AGENT_CHECK_PATH}"
${heredoc('"$R/etc/systemd/system/charter-agent.service"', AGENT_CHECK_SERVICE, 'CHARTER_UNIT')}${heredoc('"$R/etc/systemd/system/charter-agent.timer"', AGENT_CHECK_TIMER, 'CHARTER_UNIT')}{ systemctl daemon-reload && systemctl enable --now charter-agent.timer; } \\
  || echo "charter: could not start charter-agent.timer" >&2
`;
}

function builtinInstall(): string {
  return `
# --- the built-in agent: a check script run every minute by a systemd timer
${builtinBody()}`;
}

function userPart(script: string): string {
  const run = script.startsWith('#!') ? `"$R${USER_SCRIPT_PATH}"` : `/bin/bash "$R${USER_SCRIPT_PATH}"`;
  return `
# --- the spec's own user-data: runs after the agent is in place, as its own process
${heredoc(`"$R${USER_SCRIPT_PATH}"`, script, 'CHARTER_USER_DATA')}chmod 700 "$R${USER_SCRIPT_PATH}"
${run}
rc=$?
[ "$rc" -eq 0 ] || echo "charter: the spec's user-data exited with status $rc" >&2
exit "$rc"
`;
}

/** The whole user-data script for an agent mode (builtin or binary). */
export function renderUserData(input: UserDataInput): string {
  const env = agentEnv(input.config, input.mode === 'binary' ? input.binary : undefined);
  const head = `#!/bin/bash
# charter user-data (generated by charter; do not edit): installs the charter agent, which shuts
# the instance down at its TTL, expires-at or idle timeout, then runs the spec's own user-data.
set -u
R="\${CHARTER_ROOT:-}"
umask 022
mkdir -p "$R/etc/charter" "$R${AGENT_STATE_DIR}" "$R/usr/local/lib/charter" "$R/etc/systemd/system"
${heredoc(`"$R${AGENT_ENV_PATH}"`, env, 'CHARTER_AGENT_ENV')}chmod 600 "$R${AGENT_ENV_PATH}"

# first boot: boot time = now - uptime, kept on disk so a reboot does not extend the TTL
if [ ! -s "$R${AGENT_STATE_DIR}/first-boot" ]; then
  up=0
  read -r up _ < "$R/proc/uptime" || up=0
  up=\${up%%.*}
  [[ $up =~ ^[0-9]+$ ]] || up=0
  echo "$(( $(date +%s) - up ))" > "$R${AGENT_STATE_DIR}/first-boot"
fi
`;
  const agent = input.mode === 'binary' && input.binary ? binaryInstall(input.binary) : builtinInstall();
  const tail = input.userScript !== undefined ? userPart(input.userScript) : '';
  return head + agent + tail;
}
