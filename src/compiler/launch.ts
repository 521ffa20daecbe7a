// placeholder: owned by the launch helper
import type { InputProblem } from '../diagnostics.js';
import type { LoadedSpec } from '../spec/types.js';
import type { LaunchGroup, Role } from './types.js';

export function compileLaunchGroups(_loaded: LoadedSpec, _roles: ReadonlyMap<string, Role>): { launches: LaunchGroup[]; problems: InputProblem[] } {
  return { launches: [], problems: [] };
}
