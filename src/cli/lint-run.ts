/**
 * `charter lint` end to end: classify the inputs (spec YAML, policy JSON files, directories of
 * them), load and compile specs, lint, optionally run Access Analyzer, apply a baseline, format,
 * and decide the exit code (0 clean, 1 findings at/above --fail-on, 2 bad input via InputError).
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { InputError, RuntimeError, type InputProblem } from '../diagnostics.js';
import { linesHoldNoSecret, redactSecrets } from '../secrets.js';
import type { PolicyFile } from '../linter/file-source.js';
import { parsePolicyFileChecked, policyFilesInDir, readPolicyFile } from '../linter/file-source.js';
import { addReferenced, lint, noneReferenced, type LintResult, type Referenced, type SpecInput } from '../linter/engine.js';
import { applyBaseline, baselineEntry, baselineOf, baselineSplitter, fingerprintsWith, readBaseline, writeBaseline, type BaselineEntry } from '../linter/baseline.js';
import { repoRelative } from '../linter/format/sarif.js';
import { SEVERITY_RANK, type Finding, type LiveRoleInput, type Severity } from '../linter/types.js';
import { optimiseLessEagerly, raisesBudget } from './v8-tiering.js';

export type LintFormat = 'text' | 'json' | 'sarif' | 'github';

export interface LintCommandOptions {
  inputs: string[];
  format: LintFormat;
  failOn: Severity;
  accessAnalyzer?: boolean;
  reference?: string;
  denyActions?: string[];
  baseline?: string;
  writeBaseline?: string;
  sandbox?: boolean;
  endpoint?: string;
  region?: string;
  profile?: string;
  color: boolean;
  version: string;
  /** Base URL of the rule pages (SARIF helpUri), when the package declares where its docs live. */
  docsBase?: string;
  /** Environment (GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Directory relative inputs are named from; default process.cwd(). */
  cwd?: string;
  /** Where the report goes, in pieces; the caller redacts what it writes (the CLI's stdout writer does: src/cli/output.ts). */
  out: (s: string) => void;
  err: (s: string) => void;
  /** Needed for `--reference live` (src/cli/lint-live.ts). */
  liveSetup?: LiveAccessAnalyzerSetup;
  /** Stream findings to the formatter file by file where the run allows it; default: when the input is large (tests force it). */
  stream?: boolean;
  /** Policy text collectInputs keeps, in characters (default KEEP_TEXT; tests lower it). */
  keepText?: number;
  /** Called with a policy file's path each time the lint reads a file it did not keep (tests see that output is written file by file). */
  onRead?: (file: string) => void;
}

export interface LintRunResult {
  exitCode: number;
  result: LintResult;
  fresh: Finding[];
  baselined: Finding[];
}

const SPEC_EXT = new Set(['.yaml', '.yml']);

/**
 * Load every input. By default the first bad input stops the run (InputError, exit 2). With
 * `tolerant` (the sarif and github formats, whose readers need a report even then), each input that
 * fails to load is returned in `failures` and the others are still linted.
 */
