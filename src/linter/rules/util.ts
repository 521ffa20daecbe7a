/** Small helpers shared by rule modules. */
import type { DocView, Stmt } from '../types.js';

export function stmtName(d: DocView, st: Stmt): string {
  const sid = st.sid ? ` (Sid ${st.sid})` : '';
  return `statement ${st.index + 1}${sid} of ${d.label}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
