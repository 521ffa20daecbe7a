/** Commands of the lint area; filled in by its owner. */
import type { Argv } from 'yargs';
import type { SetExit } from './commands.js';

export function registerLint(y: Argv, _setExit: SetExit): Argv {
  return y;
}
