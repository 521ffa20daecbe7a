/**
 * Saved plans: `charter plan --out PLAN.json` writes one, `charter apply PLAN.json` reads it.
 * The file is the Plan with `format_version` in place of `formatVersion` (schemas/plan.schema.json),
 * written atomically (temp file + rename), passed through redactSecrets, never holding user-data.
 * Loading validates the schema (positioned problems), the format version and the plan id (a plan
 * edited by hand no longer matches its id and is refused).
 */
import { readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { makeDirs, removeDirs } from '../fs-dirs.js';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError, type InputProblem } from '../diagnostics.js';
import { redactSecrets } from '../secrets.js';
import { parseJsonWithPositions } from '../policy/json-positions.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';
import { planId } from './plan.js';

export const PLAN_SCHEMA_PATH = new URL('../../schemas/plan.schema.json', import.meta.url);

/** The JSON document of a plan (what --out writes and --format json prints). */
export function planDocument(plan: Plan): Record<string, unknown> {
  const { formatVersion, ...rest } = plan;
  return { format_version: formatVersion, ...rest };
}

export function planToJson(plan: Plan): string {
  return redactSecrets(JSON.stringify(planDocument(plan), null, 2)) + '\n';
}

/** Write atomically: a reader never sees half a plan. */
export function savePlan(plan: Plan, path: string): void {
  const abs = resolve(path);
  // Not mkdirSync({ recursive }): under /proc that never returns (see fs-dirs.ts).
  const created = makeDirs(dirname(abs));
  const tmp = `${abs}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, planToJson(plan));
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    removeDirs(created);
    throw e;
  }
}

let validator: ValidateFunction | undefined;
function getValidator(): ValidateFunction {
  if (!validator) {
    const require = createRequire(import.meta.url);
    const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const schema = JSON.parse(readFileSync(PLAN_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    validator = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  }
  return validator;
}

function problemsOf(errors: ErrorObject[], doc: ReturnType<typeof parseJsonWithPositions>): InputProblem[] {
  const seen = new Set<string>();
  const out: InputProblem[] = [];
  for (const e of errors) {
    let ptr = e.instancePath;
    while (ptr && doc.offsetsOf(ptr) === undefined) ptr = ptr.slice(0, ptr.lastIndexOf('/'));
    const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : e.keyword === 'enum' || e.keyword === 'const' ? ` (${JSON.stringify((e.params as { allowedValues?: unknown; allowedValue?: unknown }).allowedValues ?? (e.params as { allowedValue?: unknown }).allowedValue)})` : '';
    const message = `plan ${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${extra}`;
    if (seen.has(message)) continue;
    seen.add(message);
    out.push({ pos: doc.pos(ptr || ''), message, hint: 'regenerate it with charter plan --out' });
  }
  return out;
}

/** Parse and validate plan JSON text. */
export function parsePlan(text: string, file: string): Plan {
  let doc: ReturnType<typeof parseJsonWithPositions>;
  try {
    doc = parseJsonWithPositions(text, file);
  } catch (e) {
    // The JSON reader's hints speak of policy documents; a broken plan is re-made, not fixed by hand.
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, message: `plan file: ${p.message}`, hint: 're-plan: charter plan SPEC --out PLAN.json' })));
    throw e;
  }
  const v = doc.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new InputError([{ pos: doc.pos(''), message: 'a plan file is one JSON object', hint: 'charter plan SPEC --out PLAN.json writes one' }]);
  }
  if (!('format_version' in v) && !('planId' in v)) {
    throw new InputError([{ pos: doc.pos(''), message: 'not a charter plan (no format_version or planId) and not a spec (no services)', hint: 'charter plan SPEC --out PLAN.json writes one' }]);
  }
  const fv = (v as Record<string, unknown>).format_version;
  if (fv !== PLAN_FORMAT_VERSION) {
    const older = typeof fv === 'number' && fv < PLAN_FORMAT_VERSION;
    const message = older
      ? `plan format_version ${fv} is not supported: it was written by an older charter (this one reads ${PLAN_FORMAT_VERSION})`
      : `plan format_version ${JSON.stringify(fv)} is not supported (this charter reads ${PLAN_FORMAT_VERSION})`;
    throw new InputError([{ pos: doc.pos(doc.offsetsOf('/format_version') !== undefined ? '/format_version' : ''), message, hint: 're-plan with this version of charter: charter plan SPEC --out PLAN.json' }]);
  }
  const validate = getValidator();
  if (!validate(v)) throw new InputError(problemsOf(validate.errors ?? [], doc));
  const { format_version: _fv, ...rest } = v as Record<string, unknown>;
  const plan = { formatVersion: PLAN_FORMAT_VERSION, ...rest } as Plan;
  const { planId: id, ...withoutId } = plan;
  if (planId(withoutId) !== id) {
    throw new InputError([{ pos: doc.pos('/planId'), message: 'the plan does not match its planId: it was edited after charter wrote it', hint: 're-plan: charter plan SPEC --out PLAN.json' }]);
  }
  return plan;
}

export function loadPlan(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(e));
    throw new InputError([{ pos: { file: path, line: 1, col: 1 }, message: `cannot read plan: ${why}`, hint: 'charter plan SPEC --out PLAN.json writes one' }]);
  }
  return parsePlan(text, path);
}

/** Whether a file looks like a plan (apply takes PLAN.json or SPEC). */
export function looksLikePlan(text: string): boolean {
  return /^\s*\{/.test(text) && text.includes('"format_version"') && text.includes('"planId"');
}
