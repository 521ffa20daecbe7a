/**
 * `--access-analyzer`: the calls. Every document through IAM Access Analyzer (ValidatePolicy;
 * CheckNoNewAccess against a reference compile or, with --reference live, the live documents
 * (src/linter/live-reference.ts, set up by src/cli/lint-live.ts); CheckAccessNotGranted against a
 * deny-list). Identical documents are checked once. Here, beside the CLI, so the linter imports no
 * src/aws: it gets the results as data (src/linter/aa.ts turns them into findings).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsClients } from '../aws/clients.js';
import { checkAccessNotGranted, checkNoNewAccess, validatePolicy } from '../aws/access-analyzer.js';
import { RuntimeError } from '../diagnostics.js';
import { prettyJson, sha256Hex } from '../policy/canonical.js';
import type { AaCheckResult, AaFinding } from '../policy/access-analyzer-types.js';
import { sharedIamData } from '../policy/iam-data.js';
import { aaDocument, type AaDocResult, type AccessAnalyzer } from '../linter/aa.js';
import { liveRefKey, type LiveReference } from '../linter/live-reference.js';

export const DEFAULT_DENY_ACTIONS = ['iam:*', 'organizations:*', 'account:*'];

export interface AaOptions {
  clients: AwsClients;
  /** A previous `charter compile --out DIR` (or a directory of policy files with the same paths). */
  referenceDir?: string;
  /**
   * `--reference live`: each compiled document's live counterpart (src/linter/live-reference.ts).
   * Policy files given to lint have none and are not compared.
   */
  liveReference?: LiveReference;
  denyActions?: string[];
  concurrency?: number;
}

/** Reference documents by DocView id, from a `charter compile --out` directory. */
function readReference(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) throw new RuntimeError(`--reference ${dir} does not exist`);
  const rolesDir = join(dir, 'roles');
  if (existsSync(rolesDir))
    for (const f of readdirSync(rolesDir)) {
      if (!f.endsWith('.json')) continue;
      const r = JSON.parse(readFileSync(join(rolesDir, f), 'utf8')) as { address: string; trust: unknown; inline?: Record<string, unknown> };
      out.set(`${r.address}#trust`, prettyJson(r.trust));
      for (const [name, doc] of Object.entries(r.inline ?? {})) out.set(`${r.address}#inline:${name}`, prettyJson(doc));
    }
  const polDir = join(dir, 'policies');
  if (existsSync(polDir))
    for (const f of readdirSync(polDir)) {
      if (!f.endsWith('.json')) continue;
      const m = JSON.parse(readFileSync(join(polDir, f), 'utf8')) as { role: string; name: string; document: unknown };
      out.set(`${m.role}#managed:${m.name}`, prettyJson(m.document));
    }
  return out;
}

async function pool<T>(items: T[], n: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) {
        const k = i++;
        await fn(items[k]!, k);
      }
    }),
  );
}

/**
 * CheckAccessNotGranted takes concrete action names (at most 100 per call, no wildcards): expand
 * the deny-list with the IAM reference data and split it into batches.
 */
export async function denyBatches(deny: string[]): Promise<string[][]> {
  const iam = sharedIamData();
  await iam.loadServices(deny.map((a) => a.split(':')[0]!).filter((s) => s && !s.includes('*')));
  const names = new Set<string>();
  for (const a of deny) {
    if (!/[*?]/.test(a)) {
      names.add(a);
      continue;
    }
    for (const q of iam.expand(a)) {
      const [svc, name] = q.split(':');
      names.add(`${svc}:${iam.actionNames(svc!)?.get(name!) ?? name}`);
    }
  }
  const list = [...names].sort();
  const out: string[][] = [];
  for (let i = 0; i < list.length; i += 100) out.push(list.slice(i, i + 100));
  return out;
}

/** The Access Analyzer calls for lint (LintOptions.accessAnalyzer): one result per document, in order. */
export function accessAnalyzerCalls(o: AaOptions): AccessAnalyzer {
  return {
    async analyze(docs) {
      const deny = o.denyActions ?? DEFAULT_DENY_ACTIONS;
      const batches = deny.length ? await denyBatches(deny) : [];
      const ref = o.referenceDir ? readReference(o.referenceDir) : undefined;
      const validations = new Map<string, Promise<AaFinding[]>>();
      const checks = new Map<string, Promise<AaCheckResult>>();
      let calls = 0;
      const once = <T>(m: Map<string, Promise<T>>, key: string, fn: () => Promise<T>): Promise<T> => {
        let p = m.get(key);
        if (!p) {
          calls++;
          m.set(key, (p = fn()));
        }
        return p;
      };
      const results: AaDocResult[] = docs.map(() => ({ validation: [] }));
      await pool(docs, o.concurrency ?? 6, async (d, i) => {
        const out = results[i]!;
        const doc = aaDocument(d);
        const key = sha256Hex(`${doc.policyType}\u0000${doc.resourceType ?? ''}\u0000${doc.text}`);
        out.validation = await once(validations, key, () => validatePolicy(o.clients, doc));
        const newAccess = async (existing: string, against: string, hint: string): Promise<void> => {
          if (existing === doc.text) return;
          const check = await once(checks, sha256Hex(`nna\u0000${doc.policyType}\u0000${doc.text}\u0000${existing}`), () => checkNoNewAccess(o.clients, doc.text, existing, doc.policyType));
          out.newAccess = { check, against, hint };
        };
        if (o.liveReference) {
          const lr = d.fromSpec ? o.liveReference.get(liveRefKey(d.file, d.id)) : undefined;
          if (lr && 'missing' in lr) out.newAccess = { missing: lr.missing };
          else if (lr) await newAccess(lr.text, lr.against, 'review the broadening before applying; accept it with a reasoned lint.ignore');
        } else if (ref || (o.referenceDir && d.text !== undefined)) {
          const existing = ref?.get(d.id) ?? (o.referenceDir && d.text !== undefined && existsSync(join(o.referenceDir, d.file)) ? readFileSync(join(o.referenceDir, d.file), 'utf8') : undefined);
          if (existing !== undefined) await newAccess(existing, 'the reference', 'review the broadening; accept it with a reasoned lint.ignore or a new reference');
        }
        if (d.kind === 'identity' && batches.length) {
          let res: AaCheckResult | undefined;
          for (const batch of batches) {
            res = await once(checks, sha256Hex(`ang\u0000${doc.text}\u0000${batch.join(',')}`), () => checkAccessNotGranted(o.clients, doc.text, batch, 'IDENTITY_POLICY'));
            if (res.result === 'FAIL') break;
          }
          if (res) out.accessGranted = { check: res, deny };
        }
      });
      return { results, calls };
    },
  };
}
