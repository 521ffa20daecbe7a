/**
 * `charter lint --access-analyzer --reference live`: connect the way `charter plan` does (--sandbox
 * uses .charter/sandbox.json, the state apply wrote; --endpoint; --profile; --region), read each
 * spec's live state with plan's reader (reads only: plan's read-only policy suffices, and its
 * AccessDenied messages are the ones shown), match the compiled roles to live ones as plan does
 * (src/plan/counterparts.ts) and map every compiled document to its live counterpart
 * (src/linter/live-reference.ts); the other live roles read beside the spec's go to the rules across
 * roles (privesc-cross-role). The same clients run Access Analyzer. Here, in the CLI layer,
 * so the linter imports neither the planner nor apply.
 */
import type { LiveAccessAnalyzerSetup } from './lint-run.js';

export const liveAccessAnalyzer: LiveAccessAnalyzerSetup = async (compiled, o) => {
  const { resolveEndpoint } = await import('../aws/endpoint.js');
  const { awsClients } = await import('../aws/clients.js');
  const { readLiveState } = await import('../aws/live-state.js');
  const { readOptionsForBundle } = await import('../plan/read-options.js');
  const { liveCounterparts } = await import('../plan/counterparts.js');
  const { checkAccount } = await import('../apply/plan-run.js');
  const { liveReference, liveRoleInputs } = await import('../linter/live-reference.js');
  const first = compiled[0]!.bundle;
  const ep = await resolveEndpoint({ sandbox: o.sandbox ?? false, ...(o.endpoint ? { endpoint: o.endpoint } : {}), ...(o.profile ? { profile: o.profile } : {}), ...(o.region ? { region: o.region } : {}) }, first.region, process.env, first.account);
  try {
    const clients = awsClients(ep.options);
    const ref: import('../linter/live-reference.js').LiveReference = new Map();
    const liveRoles = new Map<string, import('../linter/types.js').LiveRoleInput[]>();
    for (const s of compiled) {
      const live = await readLiveState(clients, readOptionsForBundle(s.bundle));
      checkAccount(s.bundle, live, ep.description);
      const cps = liveCounterparts(s.bundle, live);
      liveReference(s.bundle, live, cps, s.loaded.yaml.file, ref);
      // The other live roles read beside the spec's: escalation targets for privesc-cross-role.
      liveRoles.set(s.loaded.yaml.file, liveRoleInputs(s.bundle, live, cps));
    }
    return { aa: { clients, liveReference: ref, ...(o.denyActions ? { denyActions: o.denyActions } : {}) }, liveRoles, close: () => ep.close() };
  } catch (e) {
    await ep.close();
    throw e;
  }
};
