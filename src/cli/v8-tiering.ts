/**
 * V8 optimises a function once it has run a set amount of bytecode (its interrupt budget; 66 KiB
 * in Node 20's V8). A lint of a few hundred to a few thousand policy files is a short run that
 * calls hundreds of functions a few thousand times each: with the default budget V8 sends twice as
 * many of them to its optimising compiler (171 against 81 on the AWS managed corpus), whose
 * background threads then take the cores from the main thread. Four times the budget optimises
 * only what stays hot. Measured on 2 cores, interleaved, wall time against the default budget
 * (issue 14): 100 files no gain (loading node:v8 costs ~2.5 ms); 300 files -13%; 700 -22%; the
 * 1,388-file corpus -17% (-8% with both cores busy); twice the corpus -10%, three times -7%; four
 * and eight times +3-4%, as a long run gains from optimising early. Hence only between the bounds
 * below. A process-wide setting, made by the CLI only, and never over a budget the user gave node.
 * (Only this flag is set at run time: V8 reads it afresh at each budget reset; its GC flags, set
 * so, abort the process.)
 */
export const TIERING_FILES = { from: 200, below: 5000 } as const;

/** Whether a lint of this many policy files runs with the raised budget. */
export function raisesBudget(files: number): boolean {
  return files >= TIERING_FILES.from && files < TIERING_FILES.below;
}

const BUDGET = 4 * 66 * 1024;

/** Whether node was given an interrupt budget (on its command line or in NODE_OPTIONS; V8 takes - or _). */
export function budgetGiven(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, nodeOptions ?? ''].some((a) => /--interrupt[-_]budget(?=[=\s]|$)/.test(a));
}

export async function optimiseLessEagerly(): Promise<void> {
  if (budgetGiven(process.execArgv, process.env.NODE_OPTIONS)) return;
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString(`--interrupt-budget=${BUDGET}`);
}
