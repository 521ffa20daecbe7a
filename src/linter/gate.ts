/**
 * The offline lint as a gate for plan and apply: the same rules, severities and suppressions as
 * `charter lint SPEC` (no Access Analyzer, no network). Plan shows the counts; apply refuses a spec
 * with errors unless each is suppressed with a reason or --allow-lint-errors is given.
 */
import { loadSpecFile } from '../spec/load.js';
import { compileSpec } from '../compiler/index.js';
import { lint } from './engine.js';
import type { Finding } from './types.js';

export interface LintGateResult {
  /** Findings at error severity after overrides and suppressions, in lint's order. */
  errors: Finding[];
  warnings: number;
  /** Findings suppressed (with a reason: a suppression without one is itself an error). */
  suppressed: number;
}

export async function lintSpecGate(specPath: string): Promise<LintGateResult> {
  const loaded = loadSpecFile(specPath);
  const bundle = await compileSpec(loaded);
  const r = await lint({ specs: [{ loaded, bundle }] });
  return {
    errors: r.findings.filter((f) => f.severity === 'error'),
    warnings: r.findings.filter((f) => f.severity === 'warning').length,
    suppressed: r.suppressed.length,
  };
}