export async function collectInputs(
  inputs: string[],
  opts: { tolerant?: boolean; keepText?: number; onRead?: (file: string) => void } = {},
): Promise<{ specs: SpecInput[]; files: PolicyFile[]; failures: InputProblem[]; textsDropped: boolean; /** tolerant: what the policy files name (the lint's first pass, done as they were checked). */ referenced?: Referenced }> {
  const problems: InputProblem[] = [];
  const specPaths: string[] = [];
  const files: PolicyFile[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    if (!opts.tolerant) return load();
    try {
      return load();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
      return undefined;
    }
  };
  // A policy file that is not JSON would stop lint as a whole: find it here, one file at a time
  // (and, as each is parsed to tell, gather what it names for the IAM preload).
  const referenced = opts.tolerant ? noneReferenced() : undefined;
  const rereads: Rereads = opts.onRead ? { onRead: opts.onRead } : {};
  const read = new Map<string, string>();
  let kept = 0;
  const keepText = opts.keepText ?? KEEP_TEXT;
  // Set when the input is known to hold more text than is kept: then none is (it would be dropped).
  let dropping = false;
  const policyFile = (p: string) => {
    // Read when linted (a file that cannot be read stops the run there, before any output, as here).
    if (dropping && !opts.tolerant) return void files.push(new RereadPolicyFile(p, rereads));
    const text = read.get(p);
    read.delete(p);
    const f = text !== undefined ? { file: p, text } : attempt(() => readPolicyFile(p));
    if (f && (!referenced || attempt(() => checkJson(f, referenced)) !== undefined)) files.push(!dropping && (kept += f.text.length) <= keepText ? f : new RereadPolicyFile(p, rereads));
  };
  for (const p of inputs) {
    if (!existsSync(p)) {
      problems.push({ pos: { file: p, line: 1, col: 1 }, message: 'no such file or directory' });
      continue;
    }
    const st = statSync(p);
    if (st.isDirectory()) {
      // Each file is read once: when the directory's files fit in the text kept, policyFilesInDir
      // read them (extension-less ones to tell whether they hold JSON) and kept their texts; else
      // it read only the start of the extension-less ones, and each file is read when linted.
      const keep: { texts: Map<string, string>; chars: number; size: number } = { texts: read, chars: dropping ? -1 : keepText - kept, size: 0 };
      const found = policyFilesInDir(p, keep);
      dropping ||= kept + keep.size > keepText;
      if (found.length === 0) problems.push({ pos: { file: p, line: 1, col: 1 }, message: 'directory holds no policy JSON files', hint: 'lint takes spec YAML files, policy JSON files, or directories of policy JSON files' });
      for (const f of found) policyFile(f);
    } else if (SPEC_EXT.has(extname(p).toLowerCase())) specPaths.push(p);
    else policyFile(p);
  }
  if (problems.length && !opts.tolerant) throw new InputError(problems);
  const specs: SpecInput[] = [];
  if (specPaths.length) {
    const { loadSpecFile } = await import('../spec/load.js');
    const { compileSpec } = await import('../compiler/index.js');
    for (const p of specPaths) {
      if (!opts.tolerant) {
        const loaded = loadSpecFile(p);
        specs.push({ loaded, bundle: await compileSpec(loaded) });
        continue;
      }
      const loaded = attempt(() => loadSpecFile(p));
      if (!loaded) continue;
      try {
        specs.push({ loaded, bundle: await compileSpec(loaded) });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        problems.push(...e.problems);
      }
    }
  }
  // Past the text kept, none is kept: what was kept would be held, unused, while the lint runs.
  const textsDropped = dropping || kept > keepText;
  if (textsDropped) files.forEach((f, i) => (files[i] = new RereadPolicyFile(f.file, rereads)));
  return { specs, files, failures: problems, textsDropped, ...(referenced ? { referenced } : {}) };
}

/**
 * Policy text kept from collecting to linting, in characters: up to this much (the AWS managed
 * policy corpus is 7 MB) every file is read once; beyond it no text is held, and each file
 * is read again when linted (and when a code frame shows it), so memory stays flat as the input
 * grows (issue 14).
 */
const KEEP_TEXT = 12 * 1024 * 1024;

/**
 * What a run's files that are read again share: the test hook, and the text read last, handed once
 * more to whoever asks for the same file next (a streamed text report's code frame, right after the
 * file was linted) and then let go: one file's text at most.
 */
interface Rereads {
  onRead?: (file: string) => void;
  last?: { file: string; text: string };
}

/** A policy file whose text is read each time it is asked for, and not kept (one small object per file: a large lint has many). */
class RereadPolicyFile implements PolicyFile {
  readonly reread = true;
  constructor(
    readonly file: string,
    private readonly rereads: Rereads,
  ) {}
  get text(): string {
    const last = this.rereads.last;
    this.rereads.last = undefined;
    if (last?.file === this.file) return last.text;
    this.rereads.onRead?.(this.file);
    const text = readPolicyFile(this.file).text;
    this.rereads.last = { file: this.file, text };
    return text;
  }
}

