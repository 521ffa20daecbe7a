/**
 * `policyFiles:` JSON identity policies, relative to the spec. Parsed by the strict JSON parser with
 * positions (src/policy/json-positions.ts, as `charter lint file.json`), validated, placeholders resolved. The
 * statements join the role's canonical document, so the result depends on the file's content,
 * never on its path. Each statement's origin points at its line in the JSON file.
 */
import { dirname, join } from 'node:path';
import { referencedFile } from '../spec/referenced-files.js';
import { InputError, didYouMean, type SourcePos } from '../diagnostics.js';
import type { ConditionBlock, ConditionValue, PolicyStatement } from '../policy/types.js';
import { pointer, type YamlValue } from '../spec/yaml.js';
import { parseJsonWithPositions, type JsonWithPositions } from '../policy/json-positions.js';
import type { CompileContext } from './context.js';
import { expandPlaceholders, type PlaceholderScope, type Unresolved } from './placeholders.js';
import type { SourcedStatement } from './permissions.js';

const MAX_POLICY_FILE_BYTES = 1024 * 1024;
const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

type Obj = { [k: string]: YamlValue };
const isObj = (v: YamlValue | undefined): v is Obj => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/**
 * A `.json` policy file is JSON: the one strict parser with positions that `charter lint file.json`
 * uses (src/policy/json-positions.ts), so trailing commas, single quotes and comments are refused
 * here too, with JSON's words at the line of the mistake.
 */
function parse(ctx: CompileContext, text: string, display: string): JsonWithPositions | undefined {
  try {
    return parseJsonWithPositions(text, display);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    for (const p of e.problems) ctx.problem(p.pos ?? { file: display, line: 1, col: 1 }, `policy file: ${p.message}`, p.hint);
    return undefined;
  }
}

