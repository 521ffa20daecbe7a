/**
 * IAM Access Analyzer policy checks: ValidatePolicy (paginated), CheckNoNewAccess and
 * CheckAccessNotGranted. The only module that calls Access Analyzer; the SDK is imported lazily
 * (through awsClients) so nothing on the offline lint path loads it.
 */
import { serviceEndpoint, type AwsClients } from './clients.js';
import { explainAwsError } from './errors.js';

import type { AaCheckResult, AaDocument, AaFinding, AaLocation, AaPolicyType } from '../policy/access-analyzer-types.js';

export type * from '../policy/access-analyzer-types.js';

type PathElement = { index?: number; key?: string; substring?: { start?: number; length?: number }; value?: string };

function pathOf(p: PathElement[] | undefined): Array<string | number> {
  const out: Array<string | number> = [];
  for (const e of p ?? []) {
    if (typeof e.index === 'number') out.push(e.index);
    else if (typeof e.value === 'string') out.push(e.value);
    else if (typeof e.key === 'string') out.push(e.key);
  }
  return out;
}

/** Send one Access Analyzer call; a failure is explained naming the call and the endpoint it went to. */
async function send<O>(clients: AwsClients, action: string, command: object): Promise<O> {
  const client = await clients.accessAnalyzer();
  try {
    return (await client.send(command as never)) as O;
  } catch (e) {
    throw explainAwsError(e, `access-analyzer:${action}`, '', serviceEndpoint(clients.options, 'accessanalyzer'));
  }
}

/** ValidatePolicy with every page. */
export async function validatePolicy(clients: AwsClients, doc: AaDocument): Promise<AaFinding[]> {
  const { ValidatePolicyCommand } = await import('@aws-sdk/client-accessanalyzer');
  const out: AaFinding[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const res = await send<import('@aws-sdk/client-accessanalyzer').ValidatePolicyCommandOutput>(
      clients,
      'ValidatePolicy',
      new ValidatePolicyCommand({
        policyDocument: doc.text,
        policyType: doc.policyType,
        ...(doc.resourceType ? { validatePolicyResourceType: doc.resourceType } : {}),
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const f of res.findings ?? []) {
      const locs: AaLocation[] = (f.locations ?? []).map((l) => {
        const loc: AaLocation = { path: pathOf(l.path as PathElement[] | undefined) };
        const s = l.span;
        if (s?.start && s.end) {
          loc.span = {
            start: { line: s.start.line ?? 1, column: s.start.column ?? 0, offset: s.start.offset ?? 0 },
            end: { line: s.end.line ?? 1, column: s.end.column ?? 0, offset: s.end.offset ?? 0 },
          };
        }
        return loc;
      });
      const finding: AaFinding = { findingType: f.findingType ?? 'WARNING', issueCode: f.issueCode ?? 'UNKNOWN', findingDetails: f.findingDetails ?? '', locations: locs };
      if (f.learnMoreLink) finding.learnMoreLink = f.learnMoreLink;
      out.push(finding);
    }
    nextToken = res.nextToken;
    if (!nextToken) break;
  }
  return out;
}

/** Whether `newText` grants access `existingText` does not. */
export async function checkNoNewAccess(clients: AwsClients, newText: string, existingText: string, policyType: AaPolicyType): Promise<AaCheckResult> {
  const { CheckNoNewAccessCommand } = await import('@aws-sdk/client-accessanalyzer');
  const res = await send<import('@aws-sdk/client-accessanalyzer').CheckNoNewAccessCommandOutput>(clients, 'CheckNoNewAccess', new CheckNoNewAccessCommand({ newPolicyDocument: newText, existingPolicyDocument: existingText, policyType }));
  return { result: res.result ?? 'PASS', message: res.message ?? '', reasons: (res.reasons ?? []).map((r) => ({ ...(r.description ? { description: r.description } : {}), ...(r.statementIndex !== undefined ? { statementIndex: r.statementIndex } : {}), ...(r.statementId ? { statementId: r.statementId } : {}) })) };
}

/** Whether `text` grants any of `actions`. */
export async function checkAccessNotGranted(clients: AwsClients, text: string, actions: string[], policyType: AaPolicyType): Promise<AaCheckResult> {
  const { CheckAccessNotGrantedCommand } = await import('@aws-sdk/client-accessanalyzer');
  const res = await send<import('@aws-sdk/client-accessanalyzer').CheckAccessNotGrantedCommandOutput>(clients, 'CheckAccessNotGranted', new CheckAccessNotGrantedCommand({ policyDocument: text, access: [{ actions }], policyType }));
  return { result: res.result ?? 'PASS', message: res.message ?? '', reasons: (res.reasons ?? []).map((r) => ({ ...(r.description ? { description: r.description } : {}), ...(r.statementIndex !== undefined ? { statementIndex: r.statementIndex } : {}), ...(r.statementId ? { statementId: r.statementId } : {}) })) };
}
