/**
 * Tag comparison shared by the compiler, the planner, the live reader's caller and apply: which
 * keys charter reconciles on a live resource and what it writes to get there. Pure.
 */

export function sortedTags(t: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(t).sort()) out[k] = t[k]!;
  return out;
}

/**
 * The tags apply reconciles on an existing resource: the spec's keys, and keys with charter's own
 * `{prefix}:` (removed when the spec no longer has them). Other keys (set by other tools, or a
 * user tag since dropped from the spec) are left as they are, so plan must not count them either.
 */
export function reconciledTags(live: Record<string, string>, want: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(live)) if (k in want || k.startsWith(`${prefix}:`)) out[k] = v;
  return sortedTags(out);
}

/** What apply writes to bring `live` tags to `want`: keys to set, and charter keys to remove. */
export function tagDelta(prefix: string, live: Record<string, string>, want: Record<string, string>): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(want)) if (live[k] !== v) set[k] = v;
  const remove = Object.keys(reconciledTags(live, want, prefix)).filter((k) => !(k in want)).sort();
  return { set, remove };
}

/** Whether apply would write any tag: the one test plan and the live reader use. */
export function tagsDiffer(prefix: string, live: Record<string, string>, want: Record<string, string>): boolean {
  const d = tagDelta(prefix, live, want);
  return Object.keys(d.set).length > 0 || d.remove.length > 0;
}

