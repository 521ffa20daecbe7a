/** exfiltration: unconstrained read of data and secrets. */
import { ActionTable, allResources, deniedInDoc } from '../grants.js';
import { elementPath } from '../doc-model.js';
import type { Rule } from '../types.js';

export const SENSITIVE_READS: ReadonlyArray<[string, string]> = [
  ['s3:GetObject', 'every object in every bucket'],
  ['s3:GetObjectVersion', 'every version of every object'],
  ['ssm:GetParameter', 'every SSM parameter (SecureStrings included, with kms:Decrypt)'],
  ['ssm:GetParameters', 'every SSM parameter'],
  ['ssm:GetParametersByPath', 'every SSM parameter tree'],
  ['secretsmanager:GetSecretValue', 'every secret in Secrets Manager'],
  ['kms:Decrypt', 'anything encrypted with any KMS key the key policies let it use'],
  ['dynamodb:Scan', 'every item of every table'],
  ['dynamodb:GetItem', 'items of every table'],
  ['rds-data:ExecuteStatement', 'every Aurora database through the Data API'],
];
/** The table's actions, indexed: one walk over a statement's patterns finds those it covers. */
const READS = new ActionTable(SENSITIVE_READS.map(([a]) => a));

export const dataExfiltration: Rule = {
  meta: {
    id: 'data-exfiltration',
    title: 'Unconstrained read of data or secrets',
    severity: 'warning',
    category: 'exfiltration',
    docs: {
      what: 'An Allow, on every resource and without conditions, of an action that reads data or secrets: s3:GetObject, s3:GetObjectVersion, ssm:GetParameter(s/ByPath), secretsmanager:GetSecretValue, kms:Decrypt, dynamodb:Scan/GetItem, rds-data:ExecuteStatement.',
      why: 'A leaked instance credential with these reads every secret and object in the account. The seeds\' secretsmanager:ReadOnly and ssm:ReadOnly built-ins do exactly this when left unscoped.',
      bad: 'policies: [secretsmanager:ReadOnly]      # Resource "*"',
      good: 'policies: [secretsmanager:ReadOnly]\nscope: { secretsmanager: ["arn:aws:secretsmanager:{region}:{accountId}:secret:myapp/*"] }',
      fix: 'Scope to the ARNs (built-ins take `scope`), or for kms:Decrypt add a kms:ViaService condition.',
    },
    messages: {
      exfiltration: '{{action}} on every resource without conditions reads {{what}}{{more}}',
    },
  },
  document(d, { report }) {
    if (d.kind !== 'identity') return;
    for (const st of d.statements) {
      if (st.effect !== 'Allow' || st.conditions.length || !allResources(st)) continue;
      if (st.action?.some((a) => a === '*' || a === '*:*')) continue; // wildcard-action already says "everything"
      const covered = READS.covered(st);
      if (covered.length === 0) continue;
      const hits = covered.filter((h) => !deniedInDoc(d, st, READS.actions[h.k]!));
      if (hits.length === 0) continue;
      const [a, what] = SENSITIVE_READS[hits[0]!.k]!;
      const pat = hits[0]!.pattern;
      const more = hits.length > 1 ? ` (also ${hits.slice(1).map((h) => READS.actions[h.k]).join(', ')})` : '';
      report({ at: typeof pat === 'string' ? d.pos(st.index, ...elementPath(st, 'Action', pat)) : d.keyPos(st.index, 'NotAction'), messageId: 'exfiltration', data: { action: a, what }, context: { more }, hint: 'scope it to the ARNs the workload reads' });
    }
  },
};
