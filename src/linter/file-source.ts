/**
 * Plain policy JSON files as lint input: each file is one principal holding one document, an
 * identity policy, or a trust policy when a statement has Principal/NotPrincipal. Findings point
 * at the exact JSON line and column.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { InputError, type InputProblem } from '../diagnostics.js';
import { policySize } from '../policy/canonical.js';
import { pointerSegment } from '../spec/yaml.js';
import { isObject, normalizeStatements, rawStatements, statementPointer } from './doc-model.js';
import { parseJsonWithPositions } from './json-positions.js';
import type { DocView, Loc, PrincipalView } from './types.js';

export interface PolicyFile {
  file: string;
  text: string;
}

function ptrOf(raw: unknown, stmt: number | undefined, path: Array<string | number>): string {
  let p = stmt === undefined ? '' : statementPointer(raw, stmt);
  for (const seg of path) p += '/' + pointerSegment(seg);
  return p;
}

export function policyFileView(f: PolicyFile): { doc: DocView; principal: PrincipalView } {
  const parsed = parseJsonWithPositions(f.text, f.file);
  const raw = parsed.value;
  const statements = normalizeStatements(raw);
  const isTrust = rawStatements(raw).some((s) => isObject(s) && (s.Principal !== undefined || s.NotPrincipal !== undefined));
  const at = (ptr: string, which: 'key' | 'value'): Loc => ({ ...parsed.pos(ptr, which), pointer: ptr });
  const doc: DocView = {
    id: f.file,
    label: `policy ${f.file}`,
    kind: isTrust ? 'trust' : 'identity',
    container: 'file',
    raw,
    statements,
    size: policySize(f.text),
    file: f.file,
    text: f.text,
    pos: (stmt, ...path) => at(ptrOf(raw, stmt, path), 'value'),
    keyPos: (stmt, ...path) => at(ptrOf(raw, stmt, path), 'key'),
    principalId: f.file,
    fromSpec: false,
  };
  const principal: PrincipalView = {
    id: f.file,
    label: f.file,
    docs: isTrust ? [] : [doc],
    managed: [],
    // The document itself (the root value starts the file; computing it would build the line index).
    at: { file: f.file, line: 1, col: 1, pointer: '' },
  };
  if (isTrust) principal.trust = doc;
  return { doc, principal };
}

/** Files to lint under a directory: *.json, and extension-less files that hold a JSON object. */
export function policyFilesInDir(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const ext = extname(name).toLowerCase();
        if (ext === '.json') out.push(p);
        else if (ext === '' && st.size < 1024 * 1024) {
          const head = readFileSync(p, 'utf8').trimStart();
          if (head.startsWith('{')) out.push(p);
        }
      }
    }
  };
  walk(dir);
  return out;
}

export function readPolicyFile(path: string, display = path): PolicyFile {
  try {
    return { file: display, text: readFileSync(path, 'utf8') };
  } catch (e) {
    const problem: InputProblem = { pos: { file: display, line: 1, col: 1 }, message: `cannot read: ${(e as Error).message}` };
    throw new InputError([problem]);
  }
}
