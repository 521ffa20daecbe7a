/**
 * A compiled Bundle (plus the LoadedSpec it came from) as lint input. Each role becomes one
 * principal: its trust document, inline documents and the customer-managed documents charter
 * creates for it. Findings point at the spec line that produced the statement (the IR's
 * origins), refined to the exact list item or condition key when the spec text shows it.
 */
import { relative, dirname } from 'node:path';
import { referencedFile } from '../spec/referenced-files.js';
import type { SourcePos } from '../diagnostics.js';
import type { Bundle, CompiledDocument, Role } from '../compiler/types.js';
import type { LoadedSpec } from '../spec/types.js';
import { positionOf, pointer, pointerSegment, pointerSegments, type YamlValue } from '../spec/yaml.js';
import { isObject, normalizeStatements, rawStatements, statementPointer } from './doc-model.js';
import { parseJsonWithPositions, type JsonWithPositions } from '../policy/json-positions.js';
import type { DocView, Loc, PrincipalView, SpecView } from './types.js';
import { BUILTIN_BY_NAME } from '../templates/builtins.js';

const posKey = (p: SourcePos) => `${p.file}:${p.line}:${p.col}`;

/** Reverse index of a loaded spec: position → pointer, and pointer → value. */
export class SpecIndex {
  private readonly byPos = new Map<string, string>();
  constructor(readonly loaded: LoadedSpec) {
    for (const [ptr, np] of loaded.yaml.positions) {
      const k = posKey(np.value);
      const prev = this.byPos.get(k);
      // Prefer the deepest pointer that starts at this position? No: the shallowest names the statement.
      if (prev === undefined || ptr.length < prev.length) this.byPos.set(k, ptr);
    }
  }

  file(): string {
    return this.loaded.yaml.file;
  }

  private readonly parsedPolicies = new Map<string, JsonWithPositions | null>();

  /** A referenced policy file (by its display path) parsed with positions, once per index. */
  policyJson(display: string): JsonWithPositions | undefined {
    let hit = this.parsedPolicies.get(display);
    if (hit === undefined) {
      const { file } = referencedFile(this.loaded, relative(dirname(this.loaded.displayPath), display));
      try {
        hit = file.kind === 'file' ? parseJsonWithPositions(file.text, display) : null;
      } catch {
        hit = null;
      }
      this.parsedPolicies.set(display, hit);
    }
    return hit ?? undefined;
  }

  pointerAt(p: SourcePos): string | undefined {
    return this.byPos.get(posKey(p));
  }

  loc(ptr: string, which: 'key' | 'value' = 'value'): Loc {
    return { ...positionOf(this.loaded.yaml, ptr, which), pointer: ptr };
  }

  valueAt(ptr: string): YamlValue | undefined {
    let v: YamlValue | undefined = this.loaded.yaml.value;
    if (ptr === '') return v;
    for (const seg of pointerSegments(ptr)) {
      if (v === null || typeof v !== 'object') return undefined;
      v = Array.isArray(v) ? v[Number(seg)] : (v as Record<string, YamlValue>)[seg];
      if (v === undefined) return undefined;
    }
    return v;
  }

  /** The pointer of a scalar equal to `needle` (or a mapping key equal to it) under `base`. */
  find(base: string, needle: string, asKey: boolean): string | undefined {
    const lower = needle.toLowerCase();
    let ci: string | undefined;
    for (const ptr of this.loaded.yaml.positions.keys()) {
      if (ptr !== base && !ptr.startsWith(base + '/')) continue;
      if (asKey) {
        const last = pointerSegments(ptr).at(-1);
        if (last === needle) return ptr;
        continue;
      }
      const v = this.valueAt(ptr);
      if (typeof v !== 'string') continue;
      if (v === needle) return ptr;
      if (ci === undefined && v.toLowerCase() === lower) ci = ptr;
    }
    return ci;
  }
}

