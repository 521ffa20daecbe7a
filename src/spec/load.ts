/**
 * Read a spec file: YAML with positions → JSON Schema validation (ajv, every error) → reference
 * checks (templates, services, trusts) with did-you-mean. Throws InputError listing every problem.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readReferencedFiles } from './referenced-files.js';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError, didYouMean, type InputProblem } from '../diagnostics.js';
import { positionOf, pointer, pointerSegments, MAX_SPEC_BYTES, type LoadedYaml } from './yaml.js';
import { loadYaml } from './yaml-load.js';
import type { LoadedSpec, Spec } from './types.js';
import { sha256Hex } from '../policy/canonical.js';
import { parseJsonWithPositions } from '../policy/json-positions.js';
import { SPEC_SCHEMA_PATH } from './schema.js';
import { BUILTIN_BY_NAME } from '../templates/builtins.js';
import { SERVICE_SHORT_NAMES, isServiceShortName } from './principals.js';
import { FORMS, cutValue, type FormContext } from './forms.js';
import { secretNameProblems } from './secret-names.js';

let validator: ValidateFunction | undefined;

/**
 * The build precompiles the schema (scripts/build-validator.mjs) into dist/spec/; from src/ (tests)
 * we compile it here. `../spec/` so the path holds from dist/spec/ and from the bundle in dist/bundle/.
 */
const PRECOMPILED = new URL('../spec/spec-validator.cjs', import.meta.url);

