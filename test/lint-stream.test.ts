/**
 * Streamed lint (issue 14): a large lint of policy files alone hands findings to the formatter file
 * by file and drops them. Forced on (`stream: true`), the JSON and text reports must be byte for
 * byte the ones the whole-list path prints (`stream: false`), with the same exit code, on the AWS
 * managed policy corpus, the fixture policies, a file named twice and a file of another directory;
 * and a file only the positioned parser rejects (a duplicate key) stops the run before anything is
 * written. test/output-golden.test.ts holds the CLI output itself (and the ×8 corpus, which streams
 * without being forced, is compared by the bench, not here: it is large).
 */
import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { InputError } from '../src/diagnostics.js';
import { redactSecrets } from '../src/secrets.js';
import { runLint, type LintCommandOptions } from '../src/cli/lint-run.js';
import { policyFilesInDir } from '../src/linter/file-source.js';

const CORPUS = resolve(join('..', 'shared', 'corpora', 'aws-managed-policies'));

/** One runLint, its output redacted per write as the CLI's stdout writer does. */
async function lintOut(inputs: string[], format: 'json' | 'text', stream: boolean | undefined, over: Partial<LintCommandOptions> = {}): Promise<{ code: number | string; out: string }> {
  let out = '';
  const code = await runLint({ inputs, format, failOn: 'error', color: false, version: '0.1.0', env: {}, out: (s) => (out += redactSecrets(s)), err: () => {}, ...(stream !== undefined ? { stream } : {}), ...over }).then(
    (r) => r.exitCode,
    (e: unknown) => (e instanceof InputError ? `exit 2: ${e.problems.map((p) => p.message).join('; ')}` : Promise.reject(e)),
  );
  return { code, out };
}

/** One github-format runLint: annotations, what it appended to the job summary (when asked), exit code or the load failures it threw. */
async function githubOut(inputs: string[], stream: boolean | undefined, summary: boolean, over: Partial<LintCommandOptions> = {}): Promise<{ code: number | string; out: string; summary: string }> {
  const d = mkdtempSync(join(tmpdir(), 'charter-gh-'));
  const file = join(d, 'summary.md');
  writeFileSync(file, '# earlier step\n');
  let out = '';
  const code = await runLint({ inputs, format: 'github', failOn: 'error', color: false, version: '0.1.0', env: summary ? { GITHUB_STEP_SUMMARY: file } : {}, out: (s) => (out += redactSecrets(s)), err: () => {}, ...(stream !== undefined ? { stream } : {}), ...over }).then(
    (r) => r.exitCode,
    (e: unknown) => (e instanceof InputError ? `exit 2: ${e.problems.map((p) => p.message).join('; ')}` : Promise.reject(e)),
  );
  return { code, out, summary: readFileSync(file, 'utf8') };
}

async function expectSame(inputs: string[]): Promise<void> {
  for (const format of ['json', 'text'] as const) {
    const whole = await lintOut(inputs, format, false);
    const streamed = await lintOut(inputs, format, true);
    expect(streamed.code, `${format} exit code`).toBe(whole.code);
    expect(streamed.out === whole.out, `${format} output of ${inputs.join(' ')} differs when streamed`).toBe(true);
  }
  for (const summary of [true, false]) {
    const whole = await githubOut(inputs, false, summary);
    const streamed = await githubOut(inputs, true, summary);
    expect(streamed.code, 'github exit code').toBe(whole.code);
    expect(streamed.out === whole.out, `github annotations of ${inputs.join(' ')} differ when streamed`).toBe(true);
    expect(streamed.summary === whole.summary, `github job summary of ${inputs.join(' ')} differs when streamed`).toBe(true);
  }
}

const policyFixtures = [
  'fixtures/policies',
  ...readdirSync('fixtures/policies').filter((f) => f.endsWith('.json')).map((f) => `fixtures/policies/${f}`),
  ...readdirSync('test/fixtures/lint').filter((f) => f.endsWith('.json')).map((f) => `test/fixtures/lint/${f}`),
];