/**
 * Throws the positioned error of a policy file the lint would reject (not JSON, a duplicate key);
 * true otherwise, with what the file names added to `ref`, and its parsed value left on the file
 * for the lint (which takes it instead of parsing again; dropped with the file when its text is not kept).
 */
function checkJson(f: PolicyFile, ref: Referenced): true {
  const p = parsePolicyFileChecked(f);
  addReferenced(ref, [p]);
  f.parsed = { value: p.value };
  return true;
}

/** `--reference live`: compare with the live documents instead of a compile directory. */
export const LIVE = 'live';

/**
 * `--reference live` is set up by the caller (src/cli/lint-live.ts): it connects and reads live
 * state as plan does and matches documents to live counterparts, which the linter does not import.
 */
export type LiveAccessAnalyzerSetup = (
  specs: Array<SpecInput & { bundle: NonNullable<SpecInput['bundle']> }>,
  o: LintCommandOptions,
) => Promise<{ aa: import('./lint-aa.js').AaOptions; /** By spec file: the live roles read beside the spec's own. */ liveRoles?: Map<string, LiveRoleInput[]>; close: () => Promise<void> }>;

/**
 * The repository root SARIF paths are relative to: GITHUB_WORKSPACE in GitHub Actions, else the
 * nearest directory up from cwd holding .git (a directory, or a file in a worktree), else cwd.
 */
export function repositoryRoot(cwd: string, env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_WORKSPACE) return resolve(env.GITHUB_WORKSPACE);
  for (let d = resolve(cwd); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return resolve(cwd);
  }
}

