/** A readable text summary of a bundle: roles (name, trust, policies, sizes), profiles, launches. */
import type { Bundle, CompiledDocument } from './types.js';
import { asList } from '../policy/canonical.js';
import { INLINE_AGGREGATE_LIMIT, MANAGED_POLICY_LIMIT } from './overflow.js';

function principals(doc: CompiledDocument): string[] {
  const out: string[] = [];
  for (const s of doc.document.Statement) {
    const p = s.Principal;
    if (!p) continue;
    if (p === '*') {
      out.push('*');
      continue;
    }
    for (const [kind, v] of Object.entries(p)) {
      for (const x of asList(v)) {
        const conds = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c));
        out.push(`${kind === 'Service' ? '' : kind + ' '}${x}${conds.length ? ` [${conds.join(', ')}]` : ''}`);
      }
    }
  }
  return out;
}

/** One line per statement: effect, actions (abbreviated past 6), resources, condition keys. */
function statementLines(doc: CompiledDocument, indent: string): string[] {
  return doc.document.Statement.map((s) => {
    const acts = asList(s.Action ?? s.NotAction);
    const shown = acts.length > 6 ? [...acts.slice(0, 5), `… (${acts.length} actions)`] : acts;
    const res = asList(s.Resource ?? s.NotResource);
    const resShown = res.length > 3 ? [...res.slice(0, 2), `… (${res.length} resources)`] : res;
    const conds = Object.entries(s.Condition ?? {}).flatMap(([op, c]) => Object.keys(c).map((k) => `${op} ${k}`));
    return `${indent}${s.Effect}${s.NotAction ? ' NOT' : ''} ${shown.join(', ')} on ${s.NotResource ? 'NOT ' : ''}${resShown.join(', ')}${conds.length ? `  if ${conds.join(', ')}` : ''}`;
  });
}

function actionCount(doc: CompiledDocument): number {
  return doc.document.Statement.reduce((n, s) => n + asList(s.Action ?? s.NotAction).length, 0);
}

export function formatSummary(b: Bundle): string {
  const lines: string[] = [];
  const account = b.account ?? '(account unknown: {accountId} resolves at plan)';
  lines.push(`spec ${b.specName} (${b.specPath})  region ${b.region}  partition ${b.partition}  account ${account}`);
  lines.push(`bundle ${b.hash.slice(0, 12)}  ${b.roles.length} role(s), ${b.managedPolicies.length} customer-managed policy(ies), ${b.instanceProfiles.length} instance profile(s), ${b.launches.length} launch group(s)`);
  for (const r of b.roles) {
    lines.push('');
    lines.push(`role ${r.name}${r.naming === 'explicit' ? ' (explicit name)' : r.naming === 'content' ? ' (content-addressed name)' : ''}  [${r.address}]  path ${r.path}`);
    lines.push(`  trust       ${principals(r.trust).join('; ')}  (${r.trust.size} chars)`);
    const inlineTotal = r.inline.reduce((n, p) => n + p.size, 0);
    for (const p of r.inline) {
      lines.push(`  inline      ${p.name}: ${p.document.Statement.length} statement(s), ${actionCount(p)} action(s), ${p.size} chars`);
      lines.push(...statementLines(p, '                '));
    }
    if (r.inline.length) lines.push(`              total inline ${inlineTotal} / ${INLINE_AGGREGATE_LIMIT} chars`);
    for (const m of r.managed) {
      if (m.kind === 'aws') lines.push(`  managed     ${m.arn}`);
      else {
        const mp = b.managedPolicies.find((x) => x.address === m.policyAddress);
        lines.push(`  customer    ${m.arn}${mp ? `  (${mp.document.Statement.length} statement(s), ${mp.size} / ${MANAGED_POLICY_LIMIT} chars)` : ''}`);
        if (mp) lines.push(...statementLines(mp, '                '));
      }
    }
    if (r.permissionsBoundary) lines.push(`  boundary    ${r.permissionsBoundary}`);
    if (r.maxSessionDuration) lines.push(`  session     ${r.maxSessionDuration}s`);
    lines.push(`  hash        ${r.hash.slice(0, 12)}`);
  }
  if (b.instanceProfiles.length) {
    lines.push('');
    for (const p of b.instanceProfiles) lines.push(`instance profile ${p.name} → role ${p.roleName}`);
  }
  for (const l of b.launches) {
    lines.push('');
    const ri = l.runInstances;
    const type = typeof ri['InstanceType'] === 'string' ? ri['InstanceType'] : '?';
    const image = typeof ri['ImageId'] === 'string' ? ri['ImageId'] : '?';
    lines.push(`launch ${l.group}  ×${l.count}  ${type}  ${image}`);
    lines.push(`  profile     ${l.instanceProfileName}  (service ${l.service})`);
    if (l.ttlSeconds !== undefined) lines.push(`  ttl         ${l.ttlSeconds}s`);
    if (l.idleTimeoutSeconds !== undefined) lines.push(`  idle        ${l.idleTimeoutSeconds}s`);
    lines.push(`  user-data   ${l.userDataSize} bytes`);
    lines.push(`  hash        ${l.hash.slice(0, 12)}`);
  }
  return lines.join('\n') + '\n';
}
