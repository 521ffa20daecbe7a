/**
 * YAML → plain JS value plus a map from JSON-pointer paths to source positions, built from
 * js-yaml 5's event stream (which carries source offsets). Refuses what a spec never needs and an
 * attacker would send: multiple documents, huge files, deep nesting, alias-expansion bombs,
 * duplicate keys. Every problem is collected (not just the first) where the parse allows it.
 */
import { parseEvents, getScalarValue, EVENT_ID, YAMLException, SCALAR_STYLE } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import { InputError, LineIndex, type InputProblem, type SourcePos } from '../diagnostics.js';
import { abandonedAt, UNCLOSED_SENTENCES } from './yaml-unclosed.js';
import { MAX_DEPTH, MAX_EXPANDED_NODES, MAX_SPEC_BYTES, pointerSegment, type LoadedYaml, type NodePos, type YamlValue } from './yaml.js';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** YAML 1.2 core schema resolution of a plain scalar. */
function resolvePlain(s: string): YamlValue {
  if (NULLS.has(s)) return null;
  if (TRUES.has(s)) return true;
  if (FALSES.has(s)) return false;
  if (INT_DEC.test(s)) return Number(s);
  if (INT_OCT.test(s)) return parseInt(s.slice(2), 8);
  if (INT_HEX.test(s)) return parseInt(s.slice(2), 16);
  if (FLOAT.test(s)) return Number(s);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(s)) return NaN;
  return s;
}

interface Built {
  value: YamlValue;
  size: number;
}

/**
 * A parser error as problems where the mistake is: an unclosed bracket or quote at its opening
 * (the parser notices it only a line later), else the parser's own position, with a sentence.
 */
function syntaxProblems(e: YAMLException, text: string, file: string, lines: LineIndex): InputProblem[] {
  const mark = e.mark;
  if (!mark) return [{ pos: { file, line: 1, col: 1 }, message: `YAML syntax: ${e.reason}` }];
  const at = lines.pos(file, mark.position);
  if (/nesting|depth/i.test(e.reason)) return [{ pos: at, message: `YAML syntax: nesting deeper than ${MAX_DEPTH} levels` }];
  const open = abandonedAt(text, mark.position);
  if (open.length) return open.map((u) => ({ pos: lines.pos(file, u.offset), message: `YAML syntax: ${UNCLOSED_SENTENCES[u.char].message}`, hint: UNCLOSED_SENTENCES[u.char].hint }));
  if (/multiline key may not be an implicit key|^bad indentation of a mapping entry|^end of the stream or a document separator/.test(e.reason)) {
    const start = colonlessLineAbove(text, mark.position);
    if (start !== undefined) return [{ pos: lines.pos(file, start), message: 'YAML syntax: this line has no ":", so it is not a key: value and runs into the key below it', hint: 'write key: value, or indent it under the key whose value it continues' }];
  }
  const said = REASONS.find(([re]) => re.test(e.reason));
  return [said ? { pos: at, message: `YAML syntax: ${said[1]}`, hint: said[2] } : { pos: at, message: `YAML syntax: ${e.reason}` }];
}

/** js-yaml's reasons that have a plainer sentence, with a hint. */
const REASONS: ReadonlyArray<[RegExp, string, string]> = [
  [/^tab characters must not be used in indentation/, 'a tab indents this line; YAML indents with spaces only', 'replace the tab with spaces'],
  [/^bad indentation of a mapping entry/, 'this line does not line up with the mapping it belongs to (or a plain value holds ": ")', 'indent it like the keys beside it, or quote a value that contains ": "'],
  [/^deficient indentation/, 'this line is indented less than the value it continues', 'indent it under its key, or quote a value that spans lines'],
  [/^missed comma between flow collection entries/, 'a "," is missing before this entry of a [ ] list or { } mapping', 'separate the entries with commas'],
  [/^expected ':' after a mapping key/, 'a ":" is expected after this key', 'write key: value'],
  [/^end of the stream or a document separator is expected/, 'this line does not fit the document above it', 'check its indentation, and that the lines above are key: value or - item'],
];

/**
 * Where a mapping line without a colon starts: the parser reads it and the next key as one key
 * spanning lines and fails at that key's ":". The first non-blank, non-comment line above the
 * error's line, when it has no ": " (nor a trailing ":") and is indented like the error's line.
 */
