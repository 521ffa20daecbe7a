/**
 * The planner's side of apply, wired to the real modules: spec loading and compiling, the live-state
 * reader, fingerprints, the planner, its text format and the plan file.
 */
import type { Bundle } from '../compiler/types.js';
import type { AwsClients } from '../aws/clients.js';
import { RuntimeError } from '../diagnostics.js';
import type { PlanHooks } from './run.js';
import type { Plan } from '../plan/types.js';
import type { FingerprintTarget } from '../policy/live-types.js';
import { loadPlan } from '../plan/plan-file.js';
import { renderText } from '../plan/plan-format.js';
import { refingerprint } from '../aws/fingerprints.js';

function loadPlanSync(path: string): Plan {
  return loadPlan(path);
}

export function realHooks(): PlanHooks {
  return {
    async loadAndCompile(specPath: string) {
      const { loadSpecFile } = await import('../spec/load.js');
      const { compileSpec } = await import('../compiler/index.js');
      const loaded = loadSpecFile(specPath);
      return { loaded, bundle: await compileSpec(loaded) };
    },
    async readLive(clients: AwsClients, bundle: Bundle) {
      const { readLiveState } = await import('../aws/live-state.js');
      const { readOptionsForBundle } = await import('../plan/read-options.js');
      return readLiveState(clients, readOptionsForBundle(bundle));
    },
    async readResources(clients: AwsClients, targets: FingerprintTarget[], bundle: Bundle) {
      const { readResources } = await import('../aws/live-state.js');
      return readResources(clients, targets, { prefix: bundle.prefix, specName: bundle.specName });
    },
    fingerprints: (live, planned, prefix) => refingerprint(live, planned, prefix),
    async makePlan(bundle, live, o) {
      const { plan } = await import('../plan/plan.js');
      return plan(bundle, live, o);
    },
    formatPlan: (p, color) => renderText(p, { color, diffs: true }),
    readPlanFile(path: string) {
      return loadPlanSync(path);
    },
  };
}

