/**
 * Shape checks IAM itself would reject (MalformedPolicyDocument), reported at the spec or policy
 * file line instead of at apply time. Whether an action exists, or a grant is wise, is the linter's
 * business; these are only forms that can never be valid.
 */
const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
const RESOURCE = /^(\*|arn:[^:]*:[^:]*:[^:]*:[^:]*:.+|arn:\*)$/;
const SID = /^[A-Za-z0-9]*$/;

export function actionShapeProblem(a: string): string | undefined {
  if (ACTION.test(a)) return undefined;
  return `"${a}" is not an IAM action (service:Action, wildcards * and ? allowed)`;
}

export function resourceShapeProblem(r: string): string | undefined {
  if (RESOURCE.test(r) || /\{[A-Za-z][A-Za-z0-9_]*\}/.test(r)) return undefined;
  return `"${r}" is not a resource ARN (arn:partition:service:region:account:resource) or "*"`;
}

export function sidShapeProblem(sid: string): string | undefined {
  return SID.test(sid) ? undefined : `Sid "${sid}" may only hold letters and digits`;
}
