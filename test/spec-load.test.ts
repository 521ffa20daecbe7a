import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { specProblems } from './spec-support.js';

const problems = specProblems;

const base = 'version: 1\nname: demo\nregion: us-east-1\n';

describe('spec loading', () => {
  it('accepts a minimal spec', () => {
    expect(problems(base)).toEqual([]);
  });
  it('reports every schema problem with position and did-you-mean', () => {
    const out = problems('version: 1\nname: demo\nregion: us-east-1\nservics: {}\nservices:\n  web:\n    polices: []\n');
    expect(out).toContain('4:1 servics: unknown key "servics" (did you mean "services"?)');
    expect(out).toContain('7:5 services.web.polices: unknown key "polices" (did you mean "policies"?)');
  });
  it('reports duplicate keys', () => {
    expect(problems(base + 'name: again\n')[0]).toMatch(/^4:1 duplicate key "name" \(first at line 2\)/);
  });
  it('resolves references with did-you-mean', () => {
    const out = problems(base + 'services:\n  web:\n    policies: [s3:ReadOnyl]\n    trust: [ec3]\ninstances:\n  a: { service: wbe, type: t3.micro, image: ami-12345678 }\n');
    expect(out).toEqual([
      '6:16 unknown built-in template "s3:ReadOnyl" (did you mean "s3:ReadOnly"?)',
      '7:13 unknown trust "ec3": not a named trust nor a known service short name (did you mean "ec2"?)',
      '9:17 unknown service "wbe" (did you mean "web"?)',
    ]);
  });
  it('refuses alias bombs in bounded time', () => {
    let y = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) y += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const t0 = Date.now();
    expect(problems(y)[0]).toMatch(/expands to more than/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it('refuses absurd nesting', () => {
    expect(problems('a: ' + '['.repeat(500) + ']'.repeat(500) + '\n')[0]).toMatch(/nesting/);
  });
  it('refuses more than one document', () => {
    expect(problems(base + '---\n' + base)[0]).toMatch(/^4:1 file holds more than one YAML document/);
    expect(problems('---\n' + base + '...\n---\n' + base)[0]).toMatch(/^6:1 file holds more than one YAML document/);
  });
});

/**
 * Regression fixtures: inputs that once crashed the loader (exit 1, an internal message) or were
 * reported at the wrong place. Each file's first line says the problem it must produce:
 * `# expect: line:col message (hint)`.
 */
describe('bad-input fixtures are reported, not crashed on', () => {
  const dir = new URL('./fixtures/bad-input/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  it('the fixture directory is not empty', () => {
    expect(files.length).toBeGreaterThan(5);
  });
  for (const f of files) {
    it(f, () => {
      const text = readFileSync(new URL(f, dir), 'utf8');
      const expected = /^# expect: (.*)$/m.exec(text)?.[1];
      expect(expected, 'fixture names its expected problem').toBeDefined();
      expect(problems(text)).toContain(expected);
    });
  }
});