/** Inside a policy file: the element of the statement that starts at `p` equal to `needle`. */
function refineInPolicyFile(idx: SpecIndex, p: SourcePos, el: string, needle: string, asKey: boolean, op: string | undefined): Loc | undefined {
  const j = idx.policyJson(p.file);
  if (!j) return undefined;
  const stmts = rawStatements(j.value);
  for (let i = 0; i < stmts.length; i++) {
    const base = statementPointer(j.value, i);
    const sp = j.pos(base);
    if (sp.line !== p.line || sp.col !== p.col) continue;
    const st = stmts[i];
    if (!isObject(st)) return undefined;
    if (asKey) {
      const cond = st.Condition;
      if (!isObject(cond)) return undefined;
      for (const [o, block] of Object.entries(cond)) {
        if (op !== undefined && o !== op && el === 'Condition' && needle !== o) continue;
        if (o === needle) return { ...j.pos(`${base}/Condition/${pointerSegment(o)}`, 'key'), pointer: `${base}/Condition/${pointerSegment(o)}` };
        if (isObject(block) && needle in block) {
          const ptr = `${base}/Condition/${pointerSegment(o)}/${pointerSegment(needle)}`;
          return { ...j.pos(ptr, 'key'), pointer: ptr };
        }
      }
      return undefined;
    }
    const v = st[el];
    if (typeof v === 'string' && v.toLowerCase() === needle.toLowerCase()) return { ...j.pos(`${base}/${el}`), pointer: `${base}/${el}` };
    if (Array.isArray(v)) {
      const k = v.findIndex((x) => typeof x === 'string' && x.toLowerCase() === needle.toLowerCase());
      if (k >= 0) return { ...j.pos(`${base}/${el}/${k}`), pointer: `${base}/${el}/${k}` };
    }
    return undefined;
  }
  return undefined;
}

function roleSubject(role: Role): string {
  return `role ${role.service}`;
}

function docView(
  idx: SpecIndex,
  role: Role,
  cd: CompiledDocument,
  container: 'inline' | 'managed' | 'trust',
  id: string,
  label: string,
  account: string | undefined,
): DocView {
  const raw = cd.document as unknown;
  const statements = normalizeStatements(raw);
  const rolePtr = pointer('services', role.service);
  const roleLoc = (): Loc => {
    const l = idx.loc(rolePtr);
    return l.line === 1 && l.col === 1 && role.pos ? { ...role.pos, pointer: rolePtr } : l;
  };
  const stmtLoc = (stmt: number | undefined): Loc => {
    if (stmt === undefined) return roleLoc();
    const o = cd.origins[stmt];
    const p = o?.pos[0];
    if (!p) return roleLoc();
    const ptr = idx.pointerAt(p);
    return ptr !== undefined ? { ...p, pointer: ptr } : { ...p };
  };
  const refine = (stmt: number | undefined, path: Array<string | number>, which: 'key' | 'value'): Loc => {
    const base = stmtLoc(stmt);
    if (stmt === undefined || path.length === 0) return base;
    const st = statements[stmt];
    if (!st) return base;
    let needle: string | undefined;
    let asKey = false;
    const [el, sub, key] = path;
    if ((el === 'Action' || el === 'NotAction' || el === 'Resource' || el === 'NotResource') && typeof sub === 'number') {
      const v = st.raw[el];
      if (Array.isArray(v) && typeof v[sub] === 'string') needle = v[sub] as string;
    } else if ((el === 'Action' || el === 'NotAction' || el === 'Resource' || el === 'NotResource') && sub === undefined) {
      const v = st.raw[el];
      if (typeof v === 'string') needle = v;
    } else if (el === 'Sid' && sub === undefined && typeof st.raw.Sid === 'string') {
      needle = st.raw.Sid;
    } else if (el === 'Condition' && typeof sub === 'string') {
      needle = typeof key === 'string' ? key : sub;
      asKey = true;
    }
    if (needle === undefined) return base;
    const origins = cd.origins[stmt]?.pos ?? [];
    // A built-in template entry (policies: [s3:ReadOnly, ...]) that contributes this action.
    if (!asKey && (el === 'Action' || el === 'NotAction')) {
      const lower = needle.toLowerCase();
      for (const p of origins) {
        if (p.file !== idx.file()) continue;
        const ptr = idx.pointerAt(p);
        const v = ptr !== undefined ? idx.valueAt(ptr) : undefined;
        const b = typeof v === 'string' ? BUILTIN_BY_NAME.get(v) : undefined;
        if (b && b.actions.some((a) => a.toLowerCase() === lower)) return idx.loc(ptr!);
      }
    }
    for (const p of origins) {
      if (p.file !== idx.file()) {
        if (/\.json$/i.test(p.file)) {
          const hit = refineInPolicyFile(idx, p, String(el), needle, asKey, typeof sub === 'string' ? sub : undefined);
          if (hit) return hit;
        }
        continue;
      }
      const ptr = idx.pointerAt(p);
      if (ptr === undefined) continue;
      const found = idx.find(ptr, needle, asKey);
      if (found !== undefined) return idx.loc(found, asKey ? 'key' : which);
    }
    return base;
  };
  return {
    id,
    label,
    kind: container === 'trust' ? 'trust' : 'identity',
    container,
    raw,
    statements,
    size: cd.size,
    file: idx.file(),
    pos: (stmt, ...path) => refine(stmt, path, 'value'),
    keyPos: (stmt, ...path) => refine(stmt, path, 'key'),
    principalId: role.address,
    fromSpec: true,
    ...(account ? { account } : {}),
    ...(idx.loaded.spec.lint?.trustPolicyLimit ? { trustLimit: idx.loaded.spec.lint.trustPolicyLimit } : {}),
    origin: (stmt) => cd.origins[stmt]?.from ?? [],
  };
}

