/**
 * The planner's side of apply, wired to the real modules: spec loading and compiling, the live-state
 * reader, fingerprints, the planner, its text format and the plan file.
 */
import type { Bundle } from '../compiler/types.js';
import type { AwsClients } from '../aws/clients.js';
import { RuntimeError } from '../diagnostics.js';
import type { PlanHooks } from './run.js';
import type { Plan } from './types.js';
import { loadPlan } from './plan-file.js';
import { renderText } from './plan-format.js';

function loadPlanSync(path: string): Plan {
  return loadPlan(path);
}

/** A compact plan listing for apply's confirmation (the full formats live in plan-format). */
export function briefPlanText(p: Plan): string {
  const L: string[] = [];
  const s = p.summary;
  const active = p.changes.filter((c) => c.action !== 'no-op' || (c.conflict && !c.adopt));
  for (const c of active) {
    const mark = c.conflict && !c.adopt ? '!' : c.action === 'create' ? '+' : c.action === 'delete' ? '-' : c.action === 'replace' ? '±' : '~';
    const b = c.broadening === 'broadening' || c.broadening === 'mixed' ? `  [${c.broadening.toUpperCase()}]` : '';
    const what = c.launch && c.action === 'create' ? `launch ${c.launch.indexes.length} × ${c.name}` : `${c.action} ${c.kind} ${c.name}`;
    L.push(`  ${mark} ${what}${c.previousName && c.previousName !== c.name ? ` (was ${c.previousName})` : ''}: ${c.reason}${b}`);
  }
  L.unshift(`Plan ${p.planId.slice(0, 12)} for ${p.specName}: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.noop} unchanged${s.conflicts ? `, ${s.conflicts} CONFLICT(S)` : ''}${s.broadening ? `, ${s.broadening} broadening` : ''}`);
  return L.join('\n') + '\n';
}

export function readOptionsFor(bundle: Bundle) {
  return {
    prefix: bundle.prefix,
    specName: bundle.specName,
    roleNames: bundle.roles.map((r) => r.name),
    profileNames: bundle.instanceProfiles.map((p) => p.name),
    policyNames: bundle.managedPolicies.map((p) => p.name),
  };
}

export function realHooks(): PlanHooks {
  return {
    async loadAndCompile(specPath: string): Promise<Bundle> {
      const { loadSpecFile } = await import('../spec/load.js');
      const { compileSpec } = await import('../compiler/index.js');
      return compileSpec(loadSpecFile(specPath));
    },
    async readLive(clients: AwsClients, bundle: Bundle) {
      const { readLiveState } = await import('../aws/live-state.js');
      return readLiveState(clients, readOptionsFor(bundle));
    },
    async readResources(clients: AwsClients, keys: string[], bundle: Bundle) {
      const { readResources } = await import('../aws/live-state.js');
      return readResources(clients, keys, { prefix: bundle.prefix, specName: bundle.specName });
    },
    fingerprints: (live, keys, prefix) => fingerprintsOfSync(live, keys, prefix),
    async makePlan(bundle, live, o) {
      const { plan } = await import('./plan.js');
      return plan(bundle, live, o);
    },
    formatPlan: (p, color) => renderText(p, { color, diffs: true }),
    readPlanFile(path: string) {
      return loadPlanSync(path);
    },
  };
}

import { fingerprintsOf } from '../aws/fingerprints.js';
function fingerprintsOfSync(live: Parameters<typeof fingerprintsOf>[0], keys: string[], prefix: string) {
  return fingerprintsOf(live, keys, prefix);
}
