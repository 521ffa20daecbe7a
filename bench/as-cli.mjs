// What `charter lint` does to V8 before a lint of this many policy files (src/cli/v8-tiering.ts),
// done the same way in the benches that call lint() themselves: this checkout's module, whichever
// build they measure (an older one may not have it). Needs `npm run build`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function tierAsCli(policyFiles) {
  const tiering = await import(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist/cli/v8-tiering.js'));
  if (tiering.raisesBudget(policyFiles)) await tiering.optimiseLessEagerly();
}
