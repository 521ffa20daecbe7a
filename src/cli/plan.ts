/** Commands of the plan area; filled in by its owner. */
import type { Argv } from 'yargs';
import type { SetExit } from './commands.js';

export function registerPlan(y: Argv, _setExit: SetExit): Argv {
  return y;
}
