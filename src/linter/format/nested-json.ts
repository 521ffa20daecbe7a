/**
 * JSON.stringify(value, null, 2) of a value written `levels` arrays deep in a larger document,
 * every line after the first indented by 2 × levels more: the value stringified inside that many
 * arrays, the arrays' own brackets cut off (no second copy of the text to re-indent it, as a
 * replace of each line break made).
 */
export function nestedJson(value: object, levels: number): string {
  let wrapped: unknown = value;
  for (let k = 0; k < levels; k++) wrapped = [wrapped];
  const s = JSON.stringify(wrapped, null, 2);
  // Before the value: "[\n" and each deeper level's indent, then the value's own; after it, the same closing.
  const before = levels * 2 + levels * (levels + 1);
  const after = levels * 2 + (levels - 1) * levels;
  return s.slice(before, s.length - after);
}

/**
 * The values of a list written `levels` arrays deep, as JSON.stringify(list, null, 2) writes its
 * elements there: each as nestedJson(value, levels) gives it, joined by "," and a line break
 * indented by 2 × levels. One JSON.stringify for them all; "" for none.
 */
export function nestedJsonItems(values: readonly object[], levels: number): string {
  if (values.length === 0) return '';
  // The list `levels - 1` arrays deep: its "[", line break and indent cut off before, its line break, indent and "]" after.
  const s = nestedJson(values, levels - 1);
  return s.slice(2 + 2 * levels, s.length - (2 + 2 * (levels - 1)));
}
