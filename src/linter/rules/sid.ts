/** grammar: Sid format and duplicate Sids. */
import type { Rule } from '../types.js';
import { findSecrets } from '../secret-scan.js';

/**
 * The Sid with its other characters dropped, as an example — unless it holds a secret: dropping the
 * `=` of `password=…` would leave a value the output boundary no longer recognises.
 */
function alphanumericHint(sid: string): string {
  return findSecrets(sid).length ? 'remove the secret from the Sid (anyone who can read the policy sees it) and use A-Z, a-z, 0-9 only' : `e.g. "${sid.replace(/[^A-Za-z0-9]/g, '')}"`;
}

export const sid: Rule = {
  meta: {
    id: 'sid',
    title: 'Sid with invalid characters or duplicated',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'A statement id (Sid) with characters other than A-Z, a-z, 0-9 in an identity policy, or the same Sid twice in one document.',
      why: 'IAM rejects identity policies whose Sids are not alphanumeric or not unique.',
      bad: '{ "Version": "2012-10-17", "Statement": [\n  { "Sid": "read-data", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*" },\n  { "Sid": "read-data", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket" }] }',
      good: '{ "Version": "2012-10-17", "Statement": [\n  { "Sid": "ReadData", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*" },\n  { "Sid": "ListData", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket" }] }',
      fix: 'Use unique, alphanumeric Sids (or none).',
    },
    messages: {
      notAlphanumeric: 'Sid "{{sid}}" must be alphanumeric (A-Z, a-z, 0-9) in an identity policy',
      duplicate: 'duplicate Sid "{{sid}}" (also statement {{first}})',
    },
  },
  document(d, { report }) {
    const seen = new Map<string, number>();
    for (const st of d.statements) {
      if (st.sid === undefined) continue;
      if (d.kind === 'identity' && !/^[A-Za-z0-9]*$/.test(st.sid)) report({ at: d.pos(st.index, 'Sid'), messageId: 'notAlphanumeric', data: { sid: st.sid }, hint: alphanumericHint(st.sid) });
      const prev = seen.get(st.sid);
      if (prev !== undefined) report({ at: d.pos(st.index, 'Sid'), messageId: 'duplicate', data: { sid: st.sid }, context: { first: prev + 1 }, hint: 'Sids must be unique within a document' });
      else seen.set(st.sid, st.index);
    }
  },
};
