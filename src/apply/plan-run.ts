/**
 * `charter plan` / `charter diff` as a function: load and compile the spec, connect (sandbox,
 * endpoint or AWS), read live state in bulk, plan. The CLI module only parses flags and prints.
 */
import { loadSpecFile } from '../spec/load.js';
import { compileSpec } from '../compiler/index.js';
import type { Bundle } from '../compiler/types.js';
import type { LoadedSpec } from '../spec/types.js';
import { resolveEndpoint, type EndpointFlags } from '../aws/endpoint.js';
import { awsClients, type AwsClients } from '../aws/clients.js';
import type { LiveState } from '../policy/live-types.js';
import { readLiveState, type ReadMode } from '../aws/live-state.js';
import { readOptionsForBundle } from '../plan/read-options.js';
import { plan } from '../plan/plan.js';
import { RuntimeError } from '../diagnostics.js';
import type { Plan } from '../plan/types.js';

export { readOptionsForBundle };

export interface PlanRunOptions extends EndpointFlags {
  spec: string;
  prune: boolean;
  adopt: boolean;
  readMode?: ReadMode;
  /** Use these clients instead of resolving an endpoint (tests, apply). */
  clients?: AwsClients;
}

export interface PlanRunResult {
  plan: Plan;
  /** The spec as loaded, and its compilation: what was planned (plan's lint gate checks these). */
  loaded: LoadedSpec;
  bundle: Bundle;
  live: LiveState;
  /** Where the calls went: "sandbox (...)", "endpoint ...", "AWS". */
  target: string;
}

/** A spec that names its account is never planned against another one. */
export function checkAccount(bundle: Bundle, live: LiveState, target: string): void {
  if (bundle.account && live.account && bundle.account !== live.account) {
    throw new RuntimeError(`the spec ${bundle.specPath} is for account ${bundle.account}, but the credentials (${live.callerArn || target}) are for account ${live.account}: pick the right --profile, or change account: in the spec`);
  }
}

export async function runPlan(o: PlanRunOptions): Promise<PlanRunResult> {
  const loaded = loadSpecFile(o.spec);
  const bundle = await compileSpec(loaded);
  if (o.clients) {
    const live = await readLiveState(o.clients, readOptionsForBundle(bundle, o.readMode));
    checkAccount(bundle, live, 'the given clients');
    return { plan: await plan(bundle, live, { prune: o.prune, adopt: o.adopt }), loaded, bundle, live, target: 'given clients' };
  }
  const ep = await resolveEndpoint(o, bundle.region, process.env, bundle.account);
  try {
    const live = await readLiveState(awsClients(ep.options), readOptionsForBundle(bundle, o.readMode));
    checkAccount(bundle, live, ep.description);
    return { plan: await plan(bundle, live, { prune: o.prune, adopt: o.adopt }), loaded, bundle, live, target: ep.description };
  } finally {
    await ep.close();
  }
}
