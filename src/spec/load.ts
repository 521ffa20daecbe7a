/**
 * Read a spec file: YAML with positions → JSON Schema validation (ajv, every error) → reference
 * checks (templates, services, trusts) with did-you-mean. Throws InputError listing every problem.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError, didYouMean, type InputProblem } from '../diagnostics.js';
import { loadYaml, positionOf, pointer, MAX_SPEC_BYTES, type LoadedYaml } from './yaml.js';
import type { LoadedSpec, Spec } from './types.js';
import { sha256Hex } from '../policy/canonical.js';
import { SPEC_SCHEMA_PATH } from './schema.js';
import { BUILTIN_BY_NAME } from '../templates/builtins.js';
import { SERVICE_SHORT_NAMES, isServiceShortName } from './principals.js';

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

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
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
    switch (e.keyword) {
      case 'additionalProperties': {
        const prop = (e.params as { additionalProperty: string }).additionalProperty;
        path = `${e.instancePath}${pointer(prop)}`;
        which = 'key';
        const allowed = Object.keys((e.parentSchema as { properties?: Record<string, unknown> }).properties ?? {});
        const guess = didYouMean(prop, allowed);
        message = `unknown key "${prop}"`;
        hint = guess ? `did you mean "${guess}"?` : allowed.length ? `allowed: ${allowed.join(', ')}` : undefined;
        break;
      }
      case 'required': {
        if (branchy(e)) continue;
        const prop = (e.params as { missingProperty: string }).missingProperty;
        message = `missing required key "${prop}"`;
        break;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
        const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
        message = `${describeValue(e.data)} is not one of ${allowed.join(', ')}`;
        hint = guess ? `did you mean "${guess}"?` : undefined;
        break;
      }
      case 'const':
        message = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, got ${describeValue(e.data)}`;
        break;
      case 'type':
        if (branchy(e)) continue;
        message = `must be ${(e.params as { type: string }).type.replace(',', ' or ')}, got ${describeValue(e.data)}`;
        break;
      case 'pattern': {
        const desc = (e.parentSchema as { description?: string }).description;
        message = `${describeValue(e.data)} has the wrong form`;
        hint = desc ?? `must match ${(e.params as { pattern: string }).pattern}`;
        break;
      }
      case 'propertyNames':
        continue; // reported by the nested pattern error on the name
      case 'oneOf':
      case 'anyOf': {
        const branches = (e.schema as Array<{ required?: string[]; type?: string }>) ?? [];
        const reqs = branches.map((b) => b.required?.join(' + ')).filter(Boolean);
        if (reqs.length === branches.length && reqs.length > 0) {
          message = e.keyword === 'oneOf' ? `needs exactly one of: ${reqs.join(', ')}` : `needs at least one of: ${reqs.join(', ')}`;
        } else {
          message = `${describeValue(e.data)} is not a valid value here`;
          if (errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath + '/'))) continue;
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

function pathLabel(path: string): string {
  if (!path) return '';
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') + ': ';
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
    (svc.policies ?? []).forEach((p, i) => {
      if (!BUILTIN_BY_NAME.has(p)) {
        out.push({ pos: at('services', svcName, 'policies', i), message: `unknown built-in template "${p}"`, hint: guess(p, BUILTIN_BY_NAME.keys()) ?? 'run `charter templates` to list them; user templates go under `use:`' });
      }
    });
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
    const all = [...y.problems, ...schemaProblems(validate.errors ?? [], y)];
    all.sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.col ?? 0) - (b.pos?.col ?? 0));
    throw new InputError(all);
  }
  const spec = y.value as unknown as Spec;
  const refs = referenceProblems(spec, y);
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
  return parseSpec(text, file);
}
