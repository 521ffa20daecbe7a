/**
 * What is wrong with an ARN, naming the part: too few parts, the partition, the service, the
 * region, the account or the resource (`arn:aws:s3:bkt/*` has 4 of the 6 parts, with `bkt/*` where
 * the region goes; not "an invalid region"). Used wherever an ARN is checked: policy Resource
 * entries (lint), spec scope ARNs, managed and boundary ARNs, template params of type arn, and
 * named trusts' aws: principals.
 * IAM policy variables (`${aws:username}`) are left alone; IAM wildcards (`*`, `?`) may stand in
 * any part, and a last part that is only `*` may stand for the parts after it.
 */
import { didYouMean } from '../diagnostics.js';
import { quoteValue } from '../spec/forms.js';
import { KNOWN_REGIONS, PARTITIONS } from './partitions.js';

export type ArnPart = 'prefix' | 'parts' | 'placeholder' | 'partition' | 'service' | 'region' | 'account' | 'resource';

export interface ArnProblem {
  part: ArnPart;
  /** Says what is wrong after the quoted ARN: `"arn:aws:s3:bkt/*" has 4 of the 6 parts …`. */
  message: string;
  hint: string;
}

export const ARN_FORM = 'arn:partition:service:region:account:resource';
const PART_NAMES = ['arn', 'partition', 'service', 'region', 'account', 'resource'] as const;
/** A wildcard or an IAM policy variable: may stand for anything in its part. */
const WILD = /[*?]|\$\{/;
const REGION_SHAPE = /^[a-z]{2,}(-[a-z]+)+-[0-9]+$/;
const PLACEHOLDER = /\{(region|accountId|account|partition)\}/i;
const PLACEHOLDER_WORDS: Record<string, string> = { region: 'region', accountid: 'account id', account: 'account id', partition: 'partition' };

/** arnProblem's answers by ARN (null: well formed): a lint asks of each Resource in two rules, and the same ARNs recur across documents. */
const problems = new Map<string, ArnProblem | null>();

/** The problem of an ARN (or of "*"), or undefined when it is well formed. */
export function arnProblem(arn: string): ArnProblem | undefined {
  // "*", or a pattern that starts with a wildcard: nothing to check part by part.
  if (arn.startsWith('*')) return undefined;
  let p = problems.get(arn);
  if (p === undefined) {
    if (problems.size >= 20_000) problems.clear();
    problems.set(arn, (p = problemOf(arn) ?? null));
  }
  return p ?? undefined;
}

function problemOf(arn: string): ArnProblem | undefined {
  if (!arn.startsWith('arn:') && !arn.startsWith('arn*')) {
    return { part: 'prefix', message: `is neither "*" nor an ARN: an ARN starts with arn:`, hint: `ARN form: ${ARN_FORM}` };
  }
  const parts = splitArn(arn);
  const ph = PLACEHOLDER.exec(arn);
  if (ph) {
    const at = parts.findIndex((p) => p.includes(ph[0]));
    const where = at > 0 && at < PART_NAMES.length ? ` where the ${PART_NAMES[at]} goes` : '';
    return { part: 'placeholder', message: `contains an unresolved placeholder ${ph[0]}${where}`, hint: `write the ${PLACEHOLDER_WORDS[ph[1]!.toLowerCase()] ?? 'value'}; a charter spec resolves {partition}, {region} and {accountId}, a plain policy file does not` };
  }
  if (parts.length < 6 && parts[parts.length - 1] !== '*' && !arn.startsWith('arn*')) {
    const n = parts.length;
    const last = parts[n - 1]!;
    const slot = PART_NAMES[n - 1]!;
    const guess = n >= 3 && parts[2] !== '' ? fillMissingParts(parts) : undefined;
    const hint = guess ? `did you mean ${guess}? a part the service does not use stays empty, with its colons` : `ARN form: ${ARN_FORM}`;
    // Say what stands in the last slot when it is not that part (a resource where the region goes).
    const fits = slot === 'partition' ? PARTITIONS.has(last) : slot === 'service' ? /^[a-z0-9-]+$/i.test(last) : slot === 'region' ? REGION_SHAPE.test(last) : /^(\d{12}|aws)$/.test(last);
    return { part: 'parts', message: `has ${n} of the 6 ARN parts (${ARN_FORM})${n >= 2 && !fits ? `: ${quoteValue(last)} stands where the ${slot} goes` : ''}`, hint };
  }
  // An empty resource is left alone: AWS's own policies have one (arn:aws:organizations::*:).
  const [, partition = '', service = '', region = '', account = ''] = parts;
  if (!WILD.test(partition) && !PARTITIONS.has(partition)) {
    const guess = partition === '' ? undefined : didYouMean(partition, PARTITIONS);
    return { part: 'partition', message: partition === '' ? 'has an empty partition' : `has partition ${quoteValue(partition)}, which is not an AWS partition`, hint: guess ? `did you mean ${guess}?` : `partitions: ${[...PARTITIONS].join(', ')}` };
  }
  if (service === '') return { part: 'service', message: 'has an empty service (the third part)', hint: 'like arn:aws:s3:::bucket or arn:aws:sqs:us-east-1:123456789012:queue' };
  if (!/^([A-Za-z0-9*?-]|\$\{[^}]*\})+$/.test(service)) return { part: 'service', message: `has service ${quoteValue(service)}, which is not a service prefix`, hint: 'a service prefix is letters, digits and -, like s3, ec2, secretsmanager' };
  if (region !== '' && !WILD.test(region) && !REGION_SHAPE.test(region)) {
    const guess = didYouMean(region, KNOWN_REGIONS);
    return { part: 'region', message: `has region ${quoteValue(region)}, which is not a region`, hint: guess ? `did you mean ${guess}?` : 'a region looks like us-east-1; leave it empty (::) for services without regions' };
  }
  if (account !== '' && !/^(\d{12}|aws|cloudfront|([*?\d]|\$\{[^}]*\})*)$/.test(account)) {
    return { part: 'account', message: `has account ${quoteValue(account)}, which is not an account id`, hint: 'an account id is 12 digits; "*", "aws" or empty (::) also fit' };
  }
  if (/^\d+$/.test(account) && account.length !== 12) {
    return { part: 'account', message: `has account ${quoteValue(account)} of ${account.length} digits, an account id has 12`, hint: 'an account id is 12 digits; "*", "aws" or empty (::) also fit' };
  }
  return undefined;
}