export function bundlePrincipals(idx: SpecIndex, bundle: Bundle): { docs: DocView[]; principals: PrincipalView[] } {
  const docs: DocView[] = [];
  const principals: PrincipalView[] = [];
  for (const role of bundle.roles) {
    const subject = roleSubject(role);
    const trust = docView(idx, role, role.trust, 'trust', `${role.address}#trust`, `trust policy of ${subject}`, bundle.account);
    const ids: DocView[] = role.inline.map((p) => docView(idx, role, p, 'inline', `${role.address}#inline:${p.name}`, `inline policy ${p.name} of ${subject}`, bundle.account));
    for (const mp of bundle.managedPolicies.filter((m) => m.roleAddress === role.address)) {
      ids.push(docView(idx, role, mp, 'managed', `${role.address}#managed:${mp.name}`, `managed policy ${mp.name} of ${subject}`, bundle.account));
    }
    docs.push(trust, ...ids);
    const rolePtr = pointer('services', role.service);
    principals.push({
      id: role.address,
      label: subject,
      docs: ids,
      trust,
      managed: role.managed.map((m) => ({ arn: m.arn, kind: m.kind, at: { ...m.pos, ...(idx.pointerAt(m.pos) !== undefined ? { pointer: idx.pointerAt(m.pos)! } : {}) } })),
      role,
      ...(idx.loaded.spec.lint?.maxManagedPolicies ? { limitManaged: idx.loaded.spec.lint.maxManagedPolicies } : {}),
      at: { ...role.pos, pointer: rolePtr },
    });
  }
  return { docs, principals };
}

export function specView(loaded: LoadedSpec, bundle: Bundle | undefined, idx: SpecIndex): SpecView {
  const specDir = dirname(loaded.path);
  const displayDir = dirname(loaded.displayPath);
  return {
    loaded,
    ...(bundle ? { bundle } : {}),
    pos: (ptr, which = 'value') => idx.loc(ptr, which),
    display: (abs) => {
      const rel = relative(specDir, abs);
      return displayDir === '.' ? rel : `${displayDir}/${rel}`;
    },
    launches: bundle?.launches ?? [],
    principals: [],
    liveRoles: [],
  };
}
