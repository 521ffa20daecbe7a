/**
 * The kinds of string the spec schema constrains by form (its `$defs`: region, roleName,
 * duration, ...), each with the sentence that says what is wrong with a value that does not fit:
 * "role name is 65 characters, the limit is 64", "region `us-east1` is not a region", never the
 * regular expression. The loader routes a pattern or length error of `#/$defs/NAME` here by NAME;
 * test/spec-forms.test.ts checks every pattern of the schema lives in a named form that has one.
 */
import { didYouMean } from '../diagnostics.js';
import { redactSecrets } from '../secrets.js';
import { KNOWN_REGIONS } from '../policy/partitions.js';

export interface FormProblem {
  message: string;
  hint?: string;
}

/** Where the value sits: its key (`ttl`, a tag key, a service name) and the key of its parent mapping. */
export interface FormContext {
  key?: string;
  parentKey?: string;
  /** The names defined under the spec's `securityGroups:` (a launch naming one gets a sentence of its own). */
  specSecurityGroups?: readonly string[];
}

type Describe = (value: string, at: FormContext) => FormProblem;

/**
 * A value cut to `max` characters for a message. Redacted first: the output boundary redacts the
 * whole message, but a secret cut in half may no longer be recognised there.
 */
export function cutValue(v: string, max: number): string {
  const r = redactSecrets(v);
  return r.length > max ? r.slice(0, max - 3) + '...' : r;
}

/** A value quoted for a message: in backticks, long ones cut. */
export function quoteValue(v: string): string {
  return '`' + cutValue(v, 60) + '`';
}

interface NameRules {
  max?: number;
  first?: RegExp;
  firstWords?: string;
  chars: RegExp;
  charsWords: string;
}

/** Names: empty, too long, a bad first character, characters not allowed, in that order. */
function nameProblem(what: string, v: string, r: NameRules): FormProblem {
  const n = [...v].length;
  if (n === 0) return { message: `${what} is empty` };
  if (r.max !== undefined && n > r.max) return { message: `${what} is ${n} characters, the limit is ${r.max}` };
  const first = [...v][0]!;
  if (r.first && !r.first.test(first)) return { message: `${what} ${quoteValue(v)} starts with ${quoteValue(first)}`, hint: `it must start with ${r.firstWords}` };
  const bad = [...new Set([...v].filter((c) => !r.chars.test(c)))];
  if (bad.length) return { message: `${what} ${quoteValue(v)} has ${bad.map(describeChar).join(', ')}, which ${bad.length === 1 ? 'is' : 'are'} not allowed`, hint: `${r.charsWords} only` };
  return { message: `${what} ${quoteValue(v)} is not a valid ${what}` };
}

function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  if (c === '\t') return 'a tab';
  return quoteValue(c);
}