/**
 * A short ARN with its missing parts put back empty: the parts between service and resource go
 * to the region or account slot their shape says (`arn:aws:iam:aws:policy/X` → arn:aws:iam::aws:policy/X);
 * undefined when a part fits neither.
 */
function fillMissingParts(parts: readonly string[]): string | undefined {
  const slots: [string, string] = ['', ''];
  const taken = [false, false];
  for (const m of parts.slice(3, -1)) {
    const slot = REGION_SHAPE.test(m) ? 0 : /^(\d{12}|aws|cloudfront)$/.test(m) ? 1 : m === '*' ? taken.indexOf(false) : -1;
    if (slot < 0 || taken[slot]) return undefined;
    slots[slot] = m;
    taken[slot] = true;
  }
  return [...parts.slice(0, 3), ...slots, parts[parts.length - 1]!].join(':');
}

/** The colon-separated parts of an ARN; a colon inside an IAM policy variable (${aws:username}) splits nothing. */
export function splitArn(arn: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < arn.length; i++) {
    if (arn[i] === '$' && arn[i + 1] === '{') {
      const end = arn.indexOf('}', i);
      if (end > 0) i = end;
    } else if (arn[i] === ':') {
      parts.push(arn.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(arn.slice(start));
  return parts;
}

/**
 * The problem of a managed policy ARN (a role's `managed:` entry or its permissions boundary):
 * a well-formed ARN of service iam, no region, account `aws` or 12 digits, resource policy/….
 */
export function policyArnProblem(arn: string): ArnProblem | undefined {
  const form = 'arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME';
  const p = arnProblem(arn);
  if (p) return p.part === 'prefix' ? { ...p, hint: form } : p;
  const [, , service = '', region = '', account = '', ...rest] = splitArn(arn);
  const resource = rest.join(':');
  if (service !== 'iam') return { part: 'service', message: `has service ${quoteValue(service)}: a managed policy is an iam resource`, hint: form };
  if (region !== '') return { part: 'region', message: `has region ${quoteValue(region)}: IAM ARNs have none (keep the part empty, ::)`, hint: form };
  if (account === '' || WILD.test(account)) return { part: 'account', message: account === '' ? 'has an empty account: a managed policy ARN names aws or the 12-digit account id' : `has account ${quoteValue(account)}: a managed policy ARN names aws or the 12-digit account id`, hint: form };
  if (!resource.startsWith('policy/') || resource.length <= 'policy/'.length) return { part: 'resource', message: `has resource ${quoteValue(resource)}, which is not policy/NAME`, hint: form };
  return undefined;
}
