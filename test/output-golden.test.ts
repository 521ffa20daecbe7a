/**
 * Byte-identical CLI output (issue 14: the performance work must not change a byte). `charter lint`
 * in every format and `charter compile` (text and json) run in-process through the CLI entry
 * (src/cli/main.ts, stdout captured) on every fixture, and `charter lint` on the AWS managed policy
 * corpus; each output and exit code is compared with test/golden/output/. The corpus JSON is kept
 * gzipped in full (gunzip it to see which finding moved); its other formats by sha256. One
 * subprocess runs the built bin/charter.js (the bundle users run) on the corpus and on a fixture.
 *
 * The goldens were made from main before the performance work. After an intended change to
 * findings or formats, review and regenerate with:
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/output-golden.test.ts
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { charter, charterProcess } from './cli-support.js';

const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const GOLDEN = 'test/golden/output';
const CORPUS_DEFAULT = resolve(join('..', 'shared', 'corpora', 'aws-managed-policies'));
// Findings name files as typed (and fingerprints hash the name): the corpus golden holds for the
// corpus at its usual place, given by its relative path.
const corpusHere = existsSync(CORPUS_DEFAULT) && (process.env.CHARTER_CORPUS === undefined || resolve(process.env.CHARTER_CORPUS) === CORPUS_DEFAULT);
const CORPUS = relative(process.cwd(), CORPUS_DEFAULT);
const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

/** Every lint input among the fixtures: specs, policy files, the policy directory. */
const LINT_INPUTS = [
  ...readdirSync('fixtures').filter((f) => f.endsWith('.yaml')).sort().map((f) => `fixtures/${f}`),
  'fixtures/policies',
  ...readdirSync('test/fixtures/lint').filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => `test/fixtures/lint/${f}`),
];
const SPECS = readdirSync('fixtures').filter((f) => f.endsWith('.yaml')).sort().map((f) => `fixtures/${f}`);

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const nameOf = (input: string) => input.replace(/^(test\/)?fixtures\//, (m) => (m.startsWith('test') ? 'test-' : '')).replace(/[/.]/g, '_');

/** The CLI in process (test/cli-support.ts: stdout/stderr captured, one run at a time). */
const cli = (args: string[]) => charter(args);

/** The golden record of one run: exit code, stderr, stdout. */
const record = (r: { code: number; stdout: string; stderr: string }) => `exit ${r.code}\n--- stderr\n${r.stderr}--- stdout\n${r.stdout}`;

function check(file: string, actual: string | Buffer, compare: (golden: Buffer) => void): void {
  const path = join(GOLDEN, file);
  if (UPDATE) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${path}: run UPDATE_GOLDEN=1 npx vitest run test/output-golden.test.ts`);
  compare(readFileSync(path));
}

const checkText = (file: string, actual: string) => check(file, actual, (g) => expect(actual, `${file} differs from the golden`).toBe(g.toString('utf8')));

describe('lint output on every fixture is byte-identical to the golden', () => {
  for (const input of LINT_INPUTS)
    it(input, async () => {
      for (const format of FORMATS) checkText(`lint.${nameOf(input)}.${format}.txt`, record(await cli(['lint', input, '--format', format, '--no-color'])));
    });
});

describe('compile output on every fixture is byte-identical to the golden', () => {
  for (const spec of SPECS)
    it(spec, async () => {
      for (const format of ['text', 'json']) checkText(`compile.${nameOf(spec)}.${format}.txt`, record(await cli(['compile', spec, '--format', format])));
    });
});

describe.skipIf(!corpusHere)(`lint output on the AWS managed policy corpus is byte-identical to the golden${corpusHere ? '' : ` (skipped: no corpus at ${CORPUS_DEFAULT}, or CHARTER_CORPUS points elsewhere)`}`, () => {
  it('json (in full), text, sarif, github (sha256)', async () => {
    const hashes: Record<string, string> = {};
    for (const format of FORMATS) {
      const rec = record(await cli(['lint', CORPUS, '--format', format, '--no-color']));
      if (format === 'json') check('corpus.lint.json.txt.gz', gzipSync(rec, { level: 9 }), (g) => expect(rec === gunzipSync(g).toString('utf8'), 'corpus JSON differs from test/golden/output/corpus.lint.json.txt.gz').toBe(true));
      hashes[format] = sha(rec);
    }
    checkText('corpus.lint.sha256.json', JSON.stringify(hashes, null, 2) + '\n');
  });

  it('the built CLI (bin/charter.js, as users run it) prints the same corpus JSON', async () => {
    const golden = join(GOLDEN, 'corpus.lint.json.txt.gz');
    if (UPDATE || !existsSync(golden)) return;
    const p = await charterProcess(['lint', CORPUS, '--format', 'json']);
    expect(record(p) === gunzipSync(readFileSync(golden)).toString('utf8'), 'bin/charter.js corpus JSON differs from the golden (is dist/ built?)').toBe(true);
  });
});
