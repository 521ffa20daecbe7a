/**
 * The GitHub Action's one step (action.yml runs it with node after installing the packaged CLI).
 * Reads its inputs from INPUT_* variables and GitHub's from GITHUB_*; never fails the step itself:
 * it writes `exit-code` and `failed` to $GITHUB_OUTPUT so the SARIF upload still runs, and the
 * action's last step fails the job.
 *
 * lint: `charter lint PATHS --format sarif` into the SARIF file, then `--format github` for the
 *   annotations and the job summary ($GITHUB_STEP_SUMMARY).
 * plan: `charter plan SPEC --format markdown` appended to the job summary; with a token on a pull
 *   request, the same markdown as one pull-request comment, updated on every run (found by a marker).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const COMMENT_MARKER = '<!-- charter-plan -->';

/** Run the installed CLI: `charter` on PATH, or CHARTER_BIN (a command or a .js file). */
function defaultExec(args, env) {
  const bin = env.CHARTER_BIN || 'charter';
  const [cmd, argv] = bin.endsWith('.js') ? [process.execPath, [bin, ...args]] : [bin, args];
  const p = spawnSync(cmd, argv, { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, cwd: env.GITHUB_WORKSPACE || process.cwd() });
  if (p.error) return { code: 1, stdout: '', stderr: `cannot run ${bin}: ${p.error.message}\n` };
  return { code: p.status ?? 1, stdout: p.stdout, stderr: p.stderr };
}

const truthy = (v) => String(v ?? '').trim().toLowerCase() === 'true';
const words = (v) => String(v ?? '').split(/\s+/).filter(Boolean);

function setOutput(env, name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

/** The pull request this run is for, from the event payload. */
function pullRequest(env) {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    const ev = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
    return ev.pull_request?.number ?? (ev.issue?.pull_request ? ev.issue.number : undefined);
  } catch {
    return undefined;
  }
}

/** Create or update the one charter plan comment on the pull request. */
async function upsertComment(env, body, log) {
  const pr = pullRequest(env);
  if (!pr || !env.GITHUB_REPOSITORY) {
    log('charter: not a pull request: the plan is in the job summary only\n');
    return 'none';
  }
  const api = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${env.INPUT_GITHUB_TOKEN}`, accept: 'application/vnd.github+json', 'content-type': 'application/json', 'x-github-api-version': '2022-11-28' };
  const base = `${api}/repos/${env.GITHUB_REPOSITORY}/issues`;
  let existing;
  for (let page = 1; page <= 20 && !existing; page++) {
    const r = await fetch(`${base}/${pr}/comments?per_page=100&page=${page}`, { headers });
    if (!r.ok) throw new Error(`GET ${base}/${pr}/comments: HTTP ${r.status}`);
    const list = await r.json();
    existing = list.find((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER));
    if (list.length < 100) break;
  }
  const text = `${COMMENT_MARKER}\n${body}`;
  const r = existing
    ? await fetch(`${base}/comments/${existing.id}`, { method: 'PATCH', headers, body: JSON.stringify({ body: text }) })
    : await fetch(`${base}/${pr}/comments`, { method: 'POST', headers, body: JSON.stringify({ body: text }) });
  if (!r.ok) throw new Error(`${existing ? 'PATCH' : 'POST'} comment: HTTP ${r.status}`);
  return existing ? 'updated' : 'created';
}

/**
 * One run of the action. `exec(args, env)` runs the charter CLI and returns { code, stdout, stderr }.
 * Returns the exit code the job should end with, and whether it failed.
 */
export async function runAction(env = process.env, exec = defaultExec, log = (s) => process.stderr.write(s), print = (s) => process.stdout.write(s)) {
  const command = (env.INPUT_COMMAND || 'lint').trim();
  const paths = words(env.INPUT_PATHS);
  let code;
  let failed;
  if (paths.length === 0) {
    log('::error title=charter::the paths input is empty (lint: spec YAML, policy JSON files or directories; plan: the spec)\n');
    code = 2;
    failed = true;
  } else if (command === 'lint') {
    const failOn = ['--fail-on', env.INPUT_FAIL_ON || 'error'];
    const sarifFile = env.INPUT_SARIF_FILE || 'charter.sarif';
    const sarif = await exec(['lint', ...paths, '--format', 'sarif', ...failOn], env);
    if (sarif.stdout) writeFileSync(resolve(env.GITHUB_WORKSPACE || process.cwd(), sarifFile), sarif.stdout);
    log(sarif.stderr);
    setOutput(env, 'sarif-file', sarifFile);
    // Annotations (capped by charter at GitHub's limits) and the full findings in the job summary.
    const gh = await exec(['lint', ...paths, '--format', 'github', ...failOn], env);
    print(gh.stdout);
    code = sarif.code;
    failed = code !== 0;
  } else if (command === 'plan') {
    const detailed = truthy(env.INPUT_DETAILED_EXITCODE);
    const args = ['plan', ...paths, '--format', 'markdown', ...(detailed ? ['--detailed-exitcode'] : []), ...(truthy(env.INPUT_FAIL_ON_BROADENING) ? ['--fail-on-broadening'] : [])];
    const r = await exec(args, env);
    log(r.stderr);
    code = r.code;
    // --detailed-exitcode: 2 means "changes", not failure.
    const changes = detailed ? code === 2 : undefined;
    failed = !(code === 0 || (detailed && code === 2));
    if (changes !== undefined) setOutput(env, 'changes', String(changes));
    const md = r.stdout || `**charter plan failed** (exit ${code})\n\n\`\`\`\n${r.stderr.trim()}\n\`\`\`\n`;
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, md.endsWith('\n') ? md : `${md}\n`);
    if (env.INPUT_GITHUB_TOKEN) {
      try {
        setOutput(env, 'comment', await upsertComment(env, md, log));
      } catch (e) {
        log(`::warning title=charter::could not post the plan comment: ${e.message}\n`);
      }
    }
  } else {
    log(`::error title=charter::unknown command "${command}" (lint or plan)\n`);
    code = 2;
    failed = true;
  }
  setOutput(env, 'exit-code', String(code));
  setOutput(env, 'failed', String(failed));
  return { code, failed };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runAction();
}