export const FORMS: Readonly<Record<string, Describe>> = {
  specName: (v) => nameProblem('spec name', v, { max: 63, first: /[A-Za-z0-9]/, firstWords: 'a letter or digit', chars: /[A-Za-z0-9_.-]/, charsWords: 'letters, digits, _ . -' }),
  prefix: (v) => nameProblem('prefix', v, { max: 32, first: /[A-Za-z]/, firstWords: 'a letter', chars: /[A-Za-z0-9_.-]/, charsWords: 'letters, digits, _ . -' }),
  region: (v) => {
    const guess = didYouMean(v, KNOWN_REGIONS);
    return { message: `region ${quoteValue(v)} is not a region`, hint: guess ? `did you mean ${guess}?` : 'a region looks like us-east-1 or eu-west-2' };
  },
  accountId: (v) => {
    if (/^[0-9]+$/.test(v)) return { message: `account id ${quoteValue(v)} has ${v.length} digits, an account id has 12` };
    return { message: `account id ${quoteValue(v)} is not 12 digits`, hint: 'an account id is 12 digits, like "123456789012" (quoted, so leading zeros stay)' };
  },
  tagKey: (v) => ([...v].length === 0 ? { message: 'tag key is empty' } : { message: `tag key ${quoteValue(v)} is ${[...v].length} characters, the limit is 128` }),
  tagValue: (v, at) => ({ message: `tag value of ${quoteValue(at.key ?? '')} is ${[...v].length} characters, the limit is 256` }),
  templateName: (v) => nameProblem('template name', v, { first: /[A-Za-z]/, firstWords: 'a letter', chars: /[A-Za-z0-9_.:-]/, charsWords: 'letters, digits, _ . : -' }),
  paramName: (v) => nameProblem('parameter name', v, { first: /[A-Za-z]/, firstWords: 'a letter', chars: /[A-Za-z0-9_]/, charsWords: 'letters, digits, _' }),
  groupName: (v, at) => nameProblem(at.parentKey === 'instances' ? 'instance group name' : 'service name', v, { first: /[A-Za-z0-9]/, firstWords: 'a letter or digit', chars: /[A-Za-z0-9_-]/, charsWords: 'letters, digits, _ -' }),
  // IAM CreateRole RoleName: 1 to 64 characters of [\w+=,.@-]
  roleName: (v) => nameProblem('role name', v, { max: 64, chars: /[A-Za-z0-9_+=,.@-]/, charsWords: 'letters, digits and _+=,.@-' }),
  // IAM Path: / alone, or /.../ of ASCII ! through DEL, at most 512 characters
  iamPath: (v) => {
    const n = [...v].length;
    if (n > 512) return { message: `path is ${n} characters, the limit is 512` };
    if (!v.startsWith('/') || !v.endsWith('/')) return { message: `path ${quoteValue(v)} must start and end with /`, hint: 'like / or /service-role/' };
    const bad = [...new Set([...v].filter((c) => c < '!' || c > '\x7f'))];
    return { message: `path ${quoteValue(v)} has ${bad.map(describeChar).join(', ')}, which ${bad.length === 1 ? 'is' : 'are'} not allowed`, hint: 'printable ASCII without spaces only' };
  },
  policyArn: (v, at) => ({ message: `${at.key ?? 'policy'} ${quoteValue(v)} is not an ARN`, hint: 'a policy ARN looks like arn:aws:iam::123456789012:policy/NAME' }),
  instanceType: (v) => ({ message: `instance type ${quoteValue(v)}: expected family.size like t3.micro` }),
  image: (v) => {
    if (v.startsWith('ami-')) return { message: `image ${quoteValue(v)} is not an AMI id: expected ami- and 8 or 17 hex digits, like ami-0123456789abcdef0` };
    return { message: `image ${quoteValue(v)}: expected an AMI id (ami-0123456789abcdef0) or resolve:ssm:/parameter/name` };
  },
  duration: (v, at) =>
    /^([0-9]+[smhd])+$/.test(v)
      ? { message: `${at.key ?? 'duration'} ${quoteValue(v)} is not a positive duration`, hint: 'use e.g. 90s, 30m, 12h, 7d or 1h30m' }
      : { message: `${at.key ?? 'duration'} ${quoteValue(v)}: expected a duration like 90m, 8h, 2d`, hint: 'units s, m, h, d; combine them as 1h30m' },
  securityGroupId: (v, at) =>
    at.specSecurityGroups?.includes(v)
      ? { message: `security group ${quoteValue(v)} is defined in the spec, but launches take security group ids`, hint: `charter lints the groups under securityGroups: but does not create them; give the id (sg-...) of the group in AWS: aws ec2 describe-security-groups --filters Name=group-name,Values=${cutValue(v, 60)} --query 'SecurityGroups[].GroupId'` }
      : { message: `security group ${quoteValue(v)} is not an id`, hint: 'give the security group id (sg- and hex digits); launches take ids, not the names under securityGroups:' },
  subnetId: (v) => ({ message: `subnet ${quoteValue(v)} is not a subnet id: expected subnet- and hex digits, like subnet-0123456789abcdef0` }),
  httpsUrl: (v, at) => ({ message: `${at.key ?? 'url'} ${quoteValue(v)} is not an https:// URL`, hint: 'the agent binary is downloaded over https only' }),
  sha256: (v, at) => ({ message: `${at.key ? `${at.key} ` : ''}sha256 ${quoteValue(v)} is not a SHA-256 digest: expected 64 lowercase hex digits, got ${[...v].length} characters` }),
};

