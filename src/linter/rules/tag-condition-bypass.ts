/** condition: an action limited to resources tagged K, while the principal may set tag K itself. */
import { ActionTable, type Grant } from '../grants.js';
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

/** A service's tagging actions, their lower-case names, and them as an ActionTable (a principal's grants of all of them in one walk). */
interface Tagging {
  actions: string[];
  lower: Set<string>;
  table: ActionTable;
}

/** Tagging by the service's action-name table (a scan of the service's names once, not per tag condition). */
const taggingCache = new WeakMap<Map<string, string>, Tagging>();

/** Actions of a service that add tags to its resources. */
function taggingActions(iam: IamData, service: string): Tagging {
  const names = iam.actionNames(service);
  const hit = names && taggingCache.get(names);
  if (hit) return hit;
  const out = new Set<string>();
  if (service === 'ec2') out.add('ec2:CreateTags');
  if (names) for (const [lower, name] of names) if (/^(tag|addtags|createtags)/.test(lower) && !lower.startsWith('tagging')) out.add(`${service}:${name}`);
  const actions = [...out];
  const t: Tagging = { actions, lower: new Set(actions.map((a) => a.toLowerCase())), table: new ActionTable(actions) };
  if (names) taggingCache.set(names, t);
  return t;
}

/** What a statement fences by tag in one of its services: the service's tagging actions and the ARN patterns the fenced actions act on. */
interface Fence {
  svc: string;
  /** The statement's actions of the service. */
  actions: string[];
  tagging: Tagging;
  /** Every action of the statement in this service is a tagging action: nothing else is fenced. */
  taggingOnly: boolean;
  targets?: string[];
}

function fencesOf(iam: IamData, st: Stmt): Fence[] {
  return servicesOf(st).map((svc) => {
    const tagging = taggingActions(iam, svc);
    const prefix = svc + ':';
    const actions = (st.action ?? []).filter((a) => a.toLowerCase().startsWith(prefix));
    return { svc, actions, tagging, taggingOnly: actions.every((a) => tagging.lower.has(a.toLowerCase())) };
  });
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
function targetsOf(iam: IamData, st: Stmt, actions: string[]): string[] {
  const rs = st.resource ?? [];
  if (!st.notResource && rs.length && !rs.includes('*')) return rs.map(variablesToWildcards);
  // else: the formats of the resource types the statement's actions act on
  const out = new Set<string>();
  for (const a of actions) {
    for (const info of iam.expandInfo(a)) {
      for (const rt of info.resourceTypes) {
        const glob = formatGlob(iam, info.service, rt.name);
        if (glob !== undefined) out.add(glob);
      }
    }
  }
  return out.size ? [...out] : ['*'];
}

/** arnFormatGlob of a resource type's ARN format, by service and type name as actions list it ("instance", "object*"). */
const formatGlobs = new WeakMap<IamData, Map<string, Map<string, string | undefined>>>();

function formatGlob(iam: IamData, service: string, rtName: string): string | undefined {
  let bySvc = formatGlobs.get(iam);
  if (!bySvc) formatGlobs.set(iam, (bySvc = new Map()));
  let byName = bySvc.get(service);
  if (!byName) bySvc.set(service, (byName = new Map()));
  if (byName.has(rtName)) return byName.get(rtName);
  const def = iam.resourceType(service, rtName.replace(/\*$/, ''));
  const glob = def?.arn ? arnFormatGlob(def.arn) : undefined;
  byName.set(rtName, glob);
  return glob;
}

/** Whether a tagging grant can touch any of the targets. */
function reaches(g: Grant, targets: string[]): boolean {
  if (g.st.notResource) return true;
  const rs = g.st.resource ?? [];
  if (rs.includes('*')) return true;
  // Part by part: a real ARN has no ":" in its region or account, so "arn:aws:ec2:*::image/*" never reaches an instance.
  return rs.some((r) => {
    const pattern = variablesToWildcards(r);
    return targets.some((t) => arnPartsIntersect(pattern, t));
  });
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
        // The statement's services, worked out at its first tag condition (most statements have none).
        let fences: Fence[] | undefined;
        for (const c of st.conditions) {
          if (!POSITIVE.has(c.base)) continue;
          const tag = resourceTagKey(c);
          if (!tag || /^aws:/i.test(tag)) continue; // aws: tag keys cannot be set by users
          fences ??= fencesOf(iam, st);
          for (const fence of fences) {
            // Only actions other than tagging itself are fenced by the tag; a service without tagging actions has nothing to set it with.
            if (fence.taggingOnly || fence.tagging.actions.length === 0) continue;
            const { tagging } = fence;
            const granted = tagging.table.grantsOf(p);
            // No tagging action of the service granted at all (most principals): nothing to reach.
            if (granted.length === 0) continue;
            for (let k = 0; k < tagging.actions.length; k++) {
              const t = tagging.actions[k]!;
              // What the fenced actions act on, worked out for the first unguarded grant (if any).
              const open = (granted[k] ?? []).filter((g) => !guarded(g, tag) && reaches(g, (fence.targets ??= targetsOf(iam, st, fence.actions))));
              if (open.length === 0) continue;
              const key = `${d.id}#${st.index}#${c.key}#${t}`;
              if (seen.has(key)) continue;
              seen.add(key);
              const g = open[0]!;
              const gl = g.pattern ? g.doc.pos(g.st.index, ...elementPath(g.st, 'Action', g.pattern)) : g.doc.keyPos(g.st.index, 'NotAction');
              const acts = fence.actions.slice(0, 3).join(', ');
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
