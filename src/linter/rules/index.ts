/** Every rule, in the order `charter rules` lists them. */
import type { Rule } from '../types.js';
import { policyVersion } from './policy-version.js';
import { policyShape } from './policy-shape.js';
import { statementEffect } from './statement-effect.js';
import { statementAction } from './statement-action.js';
import { statementResource } from './statement-resource.js';
import { statementPrincipal } from './statement-principal.js';
import { conditionOperator } from './condition-operator.js';
import { conditionValue } from './condition-value.js';
import { sid } from './sid.js';
import { emptyArray } from './empty-array.js';
import { unknownAction } from './unknown-action.js';
import { arnSyntax } from './arn-syntax.js';
import { resourceTypeMismatch } from './resource-type-mismatch.js';
import { conditionKeyUnknown } from './condition-key-unknown.js';
import { conditionKeyNotApplicable } from './condition-key-not-applicable.js';
import { lintConfig } from './lint-config.js';
import { unusedSuppression } from './unused-suppression.js';

export const ALL_RULES: readonly Rule[] = [
  policyShape,
  policyVersion,
  statementEffect,
  statementAction,
  statementResource,
  statementPrincipal,
  sid,
  emptyArray,
  unknownAction,
  arnSyntax,
  resourceTypeMismatch,
  conditionOperator,
  conditionValue,
  conditionKeyUnknown,
  conditionKeyNotApplicable,
  lintConfig,
  unusedSuppression,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
export const META_RULES: ReadonlyMap<string, Rule> = new Map([lintConfig, unusedSuppression].map((r) => [r.meta.id, r]));
