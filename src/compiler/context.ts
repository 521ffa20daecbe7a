/**
 * Compile context: the loaded spec, resolved settings (prefix, partition, account), a problem
 * collector and position helpers. Every compile step reports problems here instead of throwing, so
 * one run lists every problem in the spec.
 */
import type { InputProblem, SourcePos } from '../diagnostics.js';
import { positionOf, pointer } from '../spec/yaml.js';
import type { LoadedSpec } from '../spec/types.js';
import { PARTITION_REGIONS } from '../policy/partitions.js';

export const DEFAULT_PREFIX = 'charter';
export const DEFAULT_MAX_MANAGED_POLICIES = 10;

export interface CompileOptions {
  /** Override the managed-policies-per-role quota (default: spec lint.maxManagedPolicies, else 10). */
  maxManagedPolicies?: number;
}

/**
 * The partition of a region, when the spec does not say: the one that lists it
 * (src/policy/partitions.ts), else for a region charter does not know yet, by its name's shape.
 */
export function partitionOfRegion(region: string): string {
  for (const [partition, regions] of Object.entries(PARTITION_REGIONS)) if (regions.includes(region)) return partition;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  const iso = /^[a-z]{2}-iso([bef]?)-/.exec(region);
  if (iso) return iso[1] ? `aws-iso-${iso[1]}` : 'aws-iso';
  return 'aws';
}

export class CompileContext {
  readonly loaded: LoadedSpec;
  readonly prefix: string;
  readonly region: string;
  readonly partition: string;
  readonly account: string | undefined;
  readonly maxManagedPolicies: number;
  readonly problems: InputProblem[] = [];

  constructor(loaded: LoadedSpec, opts: CompileOptions = {}) {
    const spec = loaded.spec;
    this.loaded = loaded;
    this.prefix = spec.prefix ?? DEFAULT_PREFIX;
    this.region = spec.region;
    this.partition = spec.partition ?? partitionOfRegion(spec.region);
    this.account = spec.account;
    this.maxManagedPolicies = opts.maxManagedPolicies ?? spec.lint?.maxManagedPolicies ?? DEFAULT_MAX_MANAGED_POLICIES;
  }

  /** Position of a spec node given its path segments (nearest ancestor when absent). */
  pos(...segments: Array<string | number>): SourcePos {
    return positionOf(this.loaded.yaml, pointer(...segments));
  }

  /** Position of the key naming a node (e.g. the `web:` of services.web). */
  keyPos(...segments: Array<string | number>): SourcePos {
    return positionOf(this.loaded.yaml, pointer(...segments), 'key');
  }

  /** Problems already reported (position, message, hint): a part of the spec that several services use (a named trust, a scope) is reported once. */
  private readonly reported = new Set<string>();

  problem(pos: SourcePos | undefined, message: string, hint?: string): void {
    const key = JSON.stringify([pos?.file, pos?.line, pos?.col, message, hint]);
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problems.push(hint ? { pos, message, hint } : { pos, message });
  }
}
