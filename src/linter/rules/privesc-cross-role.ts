/** privilege-escalation: a spec role that can assume, pass or rewrite the trust of a more privileged role (src/linter/cross-role.ts). */
import { grantAt } from '../grants.js';
import { fillMessage } from '../message-template.js';
import { adminReason, changeOf, grantedBeyond, selfAdministering, liveRoleNodes, reach, specRoleNodes, type Reach, type RoleNode } from '../cross-role.js';
import { lessOpen, limitedSuffix } from '../path-scope.js';
import type { Loc, Rule } from '../types.js';

const ACCT = '123456789012';
const ROLE = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`;

function how(r: Reach, s: RoleNode, t: RoleNode): string {
  switch (r.kind) {
    case 'assume':
      return r.how === 'names' ? `its trust policy names ${s.label}` : r.how === 'account' ? `its trust policy trusts account ${s.account} and ${s.label} is granted sts:AssumeRole on it` : `its trust policy admits any principal and ${s.label} is granted sts:AssumeRole on it`;
    case 'pass':
      return `iam:PassRole on it with ${r.names.join(' + ')}, and ${t.label} trusts ${r.path.assumedBy ?? r.path.passTo}`;
    case 'rewrite-trust':
      return 'iam:UpdateAssumeRolePolicy on it';
  }
}

const VERB: Record<Reach['kind'], string> = { assume: 'assume', pass: 'pass', 'rewrite-trust': 'rewrite the trust policy of' };

/** One escalation to one role, before it is reported (alone, or as the first of several from one place). */
interface Hit {
  at: Loc;
  messageId: 'reach' | 'reachAdmin' | 'reachAndChange';
  data: Record<string, string>;
  context: Record<string, string>;
  severity: 'error' | 'warning';
}

/** The single-role message of a hit, for the summary of several (the rule's own templates, filled). */
function renderOne(h: Omit<Hit, 'at'>): string {
  return fillMessage(privescCrossRole.meta.messages![h.messageId]!, { ...h.context, ...h.data }, () => '');
}

export const privescCrossRole: Rule = {
  meta: {
    id: 'privesc-cross-role',
    title: 'Privilege escalation to another role of the spec',
    severity: 'error',
    category: 'privilege-escalation',
    docs: {
      what: 'A role of the spec can become another role of the spec (with `--access-analyzer --reference live`, also a live role read beside it) that is more privileged: it can assume it (the target\'s trust names the role, or names its account or anyone and the role is granted sts:AssumeRole on the target), pass it (iam:PassRole on the target with the actions of a pass-role path of src/linter/escalation-paths.ts, to a service the target trusts), or rewrite the target\'s trust (iam:UpdateAssumeRolePolicy on it). "More privileged": the target is granted some action, on some resource, that the role is not (over every inline, charter-managed and known AWS managed policy, less what a Deny removes). A role that reaches another and can also change its policies (iam:PutRolePolicy, iam:AttachRolePolicy on it) is reported whatever the target holds today. A role that can already make itself anything (every action, or an open IAM path of its own: privesc-action reports it) is not a source. Several targets reached through one grant or trust entry make one finding.',
      why: 'Escalation is rarely one role granting itself admin: it is a chain through roles that trust each other. Principal Mapper finds these chains in a whole account after the fact; here they are found in the pull request that creates them. Error when the way is open and the target amounts to an administrator (every action on every resource, or an open path of the table to raise its own privileges), or when the role can also change the target\'s policies; a warning when the target merely holds more (lateral movement, often the design: a launcher passing its task\'s role), naming what it gains, and when a condition limits the way in (a trust that requires MFA shuts roles out: their sessions carry none).',
      bad: `services:\n  ci:\n    name: ci\n    statements:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::artifacts/*"]\n    trust: [ec2]\n  deploy:\n    name: deploy\n    statements:\n      - actions: ["s3:*", "ec2:*"]\n        resources: ["*"]\n    trust: [from-ci]\ntrust:\n  from-ci: { aws: ["${ROLE('ci')}"] }`,
      good: `services:\n  ci:\n    name: ci\n    statements:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::artifacts/*"]\n    trust: [ec2]\n  deploy:\n    name: deploy\n    statements:\n      - actions: ["s3:*", "ec2:*"]\n        resources: ["*"]\n    trust: [ec2]`,
      fix: 'Remove the way in (the trust entry, the sts:AssumeRole or iam:PassRole grant on that role), give the two roles the same permissions, or make the reaching role the more privileged one on purpose and say so in a suppression.',
    },
    messages: {
      reach: '{{subject}} can {{verb}} {{target}} ({{how}}), which is more privileged: it is granted {{beyond}}, which {{subject}} is not{{limited}}',
      reachAdmin: '{{subject}} can {{verb}} {{target}} ({{how}}), which amounts to an administrator: {{why}}{{limited}}',
      reachMany: '{{subject}} can {{verb}} {{count}} more privileged roles{{admins}}. {{first}}. Also: {{others}}',
      reachAndChange: '{{subject}} can {{verb}} {{target}} ({{how}}) and change its permissions ({{change}}): it can give {{target}}, and so itself, any permission{{limited}}',
    },
  },
  spec(s, { report, now, iam }) {
    if (!s.bundle) return;
    const roles = specRoleNodes(s.bundle, s.principals);
    const live = liveRoleNodes(s.liveRoles);
    const targets = [...roles, ...live];
    const hint = 'remove the way in (the trust entry, or the sts:AssumeRole / iam:PassRole grant on that role), or give the roles the same permissions';
    // Live roles are sources too, of what the spec changes: a spec role whose trust lets a live role in.
    for (const src of [...roles, ...live]) {
      // A role that can already make itself anything (privesc-action reports how) gains nothing by becoming another.
      if (selfAdministering(src.p, now)) continue;
      // Every escalation of this role, then one finding per place (grant or trust entry) and way in.
      const hits: Array<{ t: RoleNode; at: Loc; kind: Reach['kind']; finding: Omit<Hit, 'at'> }> = [];
      for (const t of targets) {
        if (t === src || t.arn === src.arn || (src.live && t.live)) continue;
        const r = reach(src, t, now);
        if (!r || (src.live && r.kind !== 'assume')) continue;
        const change = changeOf(src, t, now);
        // Where the way in is written: the grant, or the target's trust entry (always, for a live source: its grants are not in the spec).
        const at: Loc = r.kind === 'assume' && (!r.g || src.live) ? (t.live ? src.p.at : t.p.trust!.pos(r.trust.index, 'Principal')) : grantAt(r.kind === 'assume' ? r.g! : r.g);
        const common = { subject: src.label, target: t.label, verb: VERB[r.kind], how: how(r, src, t) };
        let finding: Omit<Hit, 'at'> | undefined;
        if (change) {
          const scope = lessOpen(r.scope, change.scope);
          finding = { messageId: 'reachAndChange', data: { ...common, change: change.action, limited: limitedSuffix(scope) }, context: {}, severity: scope.level === 'open' ? 'error' : 'warning' };
        } else {
          const beyond = grantedBeyond(t.p, src.p, iam, now);
          if (beyond.length === 0) continue;
          // Becoming an administrator is an error; reaching a role that merely holds more (lateral
          // movement, often the design: a launcher passing its task's role) is a warning naming what it gains.
          const why = adminReason(t.p, now);
          finding = why
            ? { messageId: 'reachAdmin', data: { ...common, limited: limitedSuffix(r.scope) }, context: { why }, severity: r.scope.level === 'open' ? 'error' : 'warning' }
            : { messageId: 'reach', data: { ...common, limited: limitedSuffix(r.scope) }, context: { beyond: beyond.join(', ') }, severity: 'warning' };
        }
        hits.push({ t, at, kind: r.kind, finding });
      }
      const groups = new Map<string, typeof hits>();
      for (const h of hits) {
        const k = `${h.at.file}:${h.at.line}:${h.at.col}:${h.kind}`;
        groups.set(k, [...(groups.get(k) ?? []), h]);
      }
      for (const group of groups.values()) {
        // The most severe first: it is the one the message spells out.
        const ordered = [...group].sort((a, b) => (a.finding.severity === b.finding.severity ? 0 : a.finding.severity === 'error' ? -1 : 1));
        const first = ordered[0]!;
        if (ordered.length === 1) {
          report({ at: first.at, messageId: first.finding.messageId, data: first.finding.data, context: first.finding.context, hint, severity: first.finding.severity, subject: src.label });
          continue;
        }
        const rest = ordered.slice(1).map((h) => h.t.label);
        const errors = ordered.filter((h) => h.finding.severity === 'error').length;
        report({
          at: first.at,
          messageId: 'reachMany',
          data: { subject: src.label, verb: VERB[first.kind], count: ordered.length, targets: ordered.map((h) => h.t.label).join(', ') },
          context: { first: renderOne(first.finding), others: `${rest.slice(0, 5).join(', ')}${rest.length > 5 ? `, and ${rest.length - 5} more` : ''}`, admins: errors ? `, ${errors} of them amounting to administrators or open to change` : '' },
          hint,
          severity: errors ? 'error' : 'warning',
          subject: src.label,
        });
      }
    }
  },
};
