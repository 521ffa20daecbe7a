/** Rule documentation pages (rules/<id>.md) and the index (rules/README.md), generated from rule metadata. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from './rules/index.js';
import type { Rule } from './types.js';

function fence(s: string): string {
  const lang = s.trimStart().startsWith('{') || s.trimStart().startsWith('"') || s.trimStart().startsWith('[') ? 'json' : 'yaml';
  return '```' + lang + '\n' + s + '\n```';
}

export function ruleDoc(r: Rule): string {
  const m = r.meta;
  return [
    `# ${m.id}: ${m.title}`,
    '',
    `Category: **${m.category}** · default severity: **${m.severity}**`,
    '',
    '## What it reports',
    '',
    m.docs.what,
    '',
    '## Why it matters',
    '',
    m.docs.why,
    '',
    '## Bad',
    '',
    fence(m.docs.bad),
    '',
    '## Good',
    '',
    fence(m.docs.good),
    '',
    '## How to fix',
    '',
    m.docs.fix,
    '',
    '## How to suppress',
    '',
    'Only with a reason a reviewer can judge. On the spec line the finding points at:',
    '',
    '```yaml',
    `    - actions: [...]   # charter-ignore ${m.id}: <why this is acceptable>`,
    '```',
    '',
    'or for a whole part of the spec:',
    '',
    '```yaml',
    'lint:',
    '  ignore:',
    `    - rule: ${m.id}`,
    '      path: services.<name>          # optional: a spec path (dotted or JSON pointer)',
    '      reason: <why this is acceptable>',
    '  severity:',
    `    ${m.id}: warning                 # or error, info, off`,
    '```',
    '',
    'A suppression without a reason is itself a finding (lint-config); one that matches nothing is reported (unused-suppression). `charter lint --baseline FILE` accepts existing findings without editing the spec.',
    '',
  ].join('\n');
}

export function rulesIndexMarkdown(): string {
  const rows = ALL_RULES.map((r) => `| [${r.meta.id}](${r.meta.id}.md) | ${r.meta.category} | ${r.meta.severity} | ${r.meta.title} |`);
  return [
    '# charter lint rules',
    '',
    'Generated from the rule modules in `src/linter/rules/` (`charter rules --write-docs rules/`). `charter rules` lists them.',
    '',
    '| rule | category | default | title |',
    '|---|---|---|---|',
    ...rows,
    '',
    '## Output formats',
    '',
    '`charter lint --format text|json|sarif|github`.',
    '',
    '- **text**: eslint-like, grouped by file, with a code frame and a hint; colour only on a TTY without `NO_COLOR`.',
    '- **json** (stable; new fields may be added, none removed or renamed):',
    '',
    '```json',
    '{',
    '  "version": 1,',
    '  "tool": "charter",',
    '  "findings": [',
    '    { "rule": "wildcard-action", "category": "least-privilege", "severity": "error",',
    '      "message": "…", "file": "spec.yaml", "line": 12, "column": 9, "hint": "…" or null,',
    '      "fingerprint": "32 hex digits (see Baselines)",',
    '      "messageId": "escalate" or null, "data": { "names": "iam:PutRolePolicy", … } or null }',
    '  ],',
    '  "summary": { "error": 1, "warning": 0, "info": 0, "suppressed": 0, "baselined": 0 }',
    '}',
    '```',
    '',
    '- **sarif**: SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`); every rule in `tool.driver.rules`, results with `partialFingerprints`.',
    '- **github**: workflow commands, `::error file=F,line=L,col=C,title=charter RULE::message` (warning → `::warning`, info → `::notice`).',
    '',
    '## Exit codes',
    '',
    '0 no finding at or above `--fail-on` (default error); 1 such findings, or a runtime error; 2 bad input (unreadable file, bad JSON/YAML, a spec that does not compile).',
    '',
    '## Baselines',
    '',
    '`charter lint … --write-baseline FILE` records the current findings; `charter lint … --baseline FILE` then reports and fails only on findings not in it. The file:',
    '',
    '```json',
    '{ "version": 1, "tool": "charter", "findings": [ { "fingerprint": "…", "rule": "…", "file": "…", "message": "…" } ] }',
    '```',
    '',
    'A fingerprint is sha256 over the rule, the file\'s location key (its path from the repository root: GITHUB_WORKSPACE in GitHub Actions, else the nearest directory up from the working directory holding `.git`), the spec/JSON pointer of the finding, and the message id with its data (rules that declare `meta.messages`; `messageId` and `data` in the JSON output) or else the rule\'s stable key — not the line nor the wording of a message, so editing other parts of the spec or rewording a message keeps old findings matched, and the same file linted as a relative path, an absolute path or from a sub-folder has the same fingerprints (SARIF `partialFingerprints` `charterFinding/v1` holds the same value). Equal findings are matched as a multiset.',
    '',
    '## Suppressions and severity',
    '',
    '- `# charter-ignore RULE[, RULE]: reason` at the end of the spec line a finding points at (or alone on the line above it).',
    '- `lint.ignore: [{ rule, path?, reason }]` in the spec; `path` is a spec path such as `services.web` or `/services/web/statements/0` (prefix match, `*` allowed).',
    '- `lint.severity: { RULE: error|warning|info|off }` overrides a rule\'s severity for this spec.',
    '- `lint.requireTtl`, `lint.trustPolicyLimit`, `lint.maxManagedPolicies` tune the launch and size rules.',
    '',
  ].join('\n');
}

export function writeRuleDocs(dir: string): number {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, text: string) => {
    const tmp = join(dir, `.${name}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, join(dir, name));
  };
  for (const r of ALL_RULES) write(`${r.meta.id}.md`, ruleDoc(r));
  write('README.md', rulesIndexMarkdown());
  return ALL_RULES.length;
}
