/** Commands of the sandbox area; filled in by its owner. */
import type { Argv } from 'yargs';
import type { SetExit } from './commands.js';

export function registerSandbox(y: Argv, _setExit: SetExit): Argv {
  return y;
}
