/**
 * Plain policy JSON files as lint input: each file is one principal holding one document, an
 * identity policy, or a trust policy when a statement has Principal/NotPrincipal. Findings point
 * at the exact JSON line and column.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { join, extname } from 'node:path';
import { InputError, type InputProblem } from '../diagnostics.js';
import { policySize } from '../policy/canonical.js';
import { pointerSegment } from '../spec/yaml.js';
import { isObject, normalizeStatements, rawStatements, statementPointer } from './doc-model.js';
import { givenOrParsed, parseJsonChecked, parseJsonWithPositions } from '../policy/json-positions.js';
import type { DocView, Loc, PrincipalView } from './types.js';

export interface PolicyFile {
  file: string;
  /** The file's text (a large lint's files read it again on each use: read it once per use). */
  readonly text: string;
  /** Set when `text` is read again on each use (a large lint): nothing parsed from it is then kept between uses. */
  readonly reread?: boolean;
  /**
   * `{ value: JSON.parse(text) }`, when whoever read the file has parsed it already (kept texts
   * only): the lint takes it (and removes it) instead of parsing the text again.
   */
  parsed?: { value: unknown };
}

/** A policy file parsed (JSON.parse, no positions): the file's value, and the policy document in it (documentPointer). */
export interface ParsedPolicyFile {
  value: unknown;
  document: unknown;
}

/**
 * Where the policy document sits in a file: the root, or inside the shapes the AWS CLI prints
 * (`aws iam get-policy-version` → PolicyVersion.Document, `get-role-policy` → PolicyDocument,
 * `get-role` → Role.AssumeRolePolicyDocument), so saved API output lints as is.
 */
function documentPointer(root: unknown): { doc: unknown; base: string } {
  if (!isObject(root) || root.Statement !== undefined) return { doc: root, base: '' };
  const pv = root.PolicyVersion;
  if (isObject(pv) && isObject(pv.Document)) return { doc: pv.Document, base: '/PolicyVersion/Document' };
  if (isObject(root.PolicyDocument)) return { doc: root.PolicyDocument, base: '/PolicyDocument' };
  const role = root.Role;
  if (isObject(role) && isObject(role.AssumeRolePolicyDocument)) return { doc: role.AssumeRolePolicyDocument, base: '/Role/AssumeRolePolicyDocument' };
  return { doc: root, base: '' };
}

function ptrOf(raw: unknown, base: string, stmt: number | undefined, path: Array<string | number>): string {
  let p = base + (stmt === undefined ? '' : statementPointer(raw, stmt));
  for (const seg of path) p += '/' + pointerSegment(seg);
  return p;
}

