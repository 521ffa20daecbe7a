/** Shared by the launch-group suites: a stand-in compiled role, so launch groups compile without the IAM side. */
import type { Role } from '../src/compiler/types.js';

export function stubRole(service: string): Role {
  return {
    address: `role.${service}`,
    service,
    name: `charter-${service}-0a1b2c3d`,
    naming: 'stable',
    path: '/',
    trust: { document: { Version: '2012-10-17', Statement: [] }, hash: '', size: 0, origins: [] },
    inline: [],
    managed: [],
    tags: {},
    hash: '',
    needsInstanceProfile: true,
    pos: { file: 'spec.yaml', line: 1, col: 1 },
  };
}
