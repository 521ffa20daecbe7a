/** Builders for rule case tables (test-only: they do not ship in the build). */

/** Wrap a policy document for a rule case. */
export function doc(...statements: Array<Record<string, unknown>>): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: statements };
}

export function allow(action: string | string[], resource: string | string[] = '*', condition?: Record<string, unknown>): Record<string, unknown> {
  const s: Record<string, unknown> = { Effect: 'Allow', Action: action, Resource: resource };
  if (condition) s.Condition = condition;
  return s;
}

export function trustOf(principal: unknown, condition?: Record<string, unknown>, action: string | string[] = 'sts:AssumeRole'): Record<string, unknown> {
  const s: Record<string, unknown> = { Effect: 'Allow', Principal: principal, Action: action };
  if (condition) s.Condition = condition;
  return { Version: '2012-10-17', Statement: [s] };
}

/** Minimal spec header for spec-based cases. */
export const SPEC_HEAD = 'version: 1\nname: case\nregion: us-west-2\naccount: "123456789012"\n';
