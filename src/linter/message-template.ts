/** `{{name}}` placeholders of a rule message (ESLint's meta.messages), filled from data. */

/** Fill `template`'s placeholders from `data`; `missing` decides what a placeholder without data becomes. */
export function fillMessage(template: string, data: Record<string, string>, missing: (name: string) => string): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, k: string) => data[k] ?? missing(k));
}
