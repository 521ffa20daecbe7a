/**
 * The offline lint as a gate for plan and apply: the same rules, severities and suppressions as
 * `charter lint SPEC` (no Access Analyzer, no network). Plan shows the counts; apply refuses a spec
 * with errors unless each is suppressed with a reason or --allow-lint-errors is given.
 */
import type { LoadedSpec } from '../spec/types.js';
import type { Bundle } from '../compiler/types.js';
import { lint } from './engine.js';
import type { Finding } from './types.js';

export interface LintGateResult {
  /** Findings at error severity after overrides and suppressions, in lint's order. */
  errors: Finding[];
  warnings: number;
  /** Findings suppressed (with a reason: a suppression without one is itself an error). */
  suppressed: number;
}

/** The gate over a spec the caller already loaded and compiled (what is checked is what is planned or applied). */
export async function lintSpecGate({ loaded, bundle }: { loaded: LoadedSpec; bundle: Bundle }): Promise<LintGateResult> {
  const r = await lint({ specs: [{ loaded, bundle }] });
  return {
    errors: r.findings.filter((f) => f.severity === 'error'),
    warnings: r.findings.filter((f) => f.severity === 'warning').length,
    suppressed: r.suppressed.length,
  };
}
