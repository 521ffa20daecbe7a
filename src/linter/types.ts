/**
 * The linter's vocabulary: findings, rules, and the views rules look at (one policy document,
 * one principal = the union of a role's documents, one spec with its launches).
 */
import type { SourcePos } from '../diagnostics.js';
import type { Bundle, LaunchGroup, Role } from '../compiler/types.js';
import type { LoadedSpec } from '../spec/types.js';
import type { IamData } from '../policy/iam-data.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export const CATEGORIES = [
  'grammar',
  'least-privilege',
  'privilege-escalation',
  'exfiltration',
  'credentials-exposure',
  'trust',
  'condition',
  'size',
  'launch',
  'secrets',
  'access-analyzer',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** A place in a source file; `pointer` is a JSON pointer into the spec or policy file when known. */
export interface Loc extends SourcePos {
  pointer?: string;
}

/** One finding. The JSON output is exactly these fields (see rules/README.md). */
export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  hint?: string;
  /** JSON pointer into the spec (or policy file) of the thing found, when known. */
  pointer?: string;
  /** What the finding is about: "role trainer", "launch train", "file x.json". */
  subject?: string;
  /** The id of the message in the rule's `meta.messages` the finding was reported with. */
  messageId?: string;
  /** The values of the message's placeholders. */
  data?: Record<string, string>;
}

export interface RuleDocs {
  /** What the rule reports. */
  what: string;
  /** Why it matters. */
  why: string;
  /** A bad example (YAML spec fragment or policy JSON). */
  bad: string;
  /** The good version. */
  good: string;
  /** How to fix. */
  fix: string;
}

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  category: Category;
  docs: RuleDocs;
  /**
   * The rule's messages by id, with `{{name}}` placeholders filled from a report's `data`
   * (ESLint's meta.messages). A finding's identity (baselines, SARIF fingerprints) is the rule,
   * the message id and the data, so rewording a message invalidates no baseline.
   */
  messages?: Record<string, string>;
}

/** A report names a message of the rule's `meta.messages`, with its data (every rule reports this way). */
export interface ReportInput {
  at: Loc;
  messageId: string;
  /** Placeholder values that identify the finding (part of its fingerprint). */
  data?: Record<string, string | number>;
  /** Placeholder values for the reader only (where each action is granted, line numbers): not part of the identity. */
  context?: Record<string, string | number>;
  hint?: string;
  /** Overrides the rule's default severity for this finding (before spec overrides). */
  severity?: Severity;
  subject?: string;
}

export type Report = (f: ReportInput) => void;

/** A normalised condition entry: { Operator: { key: values } }. */
export interface Cond {
  /** The operator as written, e.g. "ForAllValues:StringLikeIfExists". */
  op: string;
  /** Base operator without set qualifier or IfExists, e.g. "StringLike". */
  base: string;
  set?: 'ForAllValues' | 'ForAnyValue';
  ifExists: boolean;
  key: string;
  values: string[];
  /** Raw values, before string conversion (for type checks). */
  raw: unknown;
}

/** A statement as the rules see it: lists are arrays of strings, missing elements undefined. */
export interface Stmt {
  index: number;
  raw: Record<string, unknown>;
  sid?: string;
  effect?: string;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: unknown;
  notPrincipal?: unknown;
  conditions: Cond[];
}

export type DocKind = 'identity' | 'trust';

/** One policy document: from a policy file, or a role's inline/managed/trust policy in a bundle. */
export interface DocView {
  /** Unique id (file path, or "<role address>#inline:<name>"). */
  id: string;
  /** For messages: "inline policy p of role r", "policy file x.json". */
  label: string;
  kind: DocKind;
  /** Where it lives: a policy file, or the inline / customer-managed / trust document of a role. */
  container: 'file' | 'inline' | 'managed' | 'trust';
  /** The parsed document, as is (policy files may be malformed: grammar rules check the shape). */
  raw: unknown;
  /** Statements that are objects, normalised. */
  statements: Stmt[];
  /** Non-whitespace characters (IAM's measure). */
  size: number;
  /** The file findings point into. */
  file: string;
  /** The source text, for policy files (sent as is to Access Analyzer, so its spans map back). */
  text?: string;
  /** Position of the document (path empty), a statement, or an element inside a statement. */
  pos(stmt?: number, ...path: Array<string | number>): Loc;
  /** Position of the key of an element (for "unknown key" and similar). */
  keyPos(stmt: number | undefined, ...path: Array<string | number>): Loc;
  /** The principal (role or file) this document belongs to. */
  principalId: string;
  /** Whether statements carry spec positions from the compiler (vs exact JSON positions). */
  fromSpec: boolean;
  /** Trust-policy size limit from the spec (lint.trustPolicyLimit). */
  trustLimit?: number;
  /** The account the document lives in, when known (bundle.account). */
  account?: string;
  /** Where a compiled statement came from ("builtin s3:FullAccess", "statements[2]", ...). */
  origin?(stmt: number): string[];
}

export interface ManagedRef {
  arn: string;
  kind: 'aws' | 'customer';
  at: Loc;
}

/** The union of what one principal holds: a role's trust, inline and managed documents, or one file. */
export interface PrincipalView {
  id: string;
  label: string;
  /** Identity documents (inline + customer-managed, or the file). */
  docs: DocView[];
  trust?: DocView;
  managed: ManagedRef[];
  role?: Role;
  /** Managed-policy quota from the spec (lint.maxManagedPolicies). */
  limitManaged?: number;
  at: Loc;
}

/** A spec with its compiled bundle (when compile succeeded). */
export interface SpecView {
  loaded: LoadedSpec;
  bundle?: Bundle;
  /** Position of a spec path (nearest ancestor that exists). */
  pos(ptr: string, which?: 'key' | 'value'): Loc;
  /** Absolute path → display path for files next to the spec. */
  display(absPath: string): string;
  launches: LaunchGroup[];
  /** The spec's roles as the principal rules see them (AWS managed policies known by name joined), for rules across roles. */
  principals: PrincipalView[];
  /** `--reference live`: roles read from AWS beside the spec's own (same prefix, not this spec's), for rules across roles. */
  liveRoles: LiveRoleView[];
}

/** A live role as lint input: its ARN and documents as read (no source positions: findings point into the spec). */
export interface LiveRoleInput {
  name: string;
  arn: string;
  trust: unknown;
  /** Inline and customer-managed policy documents, each with a label ("inline policy p", "policy x (v2)"). */
  policies: Array<{ label: string; document: unknown }>;
  /** ARNs of the AWS managed policies attached (modelled by name where charter knows them). */
  awsManaged: string[];
}

/** A live role as rules see it: a principal whose documents carry the spec's position (they have none of their own). */
export interface LiveRoleView {
  name: string;
  arn: string;
  principal: PrincipalView;
}

export interface RuleContext {
  iam: IamData;
  report: Report;
  /** The time lint decides "in the past" against (ms since the epoch; LintOptions.now). */
  now: number;
}

export interface Rule {
  meta: RuleMeta;
  /** Per document (policy files, and each document of each role). */
  document?(d: DocView, ctx: RuleContext): void;
  /** Per principal: the union of its documents. */
  principal?(p: PrincipalView, ctx: RuleContext): void;
  /** Per spec: launches, security groups, agent, spec-only settings. */
  spec?(s: SpecView, ctx: RuleContext): void;
}
