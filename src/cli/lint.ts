/** `charter lint SPEC|POLICY.json|DIR...` and `charter rules`. Cores are imported lazily. */
import type { Argv } from 'yargs';
import { readFileSync } from 'node:fs';
import type { SetExit } from './commands.js';
import { useColor } from './color.js';

interface PackageJson {
  version: string;
  homepage?: string;
  repository?: string | { url?: string; directory?: string };
}

function packageJson(): PackageJson {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;
  } catch {
    return { version: '0.0.0' };
  }
}

/**
 * Where the rule pages (rules/<id>.md) live, when package.json says where the project is: a
 * GitHub `repository` (with its `directory`) → its rules/ folder at the released version's tag.
 */
export function docsBase(pkg: PackageJson): string | undefined {
  const repo = typeof pkg.repository === 'string' ? { url: pkg.repository } : pkg.repository;
  const m = /github\.com[/:]([^/]+)\/([^/#]+?)(?:\.git)?\/?(?:#.*)?$/.exec(repo?.url ?? '') ?? (/^github:([^/]+)\/([^/#]+)$/.exec(repo?.url ?? ''));
  if (!m) return undefined;
  const dir = repo?.directory ? `${repo.directory.replace(/^\/+|\/+$/g, '')}/` : '';
  return `https://github.com/${m[1]}/${m[2]}/blob/v${pkg.version}/${dir}rules/`;
}

export function registerLint(y: Argv, setExit: SetExit): Argv {
  return y
    .command(
      'lint <inputs..>',
      'lint specs and IAM policy JSON files: least privilege, escalation paths, trust, condition pitfalls, sizes, launch hygiene, secrets',
      (c) =>
        c
          .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'spec YAML files, policy JSON files, or directories of policy JSON files' })
          .option('format', { choices: ['text', 'json', 'sarif', 'github'] as const, default: 'text' as const, describe: 'output format' })
          .option('fail-on', { choices: ['error', 'warning', 'info'] as const, default: 'error' as const, describe: 'exit 1 when a finding has at least this severity' })
          .option('access-analyzer', { type: 'boolean', default: false, describe: 'also run IAM Access Analyzer (ValidatePolicy, CheckAccessNotGranted, CheckNoNewAccess with --reference)' })
          .option('reference', { type: 'string', describe: 'what CheckNoNewAccess compares with (needs --access-analyzer): DIR, a previous `charter compile --out DIR`; or `live`, the deployed roles and policies read as `charter plan` reads them (--sandbox/--endpoint/--profile/--region; plan\'s read-only policy suffices, nothing is written)' })
          .option('deny-actions', { type: 'string', describe: 'comma-separated actions no document may grant (Access Analyzer; default iam:*,organizations:*,account:*)' })
          .option('baseline', { type: 'string', describe: 'fail only on findings not in this baseline file' })
          .option('write-baseline', { type: 'string', describe: 'write the current findings to FILE as a baseline and exit 0' })
          .option('sandbox', { type: 'boolean', default: false, describe: 'run Access Analyzer checks against the embedded sandbox (with --reference live: the sandbox state in .charter/sandbox.json, as plan and apply use)' })
          .option('endpoint', { type: 'string', describe: 'AWS endpoint URL for Access Analyzer' })
          .option('region', { type: 'string', describe: 'AWS region for Access Analyzer (default: the spec\'s)' })
          .option('profile', { type: 'string', describe: 'AWS profile for Access Analyzer' })
          .option('color', { type: 'boolean', describe: 'force colour on/off (default: on a TTY without NO_COLOR)' })
          .example('$0 lint spec.yaml', 'lint a spec (compiled first)')
          .example('$0 lint policies/ --format sarif > lint.sarif', 'lint a directory of policy JSON files for GitHub code scanning')
          .example('$0 lint spec.yaml --access-analyzer --reference live --profile ro', 'report access the spec grants beyond what is deployed, before planning')
          .example('$0 lint spec.yaml --write-baseline .charter-baseline.json', 'accept the current findings')
          .example('$0 lint spec.yaml --baseline .charter-baseline.json', 'fail only on new findings'),
      async (args) => {
        if (args['write-baseline'] !== undefined) {
          const { checkOutPath } = await import('./out-path.js');
          checkOutPath('--write-baseline', args['write-baseline'] as string, 'file');
        }
        const { runLint, LIVE } = await import('./lint-run.js');
        const pkg = packageJson();
        const base = docsBase(pkg);
        const color = args.format === 'text' && useColor(args.color as boolean | undefined, process.env, Boolean(process.stdout.isTTY));
        const deny = typeof args['deny-actions'] === 'string' ? (args['deny-actions'] as string).split(',').map((s) => s.trim()).filter(Boolean) : undefined;
        const r = await runLint({
          inputs: args.inputs as string[],
          format: args.format as 'text' | 'json' | 'sarif' | 'github',
          failOn: args['fail-on'] as 'error' | 'warning' | 'info',
          accessAnalyzer: args['access-analyzer'] as boolean,
          ...(args.reference ? { reference: args.reference as string } : {}),
          ...(deny ? { denyActions: deny } : {}),
          ...(args.baseline ? { baseline: args.baseline as string } : {}),
          ...(args['write-baseline'] ? { writeBaseline: args['write-baseline'] as string } : {}),
          sandbox: args.sandbox as boolean,
          ...(args.endpoint ? { endpoint: args.endpoint as string } : {}),
          ...(args.region ? { region: args.region as string } : {}),
          ...(args.profile ? { profile: args.profile as string } : {}),
          color,
          version: pkg.version,
          ...(base ? { docsBase: base } : {}),
          out: (s) => process.stdout.write(s),
          err: (s) => process.stderr.write(s),
          ...(args.reference === LIVE ? { liveSetup: (await import('./lint-live.js')).liveAccessAnalyzer } : {}),
        });
        setExit(r.exitCode);
      },
    )
    .command(
      'rules',
      'list the lint rules (id, category, default severity, title)',
      (c) =>
        c
          .option('format', { choices: ['text', 'json', 'markdown'] as const, default: 'text' as const })
          .option('write-docs', { type: 'string', describe: 'write one markdown page per rule into DIR (rules/)' })
          .example('$0 rules', 'every rule by category, with its default severity')
          .example('$0 rules --format json', 'the same as JSON (id, category, severity, title, docs page)'),
      async (args) => {
        const { ALL_RULES } = await import('../linter/rules/index.js');
        if (args['write-docs']) {
          const { writeRuleDocs } = await import('../linter/docs.js');
          const n = writeRuleDocs(args['write-docs'] as string);
          process.stderr.write(`wrote ${n} rule pages to ${args['write-docs'] as string}\n`);
          return;
        }
        if (args.format === 'json') {
          process.stdout.write(JSON.stringify(ALL_RULES.map((r) => ({ id: r.meta.id, category: r.meta.category, severity: r.meta.severity, title: r.meta.title, docs: `rules/${r.meta.id}.md` })), null, 2) + '\n');
          return;
        }
        if (args.format === 'markdown') {
          const { rulesIndexMarkdown } = await import('../linter/docs.js');
          process.stdout.write(rulesIndexMarkdown());
          return;
        }
        const w = Math.max(...ALL_RULES.map((r) => r.meta.id.length));
        let cat = '';
        for (const r of ALL_RULES) {
          if (r.meta.category !== cat) {
            cat = r.meta.category;
            process.stdout.write(`\n${cat}\n`);
          }
          process.stdout.write(`  ${r.meta.id.padEnd(w)}  ${r.meta.severity.padEnd(7)}  ${r.meta.title}\n`);
        }
      },
    );
}
