/**
 * Where apply, destroy and reap send their calls: the shared endpoint resolver (src/aws/endpoint.ts:
 * --sandbox starts the embedded sandbox with state in .charter/sandbox.json, --endpoint URL, the
 * AWS_ENDPOINT_URL* variables, --profile, --region) turned into lazily created SDK clients.
 */
import { awsClients, type AwsClients } from '../aws/clients.js';
import { resolveEndpoint } from '../aws/endpoint.js';

export interface ConnectOptions {
  /** --region, else the spec's (or plan's) region, else the environment's. */
  region?: string;
  specRegion?: string;
  /** The spec's (or plan's) account: --sandbox plays it, as plan does. */
  specAccount?: string;
  sandbox?: boolean;
  endpoint?: string;
  profile?: string;
}

export interface Connection {
  clients: AwsClients;
  /** "sandbox (.charter/sandbox.json)", "endpoint http://...", "AWS". */
  label: string;
  close(): Promise<void>;
}

export async function connect(o: ConnectOptions): Promise<Connection> {
  // The SDK warns on every run that Node 20 support ends in 2027: noise for an operator's terminal.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const ep = await resolveEndpoint(
    { ...(o.sandbox ? { sandbox: true } : {}), ...(o.endpoint ? { endpoint: o.endpoint } : {}), ...(o.profile ? { profile: o.profile } : {}), ...(o.region ? { region: o.region } : {}) },
    o.specRegion,
    process.env,
    o.specAccount,
  );
  return { clients: awsClients(ep.options), label: ep.description, close: () => ep.close() };
}
