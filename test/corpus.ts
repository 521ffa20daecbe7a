/**
 * The AWS managed policy corpus (../shared/corpora/aws-managed-policies beside the checkout, or
 * CHARTER_CORPUS). CI always has it, so a missing corpus FAILS: `requireCorpus()` adds one test
 * saying where it looked. CHARTER_NO_CORPUS=1 runs the suite without it on purpose: the corpus
 * suites are skipped and their names say why (`corpusSuiteName`).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

export const CORPUS = resolve(process.env.CHARTER_CORPUS ?? join(fileURLToPath(new URL('..', import.meta.url)), '..', 'shared', 'corpora', 'aws-managed-policies'));
export const haveCorpus = existsSync(CORPUS);
const optedOut = process.env.CHARTER_NO_CORPUS === '1';

/** Call at a test file's top level: a failing test when the corpus is missing and nobody opted out. */
export function requireCorpus(): void {
  if (haveCorpus || optedOut) return;
  it(`the AWS managed policy corpus is at ${CORPUS}`, () => {
    expect.fail(`AWS managed policy corpus not found at ${CORPUS}: put it there (CI has it beside the checkout), point CHARTER_CORPUS at a copy, or set CHARTER_NO_CORPUS=1 to skip the corpus tests`);
  });
}

/** The name of a suite that runs on the corpus: says why when it is skipped. */
export function corpusSuiteName(what: string): string {
  return haveCorpus ? `${what} (${CORPUS})` : `${what} (skipped: no corpus at ${CORPUS}${optedOut ? ', CHARTER_NO_CORPUS=1' : ''})`;
}
