/** grammar: document and statement structure, element value types, unknown keys. */
import { didYouMean } from '../../diagnostics.js';
import { isObject, rawStatements } from '../doc-model.js';
import type { DocView, Report, Rule } from '../types.js';

const DOC_KEYS = ['Version', 'Id', 'Statement'];
const STMT_KEYS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const PRINCIPAL_KEYS = ['AWS', 'Service', 'Federated', 'CanonicalUser'];
const LIST_ELEMENTS = ['Action', 'NotAction', 'Resource', 'NotResource'];
const PRINCIPAL_ELEMENTS = ['Principal', 'NotPrincipal'];

function isStrOrStrList(v: unknown): boolean {
  return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

function isNullOrObject(x: unknown): boolean {
  return x === null || typeof x === 'object';
}

function checkStatement(d: DocView, i: number, s: unknown, report: Report): void {
  if (!isObject(s)) {
    report({ at: d.pos(i), messageId: 'statementNotObject', data: { n: i + 1, doc: d.label }, hint: 'each statement is { "Effect": ..., "Action": ..., "Resource": ... }' });
    return;
  }
  // Run for every statement, mostly before this is optimised: the statement's and principals' keys
  // are walked by index (for-of allocates per step), and values are read by key here and in
  // Condition (Object.entries makes an array per key).
  const keys = Object.keys(s);
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j]!;
    if (STMT_KEYS.includes(k)) continue;
    const guess = didYouMean(k, STMT_KEYS);
    report({ at: d.keyPos(i, k), messageId: 'unknownStatementKey', data: { key: k }, hint: guess ? `did you mean "${guess}"?` : `allowed: ${STMT_KEYS.join(', ')}` });
  }
  for (let j = 0; j < LIST_ELEMENTS.length; j++) {
    const k = LIST_ELEMENTS[j]!;
    if (s[k] !== undefined && !isStrOrStrList(s[k])) report({ at: d.pos(i, k), messageId: 'notStringList', data: { element: k }, hint: 'e.g. "s3:GetObject" or ["s3:GetObject", "s3:PutObject"]' });
  }
  if (s.Sid !== undefined && typeof s.Sid !== 'string') report({ at: d.pos(i, 'Sid'), messageId: 'sidNotString' });
  for (let j = 0; j < PRINCIPAL_ELEMENTS.length; j++) {
    const k = PRINCIPAL_ELEMENTS[j]!;
    const p = s[k];
    if (p === undefined || p === '*') continue;
    if (!isObject(p)) {
      report({ at: d.pos(i, k), messageId: 'badPrincipal', data: { element: k } });
      continue;
    }
    const pks = Object.keys(p);
    for (let x = 0; x < pks.length; x++) {
      const pk = pks[x]!;
      const pv = p[pk];
      if (!PRINCIPAL_KEYS.includes(pk)) {
        const guess = didYouMean(pk, PRINCIPAL_KEYS);
        report({ at: d.keyPos(i, k, pk), messageId: 'unknownPrincipalType', data: { element: k, type: pk }, hint: guess ? `did you mean "${guess}"?` : `allowed: ${PRINCIPAL_KEYS.join(', ')}` });
      } else if (!isStrOrStrList(pv)) report({ at: d.pos(i, k, pk), messageId: 'principalNotStringList', data: { element: k, type: pk } });
    }
  }
  if (s.Condition !== undefined) {
    if (!isObject(s.Condition)) report({ at: d.pos(i, 'Condition'), messageId: 'conditionNotObject' });
    else
      for (const op of Object.keys(s.Condition)) {
        const block = s.Condition[op];
        if (!isObject(block)) {
          report({ at: d.pos(i, 'Condition', op), messageId: 'operatorNotObject', data: { op }, hint: `e.g. "${op}": { "aws:RequestedRegion": "us-west-2" }` });
          continue;
        }
        for (const key of Object.keys(block)) {
          const v = block[key];
          if (Array.isArray(v) ? v.some(isNullOrObject) : isNullOrObject(v)) report({ at: d.pos(i, 'Condition', op, key), messageId: 'conditionValue', data: { op, key } });
        }
      }
  }
}

export const policyShape: Rule = {
  meta: {
    id: 'policy-shape',
    title: 'Malformed policy document',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A document or statement IAM cannot parse: no Statement, a statement that is not an object, unknown keys, elements of the wrong type (Action must be a string or list of strings, Principal "*" or a typed object, Condition operator → key → value).',
      why: 'IAM rejects the whole document (MalformedPolicyDocument) at apply time; a misspelt key such as "Resources" is worse when a tool silently drops it.',
      bad: '{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Actions": "s3:GetObject", "Resource": "*" }] }',
      good: '{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }] }',
      fix: 'Correct the key or value the message names; the hint suggests the closest valid key.',
    },
    messages: {
      statementNotObject: 'statement {{n}} of {{doc}} is not an object',
      unknownStatementKey: 'unknown statement key "{{key}}"',
      notStringList: '{{element}} must be a string or a list of strings',
      sidNotString: 'Sid must be a string',
      badPrincipal: '{{element}} must be "*" or an object such as {"AWS": [...]} or {"Service": "..."}',
      unknownPrincipalType: 'unknown principal type "{{type}}"',
      principalNotStringList: '{{element}}.{{type}} must be a string or a list of strings',
      conditionNotObject: 'Condition must be an object: { "Operator": { "key": value } }',
      operatorNotObject: 'Condition operator {{op}} must map condition keys to values',
      conditionValue: 'condition {{op}} {{key}}: values must be strings, numbers or booleans',
      documentNotObject: '{{doc}} is not a JSON object',
      unknownDocumentKey: 'unknown top-level key "{{key}}"',
      idNotString: 'Id must be a string',
      noStatement: '{{doc}} has no Statement',
      statementNotList: 'Statement must be a list of statements (or one statement object)',
    },
  },
  document(d, { report }) {
    if (d.fromSpec) return; // compiled documents are built by charter in canonical shape
    if (!isObject(d.raw)) {
      report({ at: d.pos(), messageId: 'documentNotObject', data: { doc: d.label }, hint: 'a policy document is { "Version": "2012-10-17", "Statement": [...] }' });
      return;
    }
    for (const k of Object.keys(d.raw)) {
      if (DOC_KEYS.includes(k)) continue;
      const guess = didYouMean(k, DOC_KEYS);
      report({ at: d.keyPos(undefined, k), messageId: 'unknownDocumentKey', data: { key: k }, hint: guess ? `did you mean "${guess}"?` : `allowed: ${DOC_KEYS.join(', ')}` });
    }
    if (d.raw.Id !== undefined && typeof d.raw.Id !== 'string') report({ at: d.pos(undefined, 'Id'), messageId: 'idNotString' });
    const st = d.raw.Statement;
    if (st === undefined) {
      report({ at: d.pos(), messageId: 'noStatement', data: { doc: d.label }, hint: 'add "Statement": [ ... ]' });
      return;
    }
    if (!Array.isArray(st) && !isObject(st)) {
      report({ at: d.pos(undefined, 'Statement'), messageId: 'statementNotList' });
      return;
    }
    rawStatements(d.raw).forEach((s, i) => checkStatement(d, i, s, report));
  },
};
