/**
 * Live roles (read with `--reference live`) as principals for the rules across roles: their trust,
 * inline and customer-managed documents as read, and the AWS managed policies charter models by
 * name. They have no source positions: every position is the one given (the spec's), and findings
 * about them point at the spec role that reaches them.
 */
import { docAt } from './doc-model.js';
import { modelledManagedDoc } from './aws-managed.js';
import type { LiveRoleInput, LiveRoleView, Loc } from './types.js';

export function liveRoleView(r: LiveRoleInput, at: Loc): LiveRoleView {
  const id = `live:${r.arn}`;
  const label = `live role ${r.name}`;
  const docs = r.policies.map((p, i) => docAt({ id: `${id}#${i}`, label: `${p.label} of ${label}`, kind: 'identity', raw: p.document, at, principalId: id }));
  for (const arn of r.awsManaged) {
    const md = modelledManagedDoc(arn, at, id);
    if (md) docs.push(md);
  }
  const trust = docAt({ id: `${id}#trust`, label: `trust policy of ${label}`, kind: 'trust', raw: r.trust, at, principalId: id });
  return { name: r.name, arn: r.arn, principal: { id, label, docs, trust, managed: [], at } };
}