export async function runLint(o: LintCommandOptions): Promise<LintRunResult> {
  const tolerant = o.format === 'sarif' || o.format === 'github';
  const { specs, files, failures, textsDropped, referenced } = await collectInputs(o.inputs, { tolerant, ...(o.keepText !== undefined ? { keepText: o.keepText } : {}), ...(o.onRead ? { onRead: o.onRead } : {}) });
  if (raisesBudget(files.length)) await optimiseLessEagerly();

  // A --reference directory that is not there is a typo in the command line: bad input, before any AWS call.
  if (o.accessAnalyzer && o.reference && o.reference !== LIVE && !statSync(o.reference, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError([{ message: `--reference ${o.reference}: no such directory`, hint: 'give the directory a previous `charter compile SPEC --out DIR` wrote, or --reference live' }]);
  }
  let aa: import('./lint-aa.js').AaOptions | undefined;
  let stopSandbox: (() => Promise<void>) | undefined;
  if (o.accessAnalyzer && o.reference === LIVE) {
    const compiled = specs.filter((s): s is SpecInput & { bundle: NonNullable<SpecInput['bundle']> } => s.bundle !== undefined);
    if (compiled.length === 0) {
      throw new InputError([{ message: '--reference live needs a spec: policy files have no live counterpart', hint: 'charter lint SPEC --access-analyzer --reference live' }]);
    }
    if (!o.liveSetup) throw new RuntimeError('--reference live is not available here: the caller gave no live reader');
    const r = await o.liveSetup(compiled, o);
    aa = r.aa;
    for (const s of compiled) {
      const roles = r.liveRoles?.get(s.loaded.yaml.file);
      if (roles) s.liveRoles = roles;
    }
    stopSandbox = r.close;
  } else if (o.accessAnalyzer) {
    // Connected as plan connects (--endpoint, --profile, AWS_ENDPOINT_URL*, a profile the shared
    // files lack is bad input), except that --sandbox is an empty in-memory one: nothing is read.
    const { resolveEndpoint } = await import('../aws/endpoint.js');
    const { awsClients } = await import('../aws/clients.js');
    const ep = await resolveEndpoint({ sandbox: o.sandbox ?? false, sandboxState: false, ...(o.endpoint ? { endpoint: o.endpoint } : {}), ...(o.profile ? { profile: o.profile } : {}), ...(o.region ? { region: o.region } : {}) }, specs[0]?.loaded.spec.region);
    stopSandbox = () => ep.close();
    aa = { clients: awsClients(ep.options), ...(o.reference ? { referenceDir: o.reference } : {}), ...(o.denyActions ? { denyActions: o.denyActions } : {}) };
  } else if (o.reference) {
    throw new InputError([{ message: '--reference needs --access-analyzer', hint: 'charter lint SPEC --access-analyzer --reference build/' }]);
  }

  // One identity per finding for baselines and the JSON and SARIF fingerprints, whatever path
  // style or working directory the inputs were named with: files by their repository-relative path.
  const cwd = resolve(o.cwd ?? process.cwd());
  const env = o.env ?? process.env;
  const root = repositoryRoot(cwd, env);
  const fp = fingerprintsWith((file) => repoRelative(file, root, cwd));

  // Sources for code frames (text format): spec texts as loaded, policy files as collected (read
  // again when collectInputs did not keep their text), other files read when a finding names them.
  const specTexts = new Map(specs.map((s) => [s.loaded.yaml.file, s.loaded.yaml.text]));
  const policyFiles = new Map(files.map((f) => [f.file, f]));
  const sources = (file: string): string | undefined => {
    const t = specTexts.get(file) ?? policyFiles.get(file)?.text;
    if (t !== undefined) return t;
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  // Redacted for the code frames: the whole text, or the text as read when the lines its frames
  // show hold no secret (linesHoldNoSecret: the frames are then the same, and most files' frames
  // hold none).
  const redactedSources = (f: string, frames: ReadonlyArray<{ from: number; to: number }>) => {
    const t = sources(f);
    if (t === undefined) return undefined;
    return linesHoldNoSecret(t, frames) ? t : redactSecrets(t);
  };

  // A large lint of policy files alone (more text than collectInputs keeps): findings are handed
  // over file by file and not kept (issue 14), and no text is held (files read again when linted).
  const streamable = (o.stream ?? textsDropped) && specs.length === 0 && !aa;
  const rereads: Rereads = o.onRead ? { onRead: o.onRead } : {};
  const streamFiles = () => files.map((f) => (f instanceof RereadPolicyFile ? f : new RereadPolicyFile(f.file, rereads)));
  if (streamable && o.writeBaseline) {
    // Only each finding's baseline entry is kept.
    const entries: BaselineEntry[] = [];
    const result = await lint({ files: streamFiles() }, { onFindings: (found) => entries.push(...found.map((f) => baselineEntry(f, fp))), ...(referenced ? { referenced } : {}) });
    writeBaseline(o.writeBaseline, baselineOf(entries));
    o.err(`wrote ${entries.length} finding(s) to baseline ${o.writeBaseline}\n`);
    return { exitCode: 0, result, fresh: [], baselined: [] };
  }
  // Reported as JSON, text or GitHub annotations: each file's findings (less those a baseline
  // accepts) go to the formatter as they come.
  if (streamable && o.format !== 'sarif') {
    const threshold = SEVERITY_RANK[o.failOn];
    let failing = false;
    let baselined = 0;
    const split = o.baseline ? baselineSplitter(readBaseline(o.baseline), fp) : undefined;
    const w: { add(found: Finding[]): void; end(extra: { suppressed: number; baselined: number }): void; close?(): void } =
      o.format === 'json'
        ? (await import('../linter/format/json.js')).jsonWriter(fp, o.out)
        : o.format === 'github'
          ? (await import('./lint-github.js')).githubStream({ failures, out: o.out, ...(env.GITHUB_STEP_SUMMARY ? { summaryFile: env.GITHUB_STEP_SUMMARY } : {}) })
          : (await import('../linter/format/text.js')).textWriter({ color: o.color, sources: redactedSources }, o.out);
    try {
      const result = await lint({ files: streamFiles() }, {
        ...(referenced ? { referenced } : {}),
        onFindings: (found) => {
          if (split) {
            const { fresh, known } = split(found);
            baselined += known.length;
            found = fresh;
          }
          failing ||= found.some((f) => SEVERITY_RANK[f.severity] >= threshold);
          if (found.length) w.add(found);
        },
      });
      w.end({ suppressed: 0, baselined });
      // The report is complete for what loaded; the inputs that did not are still bad input (exit 2).
      if (failures.length) throw new InputError(failures);
      return { exitCode: failing ? 1 : 0, result, fresh: [], baselined: [] };
    } finally {
      w.close?.();
    }
  }

  let result: LintResult;
  try {
    result = await lint({ specs, files }, { ...(referenced ? { referenced } : {}), ...(aa ? { accessAnalyzer: (await import('./lint-aa.js')).accessAnalyzerCalls(aa) } : {}) });
  } catch (e) {
    if (e instanceof InputError || e instanceof RuntimeError) throw e;
    const name = (e as { name?: string }).name ?? '';
    if (aa && /Credential|Unrecognized|AccessDenied|ExpiredToken|UnknownEndpoint|ECONNREFUSED|TimeoutError/i.test(`${name} ${(e as Error).message}`)) {
      throw new RuntimeError(`Access Analyzer: ${(e as Error).message} (check credentials/--profile, or use --sandbox)`);
    }
    throw e;
  } finally {
    await stopSandbox?.();
  }

  if (o.writeBaseline) {
    if (result.accessAnalyzerFailure) throw new RuntimeError(`${result.accessAnalyzerFailure}; no baseline written (it would miss Access Analyzer's findings)`);
    writeBaseline(o.writeBaseline, result.findings, fp);
    o.err(`wrote ${result.findings.length} finding(s) to baseline ${o.writeBaseline}\n`);
    return { exitCode: 0, result, fresh: [], baselined: result.findings };
  }
  let fresh = result.findings;
  let baselined: Finding[] = [];
  if (o.baseline) {
    const split = applyBaseline(result.findings, readBaseline(o.baseline), fp);
    fresh = split.fresh;
    baselined = split.known;
  }

  // Written as it is formatted (JSON and text in pieces of whole findings). Redaction happens at the
  // caller's output boundary (the CLI's stdout writer, src/cli/output.ts), not a second time here.
  switch (o.format) {
    case 'json': {
      const { writeJson } = await import('../linter/format/json.js');
      writeJson(fresh, { suppressed: result.suppressed.length, baselined: baselined.length }, fp, o.out);
      break;
    }
    case 'sarif': {
      const { writeSarif } = await import('../linter/format/sarif.js');
      const { ALL_RULES } = await import('../linter/rules/index.js');
      writeSarif(fresh, ALL_RULES, { version: o.version, root, cwd, failures, ...(o.docsBase ? { docsBase: o.docsBase } : {}), ...(result.accessAnalyzerFailure ? { toolFailure: result.accessAnalyzerFailure } : {}) }, o.out);
      break;
    }
    case 'github': {
      const { formatGithub, formatGithubSummary } = await import('../linter/format/github.js');
      const summaryFile = env.GITHUB_STEP_SUMMARY;
      const text = formatGithub(fresh, { failures, summary: Boolean(summaryFile) });
      // The job summary holds every finding (annotations stop at GitHub's cap); appended, as each step's is.
      if (summaryFile) appendFileSync(summaryFile, redactSecrets(formatGithubSummary(fresh, { failures, suppressed: result.suppressed.length, baselined: baselined.length })));
      o.out(text);
      break;
    }
    default: {
      const { writeText } = await import('../linter/format/text.js');
      writeText(fresh, { color: o.color, sources: redactedSources, suppressed: result.suppressed.length, baselined: baselined.length }, o.out);
    }
  }
  // The report is complete for what loaded; the inputs that did not are still bad input (exit 2).
  if (failures.length) throw new InputError(failures);
  // The offline findings were reported; Access Analyzer's did not all arrive: a runtime error (exit 1).
  if (result.accessAnalyzerFailure) throw new RuntimeError(`${result.accessAnalyzerFailure} (the findings above are every offline rule's; Access Analyzer's are missing)`);
  const threshold = SEVERITY_RANK[o.failOn];
  const failing = fresh.some((f) => SEVERITY_RANK[f.severity] >= threshold);
  return { exitCode: failing ? 1 : 0, result, fresh, baselined };
}