function colonlessLineAbove(text: string, errorOffset: number): number | undefined {
  let end = text.lastIndexOf('\n', errorOffset - 1);
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).replace(/\r$/, '');
    const body = line.trim();
    if (body === '' || body.startsWith('#')) {
      end = start - 1;
      continue;
    }
    // Only a line at the indentation of the key the parser stopped at: a sibling that lost its colon.
    const indent = line.length - line.trimStart().length;
    const errorLineStart = text.lastIndexOf('\n', errorOffset - 1) + 1;
    const errorIndent = /^ */.exec(text.slice(errorLineStart))![0].length;
    return /:(\s|$)/.test(line) || body.startsWith('- ') || indent !== errorIndent ? undefined : start + indent;
  }
  return undefined;
}

export function loadYaml(text: string, file: string, opts: { collect?: boolean } = {}): LoadedYaml {
  if (Buffer.byteLength(text, 'utf8') > MAX_SPEC_BYTES) {
    throw new InputError([{ pos: { file, line: 1, col: 1 }, message: `file is larger than ${MAX_SPEC_BYTES / 1024 / 1024} MB`, hint: 'a spec is a few kilobytes; split generated content into policy files' }]);
  }
  const lines = new LineIndex(text);
  let events: Event[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: MAX_DEPTH });
  } catch (e) {
    if (e instanceof YAMLException) throw new InputError(syntaxProblems(e, text, file, lines));
    throw e;
  }

  const problems: InputProblem[] = [];
  const positions = new Map<string, NodePos>();
  const anchors = new Map<string, Built>();
  let i = 0;
  let totalExpanded = 0;
  let docs = 0;

  const at = (offset: number): SourcePos => lines.pos(file, Math.max(0, offset));

  function scalarText(e: ScalarEvent): string {
    return getScalarValue(text, e);
  }

  function tagOf(e: { tagStart: number; tagEnd: number }): string | undefined {
    return e.tagStart >= 0 ? text.slice(e.tagStart, e.tagEnd) : undefined;
  }

  function anchorOf(e: { anchorStart: number; anchorEnd: number }): string | undefined {
    return e.anchorStart >= 0 ? text.slice(e.anchorStart, e.anchorEnd) : undefined;
  }

  /** End of the last node with a source offset: where an empty value (`partition:`, `- `) is found. */
  let lastEnd = 0;

  /** An empty scalar carries no offset: its tag or anchor, else the `-` of its list item, else just after the node before it. */
  function emptyOffset(e: ScalarEvent): number {
    if (e.tagStart >= 0) return e.tagStart;
    if (e.anchorStart >= 0) return e.anchorStart - 1;
    let j = lastEnd;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\n' || text[j] === ':' || text[j] === ',')) j++;
    return text[j] === '-' ? j : lastEnd;
  }

  function startOffset(e: Event): number {
    switch (e.type) {
      case EVENT_ID.SCALAR:
        if (e.valueStart < 0) return emptyOffset(e);
        if (e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK) {
          // A block scalar's content starts on the next line: point at its `|` or `>` indicator.
          const from = lastEnd;
          lastEnd = e.valueEnd;
          const ind = Math.max(text.lastIndexOf('|', e.valueStart), text.lastIndexOf('>', e.valueStart));
          return ind >= from ? ind : e.valueStart;
        }
        lastEnd = e.valueEnd;
        // Quoted scalars: point at the opening quote, not inside it.
        return e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED ? e.valueStart - 1 : e.valueStart;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING:
        lastEnd = e.start + 1;
        return e.start;
      case EVENT_ID.ALIAS:
        lastEnd = e.anchorEnd;
        return e.anchorStart - 1;
      default:
        return 0;
    }
  }

  function bump(n: number, offset: number): void {
    totalExpanded += n;
    if (totalExpanded > MAX_EXPANDED_NODES) {
      throw new InputError([{ pos: at(offset), message: `YAML expands to more than ${MAX_EXPANDED_NODES} nodes (alias expansion)`, hint: 'remove the aliases that multiply content' }]);
    }
  }

  /** Build the node starting at events[i]; advances i past it. */
  function node(path: string, key?: SourcePos): Built {
    const e = events[i++]!;
    const offset = startOffset(e);
    // An empty value with a key (`partition:`) is reported at its key's line.
    const empty = e.type === EVENT_ID.SCALAR && e.valueStart < 0 && e.tagStart < 0 && e.anchorStart < 0;
    const valuePos = empty && key ? key : at(offset);
    positions.set(path, key ? { value: valuePos, key } : { value: valuePos });
    let built: Built;
    switch (e.type) {
      case EVENT_ID.SCALAR: {
        const raw = scalarText(e);
        const tag = tagOf(e);
        let value: YamlValue;
        if (tag === '!!str' || tag === '!') value = raw;
        else if (tag !== undefined) {
          problems.push({ pos: at(e.tagStart), message: `YAML tag ${tag} is not supported`, hint: 'remove the tag; write the value plainly' });
          value = raw;
        } else value = e.style === SCALAR_STYLE.PLAIN ? resolvePlain(raw) : raw;
        if (typeof value !== 'string') positions.get(path)!.plain = raw;
        built = { value, size: 1 };
        bump(1, offset);
        break;
      }
      case EVENT_ID.SEQUENCE: {
        const arr: YamlValue[] = [];
        let size = 1;
        bump(1, offset);
        while (events[i]!.type !== EVENT_ID.POP) {
          const child = node(`${path}/${arr.length}`);
          arr.push(child.value);
          size += child.size;
        }
        i++;
        built = { value: arr, size };
        break;
      }
      case EVENT_ID.MAPPING: {
        const obj: { [k: string]: YamlValue } = Object.create(null) as { [k: string]: YamlValue };
        const seen = new Map<string, SourcePos>();
        const merged = new Set<string>();
        let size = 1;
        bump(1, offset);
        while (events[i]!.type !== EVENT_ID.POP) {
          const ke = events[i]!;
          const keyPos = at(startOffset(ke));
          if (ke.type !== EVENT_ID.SCALAR) {
            problems.push({ pos: keyPos, message: 'mapping keys must be plain strings' });
            skip();
            skip();
            continue;
          }
          i++;
          const k = scalarText(ke);
          if (k === '<<' && ke.style === SCALAR_STYLE.PLAIN) {
            const v = node(`${path}/<<`, keyPos);
            positions.delete(`${path}/<<`);
            const sources = Array.isArray(v.value) ? v.value : [v.value];
            for (const src of sources) {
              if (src === null || typeof src !== 'object' || Array.isArray(src)) {
                problems.push({ pos: keyPos, message: 'merge key << needs a mapping or a list of mappings' });
                continue;
              }
              for (const [mk, mv] of Object.entries(src)) {
                if (!(mk in obj)) {
                  obj[mk] = mv;
                  merged.add(mk);
                  if (!positions.has(`${path}/${pointerSegment(mk)}`)) positions.set(`${path}/${pointerSegment(mk)}`, { value: keyPos, key: keyPos });
                }
              }
            }
            size += v.size;
            continue;
          }
          const prev = seen.get(k);
          if (prev) {
            problems.push({ pos: keyPos, message: `duplicate key "${k}" (first at line ${prev.line})`, hint: 'remove one of them' });
            skip();
            continue;
          }
          seen.set(k, keyPos);
          const child = node(`${path}/${pointerSegment(k)}`, keyPos);
          obj[k] = child.value;
          merged.delete(k);
          size += child.size;
        }
        i++;
        built = { value: { ...obj }, size };
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(e.anchorStart, e.anchorEnd);
        const target = anchors.get(name);
        if (!target) {
          problems.push({ pos: at(offset), message: `unknown alias *${name}` });
          return { value: null, size: 1 };
        }
        bump(target.size, offset);
        return target;
      }
      default:
        throw new Error(`unexpected YAML event ${e.type}`);
    }
    const anchor = anchorOf(e as { anchorStart: number; anchorEnd: number });
    if (anchor) anchors.set(anchor, built);
    return built;
  }

  /** Skip the node at events[i] without building it. */
  function skip(): void {
    let depth = 0;
    do {
      const e = events[i++]!;
      if (e.type === EVENT_ID.SEQUENCE || e.type === EVENT_ID.MAPPING) depth++;
      else if (e.type === EVENT_ID.POP) depth--;
    } while (depth > 0);
  }

  /** Where the second document starts: the first `---` (else `...`) at a line start after the first document's content. */
  function secondDocumentOffset(): number {
    const rest = text.slice(lastEnd);
    const m = /^---(?=\s|$)/m.exec(rest) ?? /^\.\.\.(?=\s|$)/m.exec(rest);
    return m ? lastEnd + m.index : lastEnd;
  }

  let root: YamlValue = null;
  while (i < events.length) {
    const e = events[i]!;
    if (e.type === EVENT_ID.DOCUMENT) {
      docs++;
      i++;
      if (docs > 1) {
        throw new InputError([{ pos: at(secondDocumentOffset()), message: 'file holds more than one YAML document: the second starts here', hint: 'keep one spec per file: remove this --- and what follows, or move it to a file of its own' }]);
      }
      if (events[i]!.type === EVENT_ID.POP) {
        i++;
        continue;
      }
      root = node('').value;
      i++; // document POP
    } else i++;
  }
  if (problems.length && !opts.collect) throw new InputError(problems);
  return { file, text, value: root, positions, problems };
}
