/**
 * Shell quoting for generated scripts: the ONE way a value enters a script charter writes.
 *
 * - shq(): POSIX single-quote style. Inside '...' nothing is special, so the only character to
 *   handle is the single quote itself, written as '\'' (close, escaped quote, reopen). Newlines,
 *   `$(...)`, backticks, semicolons and globs stay literal text.
 * - heredoc(): a quoted here-document (<<'DELIM', no expansion) whose delimiter is chosen so that no
 *   line of the content equals it; used for fixed script bodies and the user's own script.
 *
 * A NUL byte cannot live in a shell word or file line; callers reject such values (hasNul).
 */

/** Single-quote a value for POSIX sh / bash. */
export function shq(value: string): string {
  return "'" + value.replace(/'/g, "'\\''") + "'";
}

export function hasNul(value: string): boolean {
  return value.includes('\0');
}

/** A delimiter based on `base` that is not a line of `content` (base, base_1, base_2, ...). */
export function heredocDelimiter(content: string, base: string): string {
  const lines = new Set(content.split('\n'));
  let d = base;
  for (let i = 1; lines.has(d); i++) d = `${base}_${i}`;
  return d;
}

/**
 * `cat > TARGET <<'DELIM'` + content + DELIM. `target` is shell text the caller has already made
 * safe (a quoted path expression such as "$R/etc/charter/agent.env"). Content always ends with a
 * newline before the delimiter.
 */
export function heredoc(target: string, content: string, base: string): string {
  const body = content.endsWith('\n') ? content : content + '\n';
  const delim = heredocDelimiter(body, base);
  return `cat > ${target} <<'${delim}'\n${body}${delim}\n`;
}
