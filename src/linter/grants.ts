/**
 * What a principal is allowed to do, over the union of its documents: which Allow statements
 * grant an action, whether an explicit unconditional Deny takes it away, and how scoped a grant is.
 * Wildcards in Action/NotAction are matched against the concrete action names the rules ask about.
 */
import { globMatch, hasWildcard } from './glob.js';
import type { DocView, PrincipalView, Stmt } from './types.js';

export interface Grant {
  doc: DocView;
  st: Stmt;
  /** The Action pattern that matched (undefined when granted through NotAction). */
  pattern?: string;
}

export function stmtCoversAction(st: Stmt, action: string): string | undefined | false {
  if (st.action) {
    for (const p of st.action) if (p === '*' || globMatch(p, action)) return p;
    return false;
  }
  if (st.notAction) {
    for (const p of st.notAction) if (p === '*' || globMatch(p, action)) return false;
    return undefined;
  }
  return false;
}

/** Whether a statement's resources cover everything ("*" or NotResource). */
export function allResources(st: Stmt): boolean {
  if (st.notResource) return true;
  return (st.resource ?? []).some((r) => r === '*');
}

/** Whether every resource of the statement is a specific ARN (no wildcard at all). */
export function specificResources(st: Stmt): boolean {
  if (st.notResource || !st.resource || st.resource.length === 0) return false;
  return st.resource.every((r) => !hasWildcard(r));
}

export function isAllow(st: Stmt): boolean {
  return st.effect === 'Allow';
}

/** Deny statements that take the action away everywhere, without conditions. */
function deniedEverywhere(docs: DocView[], action: string): boolean {
  for (const d of docs)
    for (const st of d.statements) {
      if (st.effect !== 'Deny' || st.conditions.length) continue;
      if (!allResources(st)) continue;
      if (stmtCoversAction(st, action) !== false) return true;
    }
  return false;
}

/** Allow statements granting `action` to the principal (empty when denied everywhere). */
export function grantsOf(p: PrincipalView, action: string, extra: DocView[] = []): Grant[] {
  const docs = [...p.docs, ...extra];
  const out: Grant[] = [];
  for (const d of docs)
    for (const st of d.statements) {
      if (!isAllow(st)) continue;
      const m = stmtCoversAction(st, action);
      if (m === false) continue;
      out.push(m === undefined ? { doc: d, st } : { doc: d, st, pattern: m });
    }
  if (out.length && deniedEverywhere(docs, action)) return [];
  return out;
}

/** The best (broadest) grant: unconditional on all resources first. */
export function broadest(grants: Grant[]): Grant | undefined {
  const score = (g: Grant) => (allResources(g.st) ? 2 : 0) + (g.st.conditions.length === 0 ? 1 : 0);
  let best: Grant | undefined;
  for (const g of grants) if (!best || score(g) > score(best)) best = g;
  return best;
}

/** Whether a grant is unconstrained: all resources and no condition. */
export function unconstrained(g: Grant): boolean {
  return allResources(g.st) && g.st.conditions.length === 0;
}