function getValidator(): ValidateFunction {
  if (!validator) {
    const require = createRequire(import.meta.url);
    if (existsSync(PRECOMPILED)) {
      validator = require(PRECOMPILED.pathname) as ValidateFunction;
    } else {
      const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
      const schema = JSON.parse(readFileSync(SPEC_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
      validator = new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(schema);
    }
  }
  return validator;
}

/** A value as the user wrote it: `number 4410`, `an empty value`, `a list`. */
function describeValue(v: unknown, plain?: string): string {
  if (v === null) return plain === '' || plain === undefined ? 'an empty value' : `null (${plain})`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(cutValue(v, 80));
  if (typeof v === 'number' && !Number.isFinite(v)) return `number ${plain ?? String(v)}`;
  return `${typeof v} ${plain ?? JSON.stringify(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

/** ajv's `type` error: params.type is a string for `type: "x"` and the schema's array for `type: [...]`. */
function expectedTypes(params: Record<string, unknown>): string[] {
  const t = params.type;
  if (Array.isArray(t)) return t.map(String);
  return typeof t === 'string' ? t.split(',') : [];
}

/** A documented ajv param, read defensively: ajv's shapes vary with the schema (arrays vs strings). */
function param<T>(e: ErrorObject, name: string, guard: (v: unknown) => v is T): T | undefined {
  const v = (e.params as Record<string, unknown> | undefined)?.[name];
  return guard(v) ? v : undefined;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

function schemaObject(s: unknown): Record<string, unknown> {
  return s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
}

/** Turn ajv errors into positioned, readable problems; drops the noise of oneOf/anyOf branches. */
function schemaProblems(errors: ErrorObject[], y: LoadedYaml): InputProblem[] {
  const out: InputProblem[] = [];
  const seen = new Set<string>();
  // Paths that have a concrete type/shape error: suppress oneOf/anyOf summaries on them.
  const branchy = (e: ErrorObject) => /\/(oneOf|anyOf)\//.test(e.schemaPath);
  for (const e of errors) {
    let path = e.instancePath;
    let message: string;
    let hint: string | undefined;
    let which: 'key' | 'value' = 'value';
    // An error about a mapping key (propertyNames) names the object; the key is ajv's `propertyName`.
    const propertyName = typeof e.propertyName === 'string' ? e.propertyName : undefined;
    if (propertyName !== undefined) {
      path = `${e.instancePath}${pointer(propertyName)}`;
      which = 'key';
    }
    const got = () => describeValue(e.data, y.positions.get(path)?.plain);
    const named = namedRule(e, path);
    if (named === 'skip') continue;
    if (named) {
      const pos = positionOf(y, path, named.which);
      const key = `${pos.line}:${pos.col}:${named.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ pos, message: named.message, ...(named.hint ? { hint: named.hint } : {}) });
      }
      continue;
    }
    const form = formOf(e);
    if (form && typeof e.data === 'string') {
      const p = form(e.data, formContext(path, y.value));
      const pos = positionOf(y, path, which);
      const key = `${pos.line}:${pos.col}:${p.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ pos, message: p.message, hint: p.hint });
      }
      continue;
    }
    switch (e.keyword) {
      case 'additionalProperties': {
        const prop = param(e, 'additionalProperty', isString) ?? '';
        path = `${e.instancePath}${pointer(prop)}`;
        which = 'key';
        const allowed = Object.keys(schemaObject(schemaObject(e.parentSchema).properties));
        const guess = didYouMean(prop, allowed);
        message = `unknown key "${prop}"`;
        hint = guess ? `did you mean "${guess}"?` : allowed.length ? `allowed: ${allowed.join(', ')}` : undefined;
        break;
      }
      case 'required': {
        if (branchy(e)) continue;
        message = `missing required key "${param(e, 'missingProperty', isString) ?? '?'}"`;
        break;
      }
      case 'enum': {
        const allowed = (param(e, 'allowedValues', isArray) ?? []).map(String);
        const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
        message = `${got()} is not one of ${allowed.join(', ')}`;
        hint = guess ? `did you mean "${guess}"?` : undefined;
        break;
      }
      case 'const':
        message = `must be ${JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue)}, got ${got()}`;
        break;
      case 'type': {
        if (branchy(e)) continue;
        const want = expectedTypes(e.params);
        message = `must be ${want.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}, got ${got()}`;
        const plain = y.positions.get(path)?.plain;
        if (want.includes('string') && plain) hint = `quote it: "${plain.replace(/["\\]/g, '\\$&')}"`;
        // A mapping where something else was written: name the keys it takes.
        const keys = want.includes('object') ? Object.keys(schemaObject(schemaObject(e.parentSchema).properties)) : [];
        if (!hint && keys.length) hint = `a mapping of ${keys.length > 8 ? `${keys.slice(0, 8).join(', ')}, ...` : keys.join(', ')}`;
        if (!hint && want.includes('array')) hint = 'a list: one "- entry" per line, or [a, b]';
        break;
      }
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
      case 'minProperties':
      case 'maxProperties': {
        const limit = param(e, 'limit', isNumber) ?? 0;
        const n = typeof e.data === 'string' ? e.data.length : Array.isArray(e.data) ? e.data.length : e.data && typeof e.data === 'object' ? Object.keys(e.data).length : 0;
        const unit = e.keyword.endsWith('Length') ? 'characters' : e.keyword.endsWith('Items') ? 'items' : 'keys';
        if (e.keyword.endsWith('Length') && n === 0) message = 'must not be empty';
        else message = `is ${n} ${unit}, the ${e.keyword.startsWith('min') ? 'minimum' : 'limit'} is ${limit}`;
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const comparison = param(e, 'comparison', isString) ?? '';
        message = `${got()} is out of range: must be ${comparison} ${param(e, 'limit', isNumber) ?? '?'}`;
        break;
      }
      case 'pattern': {
        // Every pattern lives in a named form (above); this is the fallback that never shows the regex.
        const desc = schemaObject(e.parentSchema).description;
        message = `${got()} has the wrong form`;
        hint = typeof desc === 'string' ? desc : undefined;
        break;
      }
      case 'propertyNames':
        continue; // reported by the nested pattern error on the name
      case 'oneOf':
      case 'anyOf': {
        const branches = Array.isArray(e.schema) ? (e.schema as unknown[]).map(schemaObject) : [];
        const reqs = branches.map((b) => (Array.isArray(b.required) ? b.required.join(' + ') : undefined)).filter(Boolean);
        if (reqs.length === branches.length && reqs.length > 0) {
          message = e.keyword === 'oneOf' ? `needs exactly one of: ${reqs.join(', ')}` : `needs at least one of: ${reqs.join(', ')}`;
        } else {
          message = `${got()} is not a valid value here`;
          if (errors.some((o) => o !== e && (o.instancePath.startsWith(e.instancePath + '/') || (o.instancePath === e.instancePath && formOf(o))))) continue;
        }
        break;
      }
      default:
        message = e.message ?? 'invalid';
    }
    const pos = positionOf(y, path, which);
    const key = `${pos.line}:${pos.col}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pos, message: pathLabel(path) + message, hint });
  }
  return out;
}

/**
 * The rules of the schema that say more than their keyword (named `$defs`): an unknown built-in
 * template (the enum of the 13), a service without trust in a spec with no instances (nothing can
 * default its trust to ec2). 'skip': an error inside such a rule's branches, or the `if` that
 * switched it on. The messages are the ones the reference checks gave before the schema said it.
 */
function namedRule(e: ErrorObject, path: string): { message: string; hint?: string; which: 'key' | 'value' } | 'skip' | undefined {
  if (e.keyword === 'if' || e.schemaPath.startsWith('#/$defs/serviceWithTrust/anyOf/')) return 'skip';
  if (e.schemaPath === '#/$defs/builtinTemplate/enum' && typeof e.data === 'string') {
    const guess = didYouMean(e.data, BUILTIN_BY_NAME.keys());
    return { message: `unknown built-in template "${e.data}"`, hint: guess ? `did you mean "${guess}"?` : 'run `charter templates` to list them; user templates go under `use:`', which: 'value' };
  }
  if (e.schemaPath === '#/$defs/serviceWithTrust/anyOf') {
    const name = pointerSegments(path).at(-1) ?? '';
    return { message: `service ${name} has no trust: nothing could assume its role`, hint: 'add trust: [ec2] (or lambda, ecs-tasks, a named trust, ...)', which: 'key' };
  }
  return undefined;
}

/** The sentence-maker of a form error: a pattern or length keyword of a named `#/$defs/NAME` schema. */
function formOf(e: ErrorObject): ((v: string, at: FormContext) => { message: string; hint?: string }) | undefined {
  if (e.keyword !== 'pattern' && e.keyword !== 'minLength' && e.keyword !== 'maxLength') return undefined;
  const m = /^#\/\$defs\/([A-Za-z0-9]+)\/[A-Za-z]+$/.exec(e.schemaPath);
  return m && Object.hasOwn(FORMS, m[1]!) ? FORMS[m[1]!] : undefined;
}

