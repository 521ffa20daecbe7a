/**
 * V8 optimises a function once it has run a set amount of bytecode (its interrupt budget; 66 KiB
 * in Node 20's V8). A lint of many policy files is a short run that calls hundreds of functions a
 * few thousand times each: with the default budget V8 sends most of them to its optimising
 * compiler, whose background threads then take the cores from the main thread (on 2 cores the
 * process spent ~1.6 s of CPU per second of wall time). Four times the budget optimises only what
 * stays hot (issue 14; bench/table.bench.mjs): the AWS managed corpus (1,388 files) lints ~16%
 * faster on an idle 2-core machine, ~8% on a busy one; 300 files ~13%; 100 files and fewer gain
 * nothing (loading node:v8 costs ~2.5 ms), and 8× the corpus ~3% slower (long runs gain from
 * optimising early). A process-wide setting, made by the CLI only, and never over a budget the
 * user gave node themselves.
 */
export const MANY_POLICY_FILES = 200;

const BUDGET = 4 * 66 * 1024;

export async function optimiseLessEagerly(): Promise<void> {
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => /interrupt[-_]budget/.test(a))) return;
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString(`--interrupt-budget=${BUDGET}`);
}
