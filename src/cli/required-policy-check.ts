/**
 * `charter plan --print-required-policy`: the read-only policy, compiled through the canonical
 * form and linted by charter's own linter (an error-level finding would be a bug: refuse to print).
 * In the CLI layer: src/aws does not import the linter.
 */
import { prettyJson } from '../policy/canonical.js';
import { RuntimeError } from '../diagnostics.js';
import { requiredPlanPolicy } from '../aws/required-policy.js';

export interface RequiredPolicyFinding {
  severity: string;
  rule: string;
  message: string;
}

export async function lintRequiredPolicy(): Promise<RequiredPolicyFinding[]> {
  const { lint } = await import('../linter/engine.js');
  const res = await lint({ files: [{ file: 'charter-plan-read-only.json', text: prettyJson(requiredPlanPolicy()) }] });
  return res.findings.map((f) => ({ severity: f.severity, rule: f.rule, message: f.message }));
}

export async function requiredPolicyText(): Promise<string> {
  const errors = (await lintRequiredPolicy()).filter((f) => f.severity === 'error');
  if (errors.length) throw new RuntimeError(`internal: the required policy fails charter's own lint: ${errors.map((e) => `${e.rule}: ${e.message}`).join('; ')}`);
  return prettyJson(requiredPlanPolicy());
}