/** The last two keys of a JSON pointer (the value's key and its parent's), and the names under the document's `securityGroups:`. */
function formContext(path: string, doc: unknown): FormContext {
  const segs = pointerSegments(path);
  const ctx: FormContext = {};
  if (segs.length) ctx.key = segs[segs.length - 1]!;
  if (segs.length > 1) ctx.parentKey = segs[segs.length - 2]!;
  const groups = schemaObject(schemaObject(doc).securityGroups);
  if (Object.keys(groups).length) ctx.specSecurityGroups = Object.keys(groups);
  return ctx;
}

function pathLabel(path: string): string {
  if (!path) return '';
  return pointerSegments(path).join('.') + ': ';
}

/** References between sections: templates, services, trusts, built-ins. */
function referenceProblems(spec: Spec, y: LoadedYaml): InputProblem[] {
  const out: InputProblem[] = [];
  const templates = Object.keys(spec.templates ?? {});
  const services = Object.keys(spec.services ?? {});
  const trusts = Object.keys(spec.trust ?? {});
  const at = (...segs: Array<string | number>) => positionOf(y, pointer(...segs));
  const guess = (word: string, cands: Iterable<string>) => {
    const g = didYouMean(word, cands);
    return g ? `did you mean "${g}"?` : undefined;
  };
  for (const [svcName, svc] of Object.entries(spec.services ?? {})) {
    (svc.use ?? []).forEach((u, i) => {
      if (typeof u.template === 'string' && !templates.includes(u.template)) {
        const builtin = BUILTIN_BY_NAME.has(u.template) ? `"${u.template}" is a built-in: list it under policies:` : undefined;
        out.push({ pos: at('services', svcName, 'use', i, 'template'), message: `unknown template "${u.template}"`, hint: builtin ?? guess(u.template, templates) });
      }
    });
    (svc.trust ?? []).forEach((t, i) => {
      if (trusts.includes(t) || t.includes('.') || isServiceShortName(t)) return;
      out.push({ pos: at('services', svcName, 'trust', i), message: `unknown trust "${t}": not a named trust nor a known service short name`, hint: guess(t, [...trusts, ...SERVICE_SHORT_NAMES]) ?? 'define it under trust:, or give the full principal (name.amazonaws.com)' });
    });
  }
  for (const [instName, inst] of Object.entries(spec.instances ?? {})) {
    if (typeof inst.service === 'string' && !services.includes(inst.service)) {
      out.push({ pos: at('instances', instName, 'service'), message: `unknown service "${inst.service}"`, hint: guess(inst.service, services) });
    }
  }
  return out;
}

