/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the driver lists every rule (with its docs as
 * help), each result points at file/line/column relative to the repository root (%SRCROOT%), and
 * carries a partial fingerprint so alerts track across commits.
 */
import { fingerprint } from '../baseline.js';
import type { Finding, Rule } from '../types.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
const SECURITY_SEVERITY = { error: '8.0', warning: '5.0', info: '2.0' } as const;

function uri(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');
}

export function formatSarif(findings: Finding[], rules: readonly Rule[], version: string): string {
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'charter',
            version,
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.meta.title },
              fullDescription: { text: r.meta.docs.what },
              help: {
                text: `${r.meta.docs.why}\n\nFix: ${r.meta.docs.fix}`,
                markdown: `${r.meta.docs.why}\n\n**Bad**\n\n\`\`\`\n${r.meta.docs.bad}\n\`\`\`\n\n**Good**\n\n\`\`\`\n${r.meta.docs.good}\n\`\`\`\n\n**Fix:** ${r.meta.docs.fix}`,
              },
              defaultConfiguration: { level: LEVEL[r.meta.severity] },
              properties: { tags: ['security', r.meta.category], 'security-severity': SECURITY_SEVERITY[r.meta.severity] },
            })),
          },
        },
        columnKind: 'unicodeCodePoints',
        results: findings.map((f) => {
          const res: Record<string, unknown> = {
            ruleId: f.rule,
            level: LEVEL[f.severity],
            message: { text: f.hint ? `${f.message}\nHint: ${f.hint}` : f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: uri(f.file), uriBaseId: '%SRCROOT%' },
                  region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
                },
              },
            ],
            partialFingerprints: { 'charterFinding/v1': fingerprint(f) },
          };
          const i = index.get(f.rule);
          if (i !== undefined) res.ruleIndex = i;
          return res;
        }),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
