/** condition: an action limited to resources tagged K, while the principal may set tag K itself. */
import { grantsOf, type Grant } from '../grants.js';
import { elementPath } from '../doc-model.js';
import { arnFormatGlob, arnPartsIntersect, globMatch, variablesToWildcards } from '../../policy/glob.js';
import type { IamData } from '../../policy/iam-data.js';
import type { Cond, PrincipalView, Rule, Stmt } from '../types.js';

const POSITIVE = new Set(['StringEquals', 'StringLike', 'StringEqualsIgnoreCase', 'ArnEquals', 'ArnLike']);

/** `ec2:ResourceTag/spawn:managed` → "spawn:managed" (for aws:ResourceTag/ and <svc>:ResourceTag/). */
function resourceTagKey(c: Cond): string | undefined {
  const m = /^[a-z0-9-]+:resourcetag\/(.+)$/i.exec(c.key);
  return m ? m[1] : undefined;
}

/** taggingActions by the service's action-name table (a scan of the service's names once, not per tag condition). */
const taggingCache = new WeakMap<Map<string, string>, string[]>();

/** Actions of a service that add tags to its resources. */
function taggingActions(iam: IamData, service: string): string[] {
  const names = iam.actionNames(service);
  const hit = names && taggingCache.get(names);
  if (hit) return hit;
  const out = new Set<string>();
  if (service === 'ec2') out.add('ec2:CreateTags');
  if (names) for (const [lower, name] of names) if (/^(tag|addtags|createtags)/.test(lower) && !lower.startsWith('tagging')) out.add(`${service}:${name}`);
  const list = [...out];
  if (names) taggingCache.set(names, list);
  return list;
}