/** Read and validate one policy file; problems go to ctx. */
export function loadPolicyFile(ctx: CompileContext, rel: string, refPos: SourcePos, scope: PlaceholderScope): SourcedStatement[] {
  const display = join(dirname(ctx.loaded.displayPath), rel);
  // Read once, when the spec was loaded (src/spec/referenced-files.ts).
  const { file } = referencedFile(ctx.loaded, rel);
  if (file.kind === 'not-a-file') {
    ctx.problem(refPos, `policy file ${display} is not a file`);
    return [];
  }
  if (file.kind === 'too-large' || (file.kind === 'file' && file.size > MAX_POLICY_FILE_BYTES)) {
    ctx.problem(refPos, `policy file ${display} is larger than 1 MB`, 'an IAM policy is at most 6,144 characters');
    return [];
  }
  if (file.kind !== 'file') {
    ctx.problem(refPos, `policy file ${display} not found`, `paths are relative to the spec's directory (${dirname(ctx.loaded.displayPath)})`);
    return [];
  }
  const text = file.text;
  const parsed = parse(ctx, text, display);
  if (!parsed) return [];
  const value = parsed.value as YamlValue;
  const at = (...segs: Array<string | number>) => parsed.pos(pointer(...segs));
  const keyAt = (...segs: Array<string | number>) => parsed.pos(pointer(...segs), 'key');
  if (!isObj(value)) {
    ctx.problem(at(), 'a policy file holds a JSON object with a Statement list');
    return [];
  }
  for (const k of Object.keys(value)) {
    if (k !== 'Version' && k !== 'Statement' && k !== 'Id') {
      const g = didYouMean(k, ['Version', 'Statement', 'Id']);
      ctx.problem(keyAt(k), `unknown policy key "${k}"`, g ? `did you mean "${g}"?` : 'allowed: Version, Statement, Id');
    }
  }
  if (value.Version !== undefined && value.Version !== '2012-10-17' && value.Version !== '2008-10-17') {
    ctx.problem(at('Version'), `Version must be "2012-10-17", got ${JSON.stringify(value.Version)}`);
  }
  const raw = value.Statement;
  if (raw === undefined) {
    ctx.problem(at(), 'policy file has no Statement');
    return [];
  }
  const list: Array<{ s: YamlValue; path: Array<string | number> }> = Array.isArray(raw) ? raw.map((s, i) => ({ s, path: ['Statement', i] })) : [{ s: raw, path: ['Statement'] }];
  const out: SourcedStatement[] = [];
  const un: Unresolved[] = [];
  const flush = (pos: SourcePos) => {
    for (const u of un) ctx.problem(pos, `unresolved placeholder {${u.name}}`, u.hint);
    un.length = 0;
  };
  for (const { s, path } of list) {
    const spos = at(...path);
    if (!isObj(s)) {
      ctx.problem(spos, 'a statement must be an object');
      continue;
    }
    let ok = true;
    for (const k of Object.keys(s)) {
      if (!STATEMENT_KEYS.includes(k)) {
        const g = didYouMean(k, STATEMENT_KEYS);
        const hint = k === 'Principal' || k === 'NotPrincipal' ? 'policy files are identity policies; trust goes under trust:' : g ? `did you mean "${g}"?` : undefined;
        ctx.problem(keyAt(...path, k), `unknown statement key "${k}"`, hint);
        ok = false;
      }
    }
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
      ctx.problem(s.Effect === undefined ? spos : at(...path, 'Effect'), `Effect must be "Allow" or "Deny", got ${JSON.stringify(s.Effect ?? null)}`);
      ok = false;
    }
    const st: PolicyStatement = { Effect: s.Effect === 'Deny' ? 'Deny' : 'Allow' };
    if (typeof s.Sid === 'string') st.Sid = s.Sid;
    else if (s.Sid !== undefined) {
      ctx.problem(at(...path, 'Sid'), 'Sid must be a string');
      ok = false;
    }
    for (const k of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      const v = s[k];
      if (v === undefined) continue;
      const items = Array.isArray(v) ? v : [v];
      if (!items.length || !items.every((x) => typeof x === 'string' && x.length > 0)) {
        ctx.problem(at(...path, k), `${k} must be a string or a non-empty list of strings`);
        ok = false;
        continue;
      }
      const res: string[] = [];
      items.forEach((x, i) => {
        res.push(...expandPlaceholders(x as string, scope, un));
        flush(Array.isArray(v) ? at(...path, k, i) : at(...path, k));
      });
      st[k] = res;
    }
    if ((st.Action === undefined) === (st.NotAction === undefined)) {
      ctx.problem(spos, 'a statement needs exactly one of Action, NotAction');
      ok = false;
    }
    if ((st.Resource === undefined) === (st.NotResource === undefined)) {
      ctx.problem(spos, 'a statement needs exactly one of Resource, NotResource');
      ok = false;
    }
    if (s.Condition !== undefined) {
      const c = s.Condition;
      if (!isObj(c)) {
        ctx.problem(at(...path, 'Condition'), 'Condition must be an object of operators');
        ok = false;
      } else {
        const cond: ConditionBlock = {};
        for (const [op, block] of Object.entries(c)) {
          if (!isObj(block)) {
            ctx.problem(at(...path, 'Condition', op), `Condition ${op} must be an object of keys`);
            ok = false;
            continue;
          }
          const inner: Record<string, ConditionValue> = {};
          for (const [k, v] of Object.entries(block)) {
            const vals = Array.isArray(v) ? v : [v];
            if (!vals.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) {
              ctx.problem(at(...path, 'Condition', op, k), `Condition value for ${k} must be a string, number, boolean or a list of them`);
              ok = false;
              continue;
            }
            const exp = (vals as Array<string | number | boolean>).flatMap((x): Array<string | number | boolean> => (typeof x === 'string' ? expandPlaceholders(x, scope, un) : [x]));
            flush(at(...path, 'Condition', op, k));
            inner[k] = Array.isArray(v) || exp.length > 1 ? exp : exp[0]!;
          }
          cond[op] = inner;
        }
        st.Condition = cond;
      }
    }
    if (ok) out.push({ statement: st, origin: { pos: [spos, refPos], from: [`file ${rel}`] } });
  }
  return out;
}