export function parseSpec(text: string, displayPath: string, absPath = resolve(displayPath)): LoadedSpec {
  const y = loadYaml(text, displayPath, { collect: true });
  if (y.value === null || typeof y.value !== 'object' || Array.isArray(y.value)) {
    throw new InputError([{ pos: { file: displayPath, line: 1, col: 1 }, message: 'a spec is a YAML mapping (version, name, region, services, ...)' }]);
  }
  const validate = getValidator();
  if (!validate(y.value) || y.problems.length) {
    const errors = validate.errors ?? [];
    // An unknown built-in name leaves the shape valid: the references are checked too, so every
    // unknown name is reported in one go, as before the schema listed the built-ins.
    const shapeOk = y.problems.length === 0 && errors.every((e) => e.schemaPath === '#/$defs/builtinTemplate/enum');
    const all = [...y.problems, ...schemaProblems(errors, y), ...(shapeOk ? referenceProblems(y.value as unknown as Spec, y) : [])];
    all.sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.col ?? 0) - (b.pos?.col ?? 0));
    throw new InputError(all);
  }
  const spec = y.value as unknown as Spec;
  const refs = [...referenceProblems(spec, y), ...secretNameProblems(spec, y)];
  if (refs.length) throw new InputError(refs);
  return {
    spec,
    path: absPath,
    displayPath,
    sourceHash: sha256Hex(text),
    yaml: y,
  };
}

export function loadSpecFile(file: string): LoadedSpec {
  let text: string;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError([{ pos: { file, line: 1, col: 1 }, message: 'is a directory, not a spec file' }]);
    if (st.size > MAX_SPEC_BYTES) throw new InputError([{ pos: { file, line: 1, col: 1 }, message: `file is larger than ${MAX_SPEC_BYTES / 1024 / 1024} MB` }]);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? (e as Error).message);
    throw new InputError([{ pos: { file, line: 1, col: 1 }, message: `cannot read spec: ${why}`, ...(code === 'ENOENT' ? { hint: 'check the path; fixtures/ holds example specs' } : {}) }]);
  }
  // A file named .json is JSON: the strict parser refuses what YAML would let through (trailing commas, comments, single quotes).
  if (/\.json$/i.test(file)) {
    try {
      parseJsonWithPositions(text, file);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, hint: 'a spec named .json is read as strict JSON: fix it, or name the file .yaml' })));
      throw e;
    }
  }
  const loaded = parseSpec(text, file);
  return { ...loaded, files: readReferencedFiles(loaded.spec, loaded.path) };
}
