/**
 * `charter lint --access-analyzer --reference live`: the reference each compiled document is
 * checked against (CheckNoNewAccess) is its live counterpart, read the way `charter plan` reads
 * (src/aws/live-state.ts) and matched the way plan matches (src/plan/counterparts.ts; the caller computes the match and
 * passes it, so the linter does not import the planner):
 *
 * - trust policy → the live role's trust policy (the role of the same name, or for a hash-named
 *   role whose content changed, the previous generation: this spec's live role with the same
 *   service tag);
 * - inline policy → that live role's inline policy of the same name;
 * - customer-managed (overflow) policy → the live policy at its ARN, default version.
 *
 * Overflow moves statements between a role's inline policy and its customer-managed policies as
 * the permissions grow or shrink, so when the live role has customer-managed policies of this spec
 * attached (or a compiled overflow policy has no live policy at its ARN, which is the case whenever
 * its content changed: the names are content-addressed), the reference is the union of the live
 * role's inline policy of that name and those policies: a statement that merely moved is not new
 * access.
 *
 * A document with no live counterpart (a new role, a new inline policy name) is reported once as
 * an info finding "no live counterpart: everything it grants is new", not compared.
 */
import type { Bundle, Role } from '../compiler/types.js';
import type { Counterparts, LiveManagedPolicy, LiveState, RoleCounterpart } from '../policy/live-types.js';
import type { PolicyDocument } from '../policy/types.js';
import { asList, canonicalPolicy, prettyJson } from '../policy/canonical.js';
import { isOurs } from '../compiler/tags.js';
import { awsManagedName } from './aws-managed.js';
import type { LiveRoleInput } from './types.js';

/** What a compiled document is compared with: the live document's text and a description of it, or why there is none. */
export type LiveRef = { text: string; against: string } | { missing: string };

/** By liveRefKey(spec file, document id). */
export type LiveReference = Map<string, LiveRef>;

/** The key of a compiled document: its spec file (DocView.file) and DocView id. */
export function liveRefKey(file: string, docId: string): string {
  return `${file}\u0000${docId}`;
}

/** Pretty canonical JSON, as compiled documents are sent to Access Analyzer (equal text = unchanged). */
function text(doc: PolicyDocument): string {
  return prettyJson(canonicalPolicy(doc));
}

function union(docs: PolicyDocument[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: docs.flatMap((d) => asList(d.Statement)) };
}

function roleWords(r: Role, cp: RoleCounterpart): string {
  return cp.how === 'same-name' ? `role ${cp.live.name}` : `role ${cp.live.name} (the previous generation of ${r.name})`;
}

/** Add the references of one spec's compiled documents to `into`. */
export function liveReference(bundle: Bundle, live: LiveState, cps: Counterparts, file: string, into: LiveReference = new Map()): LiveReference {
  const policiesByArn = new Map(live.policies.map((p) => [p.arn, p] as const));
  for (const r of bundle.roles) {
    const cp = cps.roles.get(r.address);
    const key = (docId: string) => liveRefKey(file, `${r.address}#${docId}`);
    const mine = bundle.managedPolicies.filter((m) => m.roleAddress === r.address);
    if (!cp) {
      const missing = `no live counterpart: role ${r.name} is not in AWS${r.naming === 'explicit' ? '' : ' and no earlier generation of it is'}`;
      into.set(key('trust'), { missing });
      for (const p of r.inline) into.set(key(`inline:${p.name}`), { missing });
      for (const m of mine) into.set(key(`managed:${m.name}`), { missing });
      continue;
    }
    const words = roleWords(r, cp);
    into.set(key('trust'), { text: text(cp.live.trust), against: `the live trust policy of ${words}` });
    // The live role's customer-managed policies of this spec: overflow of earlier compiles.
    const overflow = cp.live.attached.map((arn) => policiesByArn.get(arn)).filter((p): p is LiveManagedPolicy => p !== undefined && isOurs(bundle, p.tags));
    const parts = (inlineName: string | undefined): { docs: PolicyDocument[]; names: string[] } => {
      const docs: PolicyDocument[] = [];
      const names: string[] = [];
      const names0 = inlineName !== undefined ? [inlineName] : r.inline.map((p) => p.name);
      for (const n of names0) {
        const d = cp.live.inline[n];
        if (d) {
          docs.push(d);
          names.push(`inline policy ${n}`);
        }
      }
      for (const p of overflow) {
        docs.push(p.document);
        names.push(`policy ${p.name} (${p.defaultVersionId})`);
      }
      return { docs, names };
    };
    const identityRef = (inlineName: string | undefined, what: string): LiveRef => {
      const { docs, names } = parts(inlineName);
      if (docs.length === 0) return { missing: `no live counterpart: live ${words} has no ${what}` };
      return { text: text(union(docs)), against: `the live ${names.join(' + ')} of ${words}` };
    };
    for (const p of r.inline) into.set(key(`inline:${p.name}`), identityRef(p.name, `inline policy ${p.name}`));
    for (const m of mine) {
      const lp = cps.policies.get(m.address);
      into.set(key(`managed:${m.name}`), lp ? { text: text(lp.document), against: `the live policy ${lp.name} (default version ${lp.defaultVersionId})` } : identityRef(undefined, 'inline or customer-managed policy'));
    }
  }
  return into;
}

/**
 * The live roles read for a spec that are not its own (another spec's under the same prefix), as
 * lint input for the rules across roles: a role of the spec that can become one of them is
 * escalating too. The spec's roles, their counterparts and earlier generations are left out (the
 * spec's own documents stand for them).
 */
export function liveRoleInputs(bundle: Bundle, live: LiveState, cps: Counterparts): LiveRoleInput[] {
  const own = new Set([...bundle.roles.map((r) => r.name.toLowerCase()), ...[...cps.roles.values()].map((cp) => cp.live.name.toLowerCase())]);
  const policiesByArn = new Map(live.policies.map((p) => [p.arn, p] as const));
  const out: LiveRoleInput[] = [];
  for (const r of live.roles) {
    if (own.has(r.name.toLowerCase()) || isOurs(bundle, r.tags)) continue;
    const policies: LiveRoleInput['policies'] = Object.entries(r.inline).map(([name, document]) => ({ label: `inline policy ${name}`, document }));
    const awsManaged: string[] = [];
    for (const arn of r.attached) {
      const p = policiesByArn.get(arn);
      if (p) policies.push({ label: `policy ${p.name} (${p.defaultVersionId})`, document: p.document });
      else if (awsManagedName(arn)) awsManaged.push(arn);
    }
    out.push({ name: r.name, arn: r.arn, trust: r.trust, policies, awsManaged });
  }
  return out;
}
