/**
 * Live AWS state types: defined in src/policy/live-types.ts, where the linter may import them too
 * (src/linter/live-reference.ts; the linter does not import src/aws). Re-exported here for the
 * reader (src/aws/live-state.ts), the planner and apply.
 */
export type * from '../policy/live-types.js';
