/** `charter compile SPEC`, `charter templates`, `charter graph SPEC`. */
import type { Argv } from 'yargs';
import type { SetExit } from './commands.js';

export function registerCompile(y: Argv, _setExit: SetExit): Argv {
  return y
    .command(
      'compile <spec>',
      'compile a spec into canonical, content-hashed IAM documents and EC2 launch plans',
      (c) =>
        c
          .positional('spec', { type: 'string', demandOption: true, describe: 'the spec YAML file' })
          .option('out', { type: 'string', describe: 'write manifest.json and one file per document to DIR' })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'stdout format' })
          .option('allow-secrets-in-user-data', { type: 'boolean', default: false, describe: 'with --out: write user-data in which lint finds a secret (otherwise refused, exit 2)' })
          .example('$0 compile fixtures/ml-research.yaml', 'print a summary of the bundle')
          .example('$0 compile spec.yaml --out build/', 'write every document to build/'),
      async (args) => {
        const { loadSpecFile } = await import('../spec/load.js');
        const { compileSpec } = await import('../compiler/index.js');
        if (args.out !== undefined) {
          const { checkOutPath } = await import('./out-path.js');
          checkOutPath('--out', args.out as string, 'dir');
        }
        const loaded = loadSpecFile(args.spec as string);
        const bundle = await compileSpec(loaded);
        if (args.out) {
          if (args['allow-secrets-in-user-data'] !== true) {
            // The written user-data is the payload for EC2, in clear: charter does not write a secret to disk unasked.
            const { refuseUserDataSecrets, userDataSecrets } = await import('../compiler/user-data-secrets.js');
            refuseUserDataSecrets(userDataSecrets(loaded, bundle.launches), 'compile --out');
          }
          const { writeBundleDir } = await import('../compiler/output.js');
          const written = writeBundleDir(bundle, args.out as string);
          if (args.format !== 'json') process.stderr.write(`wrote ${written.files} file(s) to ${written.dir}\n`);
        }
        if (args.format === 'json') {
          const { prettyJson } = await import('../policy/canonical.js');
          // Shown for review, redacted at the output boundary like everything printed (user-data
          // included: the payload for EC2 is in --out DIR).
          process.stdout.write(prettyJson(bundle));
          return;
        }
        const { formatSummary } = await import('../compiler/summary.js');
        process.stdout.write(formatSummary(bundle));
      },
    )
    .command(
      'graph <spec>',
      'draw the roles, their trust principals, managed policies and instance groups',
      (c) =>
        c
          .positional('spec', { type: 'string', demandOption: true, describe: 'the spec YAML file' })
          .option('format', { choices: ['mermaid', 'dot'] as const, default: 'mermaid' as const, describe: 'graph language' })
          .example('$0 graph fixtures/lakerunner.yaml', 'a Mermaid flowchart (paste into Markdown)')
          .example('$0 graph spec.yaml --format dot | dot -Tsvg > spec.svg', 'render with Graphviz'),
      async (args) => {
        const { loadSpecFile } = await import('../spec/load.js');
        const { compileSpec } = await import('../compiler/index.js');
        const { renderGraph } = await import('../compiler/graph.js');
        const bundle = await compileSpec(loadSpecFile(args.spec as string));
        const g = renderGraph(bundle, args.format as 'mermaid' | 'dot');
        for (const n of g.notes) process.stderr.write(`note: ${n}\n`);
        process.stdout.write(g.text);
      },
    )
    .command(
      'templates',
      'list the built-in policy templates with their actions',
      (c) =>
        c
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const })
          .example('$0 templates', 'each template with its actions and the resource types `scope:` matches')
          .example('$0 templates --format json', 'the same as JSON'),
      async (args) => {
        const { BUILTIN_TEMPLATES } = await import('../templates/builtins.js');
        if (args.format === 'json') {
          process.stdout.write(JSON.stringify(BUILTIN_TEMPLATES, null, 2) + '\n');
          return;
        }
        const { BUILTIN_ACTION_RESOURCES } = await import('../templates/resource-data.js');
        // Each action with the resource types `scope:` ARNs must match for it ("*" = wildcard-only).
        const typed = (a: string) => {
          const r = BUILTIN_ACTION_RESOURCES[a.toLowerCase()];
          if (!r) return a;
          return `${a} [${r.wildcardOnly ? '*' : r.types.join('|')}]`;
        };
        for (const t of BUILTIN_TEMPLATES) {
          process.stdout.write(`${t.name.padEnd(24)} ${t.description}${t.fullAccess ? ' (needs allowFullAccess: <reason>)' : ''}\n${' '.repeat(25)}${t.actions.map(typed).join(', ')}\n`);
        }
        process.stdout.write(`\nScope a built-in with scope: { <service>: [ARN, ...] } on the service: each action gets the ARNs of the\nresource types in [brackets]; [*] actions keep Resource "*". Unscoped built-ins compile to Resource "*".\n`);
      },
    );
}
