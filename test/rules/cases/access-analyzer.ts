/** Case table of src/linter/rules/access-analyzer.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';

export const cases: Record<string, RuleCase[]> = {
  'aa-validate': [],
  'aa-new-access': [],
  'aa-access-granted': [],
};
