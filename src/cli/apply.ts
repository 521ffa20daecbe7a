/** Commands of the apply area; filled in by its owner. */
import type { Argv } from 'yargs';
import type { SetExit } from './commands.js';

export function registerApply(y: Argv, _setExit: SetExit): Argv {
  return y;
}
