/**
 * AWS managed policies. Without a catalogue the sandbox accepts any well-formed
 * `arn:aws:iam::aws:policy/…` (it cannot know AWS's list) and serves metadata but no document. With
 * one (option awsManagedPolicies: a directory with one file per policy, named by policy name and
 * holding its default version's document — the layout of an aws-managed-policies corpus — or a
 * map from name or full ARN to document), unknown ARNs are NoSuchEntity like AWS, and
 * GetPolicy/GetPolicyVersion/ListPolicies/GAAD serve the documents (as version v1).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from './context.js';
import { boundaryCount } from './iam-shapes.js';
import type { XmlValue } from './xml.js';

export const AWS_POLICY_DATE = Date.UTC(2015, 1, 6, 18, 40, 0);

export class AwsManagedCatalogue {
  private byName?: Map<string, string>;
  private byArn?: Map<string, string>;

  constructor(private readonly source: string | Record<string, string>) {}

  private load(): void {
    if (this.byName) return;
    this.byName = new Map();
    this.byArn = new Map();
    if (typeof this.source === 'string') {
      for (const f of readdirSync(this.source).sort()) {
        const full = join(this.source, f);
        if (!/^[\w+=,.@-]+$/.test(f) || !statSync(full).isFile()) continue;
        this.byName.set(f, readFileSync(full, 'utf8'));
      }
    } else {
      for (const [k, doc] of Object.entries(this.source)) {
        if (k.startsWith('arn:')) this.byArn.set(k, doc);
        else this.byName.set(k, doc);
      }
    }
  }

  /** The document for an AWS managed ARN (by full ARN, else by name under any path). */
  document(arn: string): string | undefined {
    this.load();
    return this.byArn!.get(arn) ?? this.byName!.get(arn.slice(arn.lastIndexOf('/') + 1));
  }

  /** Every ARN the catalogue knows (names without a path are listed under `/`). */
  arns(): string[] {
    this.load();
    return [...this.byArn!.keys(), ...[...this.byName!.keys()].map((n) => `arn:aws:iam::aws:policy/${n}`)].sort();
  }
}

export const isAwsManaged = (arn: string): boolean => /^arn:aws[\w-]*:iam::aws:policy\//.test(arn);

export const policyPathOf = (arn: string): string => arn.slice(arn.indexOf(':policy') + 7, arn.lastIndexOf('/') + 1);

/** Does this AWS managed ARN exist (always true without a catalogue)? */
export function awsManagedExists(ctx: Ctx, arn: string): boolean {
  return ctx.opts.awsManaged === undefined || ctx.opts.awsManaged.document(arn) !== undefined;
}

export function awsPolicyXml(ctx: Ctx, arn: string): { [k: string]: XmlValue } {
  let n = 0;
  for (const r of Object.values(ctx.state.roles)) if (r.attached.includes(arn)) n++;
  return {
    PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyId: 'ANPA' + idFromArn(arn), Arn: arn, Path: policyPathOf(arn), DefaultVersionId: 'v1',
    AttachmentCount: n, PermissionsBoundaryUsageCount: boundaryCount(ctx, arn), IsAttachable: true, CreateDate: new Date(AWS_POLICY_DATE), UpdateDate: new Date(AWS_POLICY_DATE),
  };
}

function idFromArn(arn: string): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let h = 0x811c9dc5;
  let out = '';
  for (let i = 0; i < 17; i++) {
    for (let k = 0; k < arn.length; k++) h = Math.imul(h ^ arn.charCodeAt(k) ^ i, 0x01000193) >>> 0;
    out += A[h % 32];
  }
  return out;
}

/** AWS managed policies attached to some role, sorted. */
export function awsManagedAttached(ctx: Ctx): string[] {
  const s = new Set<string>();
  for (const r of Object.values(ctx.state.roles)) for (const a of r.attached) if (isAwsManaged(a)) s.add(a);
  return [...s].sort();
}
