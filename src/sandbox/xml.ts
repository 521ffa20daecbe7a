/**
 * A tiny XML writer for the query protocols. Values map to elements: objects → child elements in
 * key order, arrays → one `listTag` element per item (`member` for awsQuery, `item` for ec2Query),
 * XmlList → items under an explicit tag (e.g. `entry` for maps), Date → ISO 8601 without millis.
 */
export class XmlList {
  constructor(readonly tag: string, readonly items: XmlValue[]) {}
}

export type XmlValue = string | number | boolean | Date | undefined | null | XmlList | XmlValue[] | { [k: string]: XmlValue };

/** Text content: only &, < and > need escaping (quotes stay literal, as in AWS's responses). */
export function escapeXml(s: string): string {
  return s
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    // Characters XML 1.0 cannot carry at all (they can only arrive in echoed input).
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

export function isoDate(d: Date | number): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function inner(v: XmlValue, listTag: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return escapeXml(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return isoDate(v);
  if (v instanceof XmlList) return v.items.map((i) => element(v.tag, i, listTag)).join('');
  if (Array.isArray(v)) return v.map((i) => element(listTag, i, listTag)).join('');
  let out = '';
  for (const [k, child] of Object.entries(v)) if (child !== undefined && child !== null) out += element(k, child, listTag);
  return out;
}

export function element(name: string, v: XmlValue, listTag: string): string {
  const body = inner(v, listTag);
  return body === '' ? `<${name}/>` : `<${name}>${body}</${name}>`;
}

/** A whole document: `<?xml …?><root xmlns="ns">…</root>`. */
export function xmlDocument(root: string, ns: string | undefined, v: XmlValue, listTag: string): string {
  const attr = ns ? ` xmlns="${ns}"` : '';
  const body = inner(v, listTag);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${attr}>${body}</${root}>`;
}
