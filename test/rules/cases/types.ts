/** The shape of a rule's case table (test-only; issue 11 §4: case tables do not ship in the build). */
import type { Bundle } from '../../../src/compiler/types.js';
import type { Severity } from '../../../src/linter/types.js';

/**
 * One row of a rule's test table. `policy` is linted as a plain policy JSON file (a trust policy
 * when it has Principal); `spec` is a spec YAML text (compiled, then linted) with optional extra
 * files next to it (user-data scripts).
 */
export interface RuleCase {
  name: string;
  fire: boolean;
  policy?: unknown;
  spec?: string;
  files?: Record<string, string>;
  /** A substring one of the rule's findings must contain. */
  message?: string;
  /** The severity of the rule's findings (those containing `message`, when given). */
  severity?: Severity;
  /** Where one of the rule's findings must be (1-based line, and column when given). */
  at?: { line: number; column?: number };
  /** false: lint the spec without compiling it (spec-level rules only; the compiler refuses some inputs itself). */
  compile?: boolean;
  /** Change the compiled bundle before linting (for what a spec cannot express, e.g. IMDSv1). */
  mutate?: (b: Bundle) => void;
}