describe('streamed lint prints what the whole-list lint prints', () => {
  it('every policy fixture, one at a time and all together', async () => {
    for (const input of policyFixtures) await expectSame([input]);
    await expectSame(policyFixtures);
  });

  it('a file named twice, and files given out of name order', async () => {
    await expectSame(['test/fixtures/lint/star-star.json', 'fixtures/policies/my-policy.json', 'test/fixtures/lint/star-star.json']);
  });

  it('no findings at all: the empty report', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-stream-'));
    writeFileSync(join(d, 'ok.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/k' }] }));
    await expectSame([d]);
    expect(JSON.parse((await lintOut([d], 'json', true)).out).findings).toEqual([]);
  });

  it.skipIf(!existsSync(CORPUS))('the AWS managed policy corpus (JSON and text)', async () => {
    await expectSame([relative(process.cwd(), CORPUS)]);
  });

  it('github: inputs that do not load are annotated first and the run still exits 2; more findings than GitHub shows', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-stream-'));
    writeFileSync(join(d, 'broken.json'), '{\n  "Statement": [\n');
    for (let i = 0; i < 12; i++) writeFileSync(join(d, `p${i}.json`), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    await expectSame([d, 'test/fixtures/lint/star-star.json']);
    const streamed = await githubOut([d], undefined, true, { keepText: 0 });
    expect(streamed.code).toMatch(/^exit 2: JSON syntax/);
    expect(streamed.out.split('\n')[0]).toMatch(/^::error file=.*broken\.json,line=2,col=16,title=charter%3A cannot load::/);
    expect(streamed.out).toMatch(/more not annotated .*every finding is in the job summary/);
    expect(streamed.summary.startsWith('# earlier step\n## charter lint\n')).toBe(true);
    expect(streamed.summary.match(/^\| error \| wildcard-action \|/gm)?.length).toBe(12);
    expect(streamed).toEqual(await githubOut([d], false, true));
  });

  it('with a baseline: the findings it accepts are left out and counted as when the whole list is split', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-stream-'));
    const baseline = join(d, 'baseline.json');
    // A baseline of some of the inputs' findings (each file named the way the lint below names it).
    await runLint({ inputs: policyFixtures.slice(1, 6), format: 'json', failOn: 'error', color: false, version: '0.1.0', env: {}, out: () => {}, err: () => {}, writeBaseline: baseline });
    const inputs = policyFixtures.slice(1);
    for (const format of ['json', 'text'] as const) {
      const whole = await lintOut(inputs, format, false, { baseline });
      const streamed = await lintOut(inputs, format, true, { baseline });
      expect(streamed).toEqual(whole);
      expect(whole.out).toMatch(format === 'json' ? /"baselined": [1-9]/ : /[1-9]\d* in baseline/);
    }
    for (const summary of [true, false]) expect(await githubOut(inputs, true, summary, { baseline })).toEqual(await githubOut(inputs, false, summary, { baseline }));
  });

  it('--write-baseline: the baseline written from a streamed lint is the whole-list one', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-stream-'));
    const written: Record<string, string> = {};
    for (const stream of [true, false]) {
      const file = join(d, `baseline-${stream}.json`);
      let err = '';
      const r = await runLint({ inputs: policyFixtures.slice(1), format: 'text', failOn: 'error', color: false, version: '0.1.0', env: {}, out: () => {}, err: (s) => (err += s), writeBaseline: file, stream });
      expect(r.exitCode).toBe(0);
      written[String(stream)] = readFileSync(file, 'utf8');
      expect(err).toMatch(/^wrote [1-9]\d* finding\(s\) to baseline /);
    }
    expect(written.true).toBe(written.false);
  });

  it('past the text kept (files read again when linted and for code frames), the lint streams by itself', async () => {
    for (const format of ['json', 'text'] as const) {
      const whole = await lintOut(policyFixtures, format, false);
      const large = await lintOut(policyFixtures, format, undefined, { keepText: 0 });
      expect(large.code).toBe(whole.code);
      expect(large.out === whole.out, `${format} output differs with no text kept`).toBe(true);
    }
  });

  it('a duplicate key (which JSON.parse accepts) stops the run before anything is written', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-stream-'));
    writeFileSync(join(d, 'a.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    writeFileSync(join(d, 'b.json'), '{ "Version": "2012-10-17", "Version": "2012-10-17", "Statement": [] }');
    for (const format of ['json', 'text'] as const) {
      let out = '';
      const e = await runLint({ inputs: [d], format, failOn: 'error', color: false, version: '0.1.0', env: {}, out: (s) => (out += s), err: () => {}, stream: true }).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).problems[0]!.message).toMatch(/duplicate key "Version"/);
      expect((e as InputError).problems[0]!.pos).toMatchObject({ file: join(d, 'b.json'), line: 1, col: 28 });
      expect(out).toBe('');
    }
  });

  it('github and sarif report a duplicate key as an input that does not load, as they report a syntax error, and lint the rest', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-stream-'));
    writeFileSync(join(d, 'a.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    writeFileSync(join(d, 'b.json'), '{ "Version": "2012-10-17", "Version": "2012-10-17", "Statement": [] }');
    for (const keepText of [undefined, 0]) {
      const over = keepText === undefined ? {} : { keepText };
      const gh = await githubOut([d], undefined, false, over);
      expect(gh.code).toMatch(/^exit 2: JSON syntax: duplicate key "Version"/);
      expect(gh.out.split('\n')[0]).toMatch(/^::error file=.*b\.json,line=1,col=28,title=charter%3A cannot load::JSON syntax: duplicate key "Version"/);
      expect(gh.out).toMatch(/a\.json.*title=charter wildcard-action::/);
      let out = '';
      const sarif = await runLint({ inputs: [d], format: 'sarif', failOn: 'error', color: false, version: '0.1.0', env: {}, out: (x) => (out += x), err: () => {}, ...over }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((sarif as InputError).problems.map((p) => [p.message, p.pos?.line, p.pos?.col])).toEqual([['JSON syntax: duplicate key "Version"', 1, 28]]);
      const run = JSON.parse(out).runs[0];
      expect(run.results.some((r: { ruleId: string }) => r.ruleId === 'wildcard-action')).toBe(true);
      expect(JSON.stringify(run.invocations)).toMatch(/duplicate key/);
    }
  });

  it('a directory past the text kept: extension-less files told apart by their start, none of their text kept', () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-walk-'));
    writeFileSync(join(d, 'a'), '\uFEFF  \n\t{"Version": "2012-10-17", "Statement": []}');
    writeFileSync(join(d, 'b'), ' '.repeat(10000) + '{}');
    writeFileSync(join(d, 'c'), 'not json {');
    writeFileSync(join(d, 'd'), '');
    writeFileSync(join(d, 'e'), ' '.repeat(5000));
    writeFileSync(join(d, 'f.json'), '{}');
    // Extension-less files of 1 MiB or more are not policy files; links are followed.
    writeFileSync(join(d, 'g'), '{' + ' '.repeat(1024 * 1024 - 2) + '}');
    writeFileSync(join(d, 'h'), '{' + ' '.repeat(1024 * 1024 - 3) + '}');
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 'i.json'), '{}');
    symlinkSync(join(d, 'sub'), join(d, 'sub-link'));
    symlinkSync(join(d, 'a'), join(d, 'a-link'));
    const fits = { texts: new Map<string, string>(), chars: 4 << 20, size: 0 };
    const over = { texts: new Map<string, string>(), chars: 100, size: 0 };
    const want = ['a', 'a-link', 'b', 'f.json', 'h', 'sub/i.json', 'sub-link/i.json'].map((f) => join(d, f));
    expect(policyFilesInDir(d, fits)).toEqual(want);
    expect(policyFilesInDir(d)).toEqual(want);
    // Within the text kept, every file found is read here, once, and the policy files' texts kept for the lint.
    expect([...fits.texts.keys()]).toEqual(want);
    expect(fits.texts.get(join(d, 'a'))).toBe(readFileSync(join(d, 'a'), 'utf8'));
    // Counted: every file read here (those that turn out not to be JSON too), in characters.
    const read = ['a', 'a-link', 'b', 'c', 'd', 'e', 'f.json', 'h', 'sub/i.json', 'sub-link/i.json'];
    expect(fits.size).toBe(read.reduce((n, f) => n + readFileSync(join(d, f), 'utf8').length, 0));
    // Past the text kept: the same files, none kept, and a size past the limit (the caller then keeps no more).
    expect(policyFilesInDir(d, over)).toEqual(want);
    expect(over.texts.size).toBe(0);
    expect(over.size).toBeGreaterThan(over.chars);
  });

  it('each file is parsed once when its text is kept (whatever the format), once per read when it is not', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-parse-'));
    const texts = ['s3:GetObject', 'ec2:*', '*'].map((a) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: a, Resource: '*' }] }, null, 2));
    texts.forEach((t, i) => writeFileSync(join(d, `p${i}.json`), t));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      for (const format of ['json', 'text', 'sarif', 'github'] as const) {
        for (const keepText of [undefined, 0]) {
          parse.mockClear();
          let reads = 0;
          await runLint({ inputs: [d], format, failOn: 'error', color: false, version: '0.1.0', env: {}, out: () => {}, err: () => {}, onRead: () => reads++, ...(keepText !== undefined ? { keepText } : {}) });
          const parses = parse.mock.calls.filter(([t]) => texts.includes(t as string)).length;
          if (keepText === undefined) {
            expect(reads, `${format}: texts kept`).toBe(0);
            expect(parses, `${format}: JSON.parse of the kept texts`).toBe(texts.length);
          } else {
            // Read and parsed to check every file before any output (sarif and github, which report
            // the inputs that do not load, as they collect them), then again to lint it.
            expect(parses, `${format}: JSON.parse per file, texts not kept`).toBe(2 * texts.length);
            // (onRead counts the reads of files not kept: sarif and github read each file to check it as they collect it, before they know.)
            expect(reads, `${format}: reads per file, texts not kept`).toBe((format === 'sarif' || format === 'github' ? 1 : 2) * texts.length);
          }
        }
      }
    } finally {
      parse.mockRestore();
    }
  });

  it('a streamed lint writes each file\'s findings before it reads the next file; the whole-list lint writes after the last', async () => {
    const d = mkdtempSync(join(tmpdir(), 'charter-stream-'));
    const names = ['a.json', 'b.json', 'c.json'];
    for (const n of names) writeFileSync(join(d, n), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    for (const format of ['json', 'text'] as const) {
      for (const stream of [true, false]) {
        // One log of what happened, in order: each read of a file the lint did not keep, each write.
        const log: string[] = [];
        await runLint({ inputs: [d], format, failOn: 'error', color: false, version: '0.1.0', env: {}, out: () => log.push('write'), err: () => {}, keepText: 0, stream, onRead: (f) => log.push(`read ${relative(d, f)}`) });
        const lastRead = log.lastIndexOf('read c.json');
        expect(lastRead, `${format}: c.json is read`).toBeGreaterThan(0);
        if (stream) {
          // Every file is parsed before anything is written (a bad file stops the run with no output);
          // then each is read again, linted, and its findings written before the next is read.
          expect(log.slice(0, 3), format).toEqual(names.map((n) => `read ${n}`));
          // (text's code frames show the text the file was linted from: it is not read a third time.)
          expect(log.slice(3), format).toEqual([...names.flatMap((n) => [`read ${n}`, 'write']), 'write']);
        } else expect(log.indexOf('write'), `${format}: not streamed, written after the last read`).toBeGreaterThan(lastRead);
      }
    }
  });
});