/** `pre`: `{ value: JSON.parse(f.text) }` when the caller has it (parsePolicyFile gives it; else f.parsed): the text is then not parsed again. */
export function policyFileView(f: PolicyFile, pre?: { value: unknown }): { doc: DocView; principal: PrincipalView } {
  const text = f.text;
  const parsed = parseJsonWithPositions(text, f.file, pre ?? takeParsed(f));
  const { doc: raw, base } = documentPointer(parsed.value);
  const statements = normalizeStatements(raw);
  const isTrust = rawStatements(raw).some((s) => isObject(s) && (s.Principal !== undefined || s.NotPrincipal !== undefined));
  const at = (ptr: string, which: 'key' | 'value'): Loc => {
    const p = parsed.pos(ptr, which);
    return { file: p.file, line: p.line, col: p.col, pointer: ptr };
  };
  const doc: DocView = {
    id: f.file,
    label: `policy ${f.file}`,
    kind: isTrust ? 'trust' : 'identity',
    container: 'file',
    raw,
    statements,
    // The text's size as the scan that found positions counted it (policySize of the text).
    size: base === '' ? (parsed.size ?? policySize(text)) : policySize(JSON.stringify(raw)),
    file: f.file,
    ...(base === '' ? { text } : {}),
    pos: (stmt, ...path) => at(ptrOf(raw, base, stmt, path), 'value'),
    keyPos: (stmt, ...path) => at(ptrOf(raw, base, stmt, path), 'key'),
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

/**
 * A policy file parsed without positions (JSON.parse, or the value a reader already parsed:
 * the IAM preload needs no more: addReferenced reads the document as is), or undefined when the file is not plain JSON (the positioned
 * parser then decides, and reports). Hand the result to policyFileView to spare it the parse.
 */
export function parsePolicyFile(f: PolicyFile): ParsedPolicyFile | undefined {
  const p = givenOrParsed(f.text, takeParsed(f));
  return p && { value: p.value, document: documentPointer(p.value).doc };
}

/**
 * A policy file parsed without positions, the file checked as policyFileView checks it: what
 * it would reject (a file that is not JSON, a duplicate key) throws the same positioned error here.
 */
export function parsePolicyFileChecked(f: PolicyFile): ParsedPolicyFile {
  const value = parseJsonChecked(f.text, f.file, takeParsed(f));
  return { value, document: documentPointer(value).doc };
}

/** A reader's parsed value of the file (PolicyFile.parsed), taken off it: used once, and not held by the file after. */
function takeParsed(f: PolicyFile): { value: unknown } | undefined {
  const p = f.parsed;
  if (p) delete f.parsed;
  return p;
}

/**
 * Files to lint under a directory: *.json, and extension-less files under 1 MiB that hold a JSON
 * object. The extension-less ones are read to tell. Pass `keep` to keep what was read (path →
 * text), so the caller does not read the files again, when every file found fits in `keep.chars`
 * (their characters are left in `keep.size`): the files are then read here, *.json too, as they
 * are found. When they do not fit (counted as read, until they did not), none is kept — `keep.size`
 * is then more than `keep.chars` — and only the start of each extension-less file is read to tell
 * (memory stays flat however large the directory, issue 14). A directory's entries tell files from
 * directories, so only symbolic links are looked up (stat) on the way.
 */
export function policyFilesInDir(dir: string, keep?: { texts: Map<string, string>; chars: number; size?: number }): string[] {
  const found: Array<{ path: string; json: boolean }> = [];
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const name = e.name;
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(d, name);
      const st = e.isSymbolicLink() ? statSync(p) : e;
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const ext = extname(name).toLowerCase();
        if (ext === '.json' || ext === '') found.push({ path: p, json: ext === '.json' });
      }
    }
  };
  walk(dir);
  const kept: Array<[string, string]> = [];
  let chars = 0;
  let fits = keep !== undefined && keep.chars >= 0;
  const out: string[] = [];
  let buf: Buffer | undefined; // extension-less files are read into it (read up to its size at most)
  for (const f of found) {
    const text = fits ? (f.json ? readIfReadable(f.path) : readUnder(f.path, (buf ??= Buffer.allocUnsafe(EXTENSIONLESS_MAX)))) : undefined;
    if (text === null) continue; // extension-less, 1 MiB or more
    if (text !== undefined && fits && (chars += text.length) > keep!.chars) {
      fits = false;
      kept.length = 0;
    }
    if (f.json) out.push(f.path);
    else if (text === undefined ? startsAnObject(f.path, EXTENSIONLESS_MAX) : text.trimStart().startsWith('{')) out.push(f.path);
    else continue;
    if (fits && text !== undefined) kept.push([f.path, text]);
  }
  if (keep) {
    keep.size = chars;
    for (const [path, text] of kept) keep.texts.set(path, text);
  }
  return out;
}

/** Extension-less files of this many bytes or more are not policy files (not read to tell). */
const EXTENSIONLESS_MAX = 1024 * 1024;

/** A *.json file's text, or undefined when it cannot be read (the caller reads it again, and reports why). */
function readIfReadable(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * An extension-less file opened to be read; null when it cannot be and is `max` bytes or more (not
 * a policy file, so never read: no error, as when sizes were looked up before reading).
 */
function openExtensionless(path: string, max: number): number | null {
  try {
    return openSync(path, 'r');
  } catch (e) {
    if (statSync(path).size >= max) return null;
    throw e;
  }
}

/** The text of a file smaller than `buf`; null for a larger one (of which `buf`'s size at most is read). */
function readUnder(path: string, buf: Buffer): string | null {
  const max = buf.length;
  const fd = openExtensionless(path, max);
  if (fd === null) return null;
  try {
    let n = 0;
    for (let got = 1; got > 0 && n < max; n += got) got = readSync(fd, buf, n, max - n, null);
    return n < max ? buf.toString('utf8', 0, n) : null;
  } finally {
    closeSync(fd);
  }
}

/** Whether a file of fewer than `max` bytes holds a text that, white space trimmed from its start, starts with `{`: read until the first other character. */
function startsAnObject(path: string, max: number): boolean {
  const fd = openExtensionless(path, max);
  if (fd === null) return false;
  try {
    if (fstatSync(fd).size >= max) return false;
    const buf = Buffer.alloc(4096);
    const dec = new StringDecoder('utf8');
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      const s = (n === 0 ? dec.end() : dec.write(buf.subarray(0, n))).trimStart();
      if (s !== '') return s.startsWith('{');
      if (n === 0) return false;
    }
  } finally {
    closeSync(fd);
  }
}

export function readPolicyFile(path: string, display = path): PolicyFile {
  try {
    return { file: display, text: readFileSync(path, 'utf8') };
  } catch (e) {
    const problem: InputProblem = { pos: { file: display, line: 1, col: 1 }, message: `cannot read: ${(e as Error).message}` };
    throw new InputError([problem]);
  }
}
