/**
 * The suite's only clock: vitest's test and hook timeout (vitest.config.ts reads it from here). Tests
 * never kill a process or give up a wait on a shorter wall-clock deadline of their own, so a loaded
 * machine makes the suite slower, never red. The one other use: a synchronous child process
 * (spawnSync) blocks the worker, so vitest's timeout could not fire; it gets this same deadline.
 */
export const SUITE_TIMEOUT_MS = 300_000;
