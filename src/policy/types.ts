/**
 * IAM policy documents as JSON values. Used by the compiler (output), the linter (input: compiled
 * or from files), plan (live vs desired) and the sandbox (validation).
 */
export type ConditionValue = string | number | boolean | Array<string | number | boolean>;
/** { Operator: { ConditionKey: value } } */
export type ConditionBlock = Record<string, Record<string, ConditionValue>>;

export type PrincipalValue = '*' | Record<string, string | string[]>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PrincipalValue;
  NotPrincipal?: PrincipalValue;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

export const POLICY_VERSION = '2012-10-17';