/** A tagging grant that cannot set tag K on arbitrary resources. */
function guarded(g: Grant, tagKey: string): boolean {
  const k = tagKey.toLowerCase();
  return g.st.conditions.some((c) => {
    const key = c.key.toLowerCase();
    if (key === 'aws:tagkeys') {
      const names = c.values.some((v) => globMatch(v, k));
      return c.base.includes('Not') ? names : !names;
    }
    if (key.endsWith(':createaction')) return true; // tags only while creating (ec2:CreateAction)
    if (/:requesttag\//.test(key)) return key.endsWith('/' + k);
    if (/:resourcetag\//.test(key)) return key.endsWith('/' + k); // may only retag resources already carrying K
    return false;
  });
}

/** ARN patterns the statement's actions can act on: its resources, or the actions' resource-type formats when it says "*". */
function targetsOf(iam: IamData, st: Stmt, svc: string): string[] {
  const rs = st.resource ?? [];
  if (!st.notResource && rs.length && !rs.includes('*')) return rs.map(variablesToWildcards);
  // else: the formats of the resource types the statement's actions act on
  const out = new Set<string>();
  for (const a of st.action ?? []) {
    if (!a.toLowerCase().startsWith(svc + ':')) continue;
    for (const info of iam.expandInfo(a)) {
      for (const rt of info.resourceTypes) {
        const def = iam.resourceType(info.service, rt.name.replace(/\*$/, ''));
        if (def?.arn) out.add(arnFormatGlob(def.arn));
      }
    }
  }
  return out.size ? [...out] : ['*'];
}

/** Whether a tagging grant can touch any of the targets. */
function reaches(g: Grant, targets: string[]): boolean {
  if (g.st.notResource) return true;
  const rs = g.st.resource ?? [];
  if (rs.includes('*')) return true;
  // Part by part: a real ARN has no ":" in its region or account, so "arn:aws:ec2:*::image/*" never reaches an instance.
  return rs.some((r) => targets.some((t) => arnPartsIntersect(variablesToWildcards(r), t)));
}

function servicesOf(st: Stmt): string[] {
  return [...new Set((st.action ?? []).map((a) => a.split(':')[0]!.toLowerCase()).filter((s) => s && !s.includes('*')))];
}

export const tagConditionBypass: Rule = {
  meta: {
    id: 'tag-condition-bypass',
    title: 'Tag condition the principal can satisfy itself',
    severity: 'error',
    category: 'condition',
    docs: {
      what: 'An action allowed only on resources carrying tag K (a ResourceTag/K condition), while the same principal may set tag K on any resource (ec2:CreateTags, iam:TagRole, <service>:TagResource … without a condition on aws:TagKeys, aws:RequestTag/K, ec2:CreateAction or the resource\'s own tag).',
      why: 'The tag fence is self-service: tag any instance spawn:managed=true, then terminate it. This is the seeds\' agent-role mistake: "Can only terminate/stop instances tagged spawn:managed=true" next to an unconditioned ec2:CreateTags.',
      bad: '- { Effect: Allow, Action: [ec2:CreateTags], Resource: "*" }\n- { Effect: Allow, Action: [ec2:TerminateInstances], Resource: "*", Condition: { StringEquals: { "ec2:ResourceTag/spawn:managed": "true" } } }',
      good: '- { Effect: Allow, Action: [ec2:CreateTags], Resource: "arn:aws:ec2:*:*:instance/*", Condition: { StringEquals: { "ec2:CreateAction": "RunInstances" } } }\n- { Effect: Allow, Action: [ec2:TerminateInstances], Resource: "*", Condition: { StringEquals: { "ec2:ResourceTag/spawn:managed": "true" } } }',
      fix: 'Limit tagging to creation (ec2:CreateAction), to other tag keys (ForAllValues:StringNotEquals aws:TagKeys K with a Null check), or to resources already tagged K.',
    },
    messages: {
      bypass: '{{actions}} is limited to resources tagged {{tag}}, but {{tagger}} ({{taggedAt}}) lets {{subject}} set {{tag}} on any resource itself',
    },
  },
  principal(p: PrincipalView, { iam, report }) {
    const seen = new Set<string>();
    for (const d of p.docs)
      for (const st of d.statements) {
        if (st.effect !== 'Allow') continue;
        for (const c of st.conditions) {
          if (!POSITIVE.has(c.base)) continue;
          const tag = resourceTagKey(c);
          if (!tag || /^aws:/i.test(tag)) continue; // aws: tag keys cannot be set by users
          for (const svc of servicesOf(st)) {
            const tagging = taggingActions(iam, svc);
            const lower = new Set(tagging.map((t) => t.toLowerCase()));
            // Only actions other than tagging itself are fenced by the tag.
            if ((st.action ?? []).filter((a) => a.toLowerCase().startsWith(svc + ':')).every((a) => lower.has(a.toLowerCase()))) continue;
            const targets = targetsOf(iam, st, svc);
            for (const t of tagging) {
              const open = grantsOf(p, t).filter((g) => !guarded(g, tag) && reaches(g, targets));
              if (open.length === 0) continue;
              const key = `${d.id}#${st.index}#${c.key}#${t}`;
              if (seen.has(key)) continue;
              seen.add(key);
              const g = open[0]!;
              const gl = g.pattern ? g.doc.pos(g.st.index, ...elementPath(g.st, 'Action', g.pattern)) : g.doc.keyPos(g.st.index, 'NotAction');
              const acts = (st.action ?? []).filter((a) => a.toLowerCase().startsWith(svc + ':')).slice(0, 3).join(', ');
              report({
                at: d.keyPos(st.index, 'Condition', c.op, c.key),
                messageId: 'bypass',
                data: { actions: acts, tag, tagger: t, subject: p.label },
                context: { taggedAt: `${gl.file}:${gl.line}` },
                hint: `limit ${t} to creation (ec2:CreateAction), to other tag keys (aws:TagKeys), or to resources already tagged ${tag}`,
                subject: p.label,
              });
              break;
            }
          }
        }
      }
  },
};
