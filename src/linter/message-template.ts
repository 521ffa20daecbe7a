/** `{{name}}` placeholders of a rule message (ESLint's meta.messages), filled from data. */

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/**
 * Each template cut at its placeholders once: literal, name, literal, …, literal (names at the odd
 * indices). Templates are the rules' messages: a few hundred strings, filled for every finding.
 */
const cut = new Map<string, string[]>();

function partsOf(template: string): string[] {
  let parts = cut.get(template);
  if (parts === undefined) {
    parts = [];
    let at = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      parts.push(template.slice(at, m.index), m[1]!);
      at = m.index + m[0].length;
    }
    parts.push(template.slice(at));
    // Bounded all the same (a caller could fill templates of its own making).
    if (cut.size >= 4096) cut.clear();
    cut.set(template, parts);
  }
  return parts;
}

/**
 * Fill `template`'s placeholders from `data` (numbers as String gives them), then `fallback` for
 * names `data` lacks; `missing` decides what a placeholder without either becomes.
 */
export function fillMessage(template: string, data: Readonly<Record<string, string | number>>, missing: (name: string) => string, fallback?: Readonly<Record<string, string | number>>): string {
  const parts = partsOf(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const k = parts[i]!;
    out += (data[k] ?? (fallback === undefined ? undefined : fallback[k]) ?? missing(k)) + parts[i + 1]!;
  }
  return out;
}
