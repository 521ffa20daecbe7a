/**
 * Where apply, destroy and reap send their calls: real AWS (default credential chain, --profile,
 * --region), an explicit --endpoint, or --sandbox: the embedded sandbox with its state in
 * .charter/sandbox.json (started in this process, stopped at exit).
 */
import { join } from 'node:path';
import { awsClients, SANDBOX_CREDENTIALS, type AwsClients } from '../aws/clients.js';

export interface ConnectOptions {
  region: string;
  sandbox?: boolean;
  endpoint?: string;
  profile?: string;
  /** Directory for .charter state (default: cwd/.charter). */
  stateDir?: string;
}

export interface Connection {
  clients: AwsClients;
  /** "sandbox (.charter/sandbox.json)", "endpoint http://...", "AWS". */
  label: string;
  close(): Promise<void>;
}

function isLocal(url: string): boolean {
  try {
    const h = new URL(url).hostname;
    return h === '127.0.0.1' || h === 'localhost' || h === '::1' || h === '[::1]';
  } catch {
    return false;
  }
}

export async function connect(o: ConnectOptions): Promise<Connection> {
  if (o.sandbox) {
    const { startSandbox } = await import('../sandbox/index.js');
    const stateFile = join(o.stateDir ?? '.charter', 'sandbox.json');
    const sb = await startSandbox({ stateFile, region: o.region });
    return {
      clients: awsClients({ region: o.region, endpoint: sb.endpoint, credentials: SANDBOX_CREDENTIALS }),
      label: `sandbox (${stateFile})`,
      close: () => sb.stop(),
    };
  }
  if (o.endpoint) {
    const local = isLocal(o.endpoint) && !process.env.AWS_ACCESS_KEY_ID && !o.profile;
    return {
      clients: awsClients({ region: o.region, endpoint: o.endpoint, ...(o.profile ? { profile: o.profile } : {}), ...(local ? { credentials: SANDBOX_CREDENTIALS } : {}) }),
      label: `endpoint ${o.endpoint}`,
      close: async () => {},
    };
  }
  return {
    clients: awsClients({ region: o.region, ...(o.profile ? { profile: o.profile } : {}) }),
    label: `AWS${o.profile ? ` (profile ${o.profile})` : ''}`,
    close: async () => {},
  };
}
