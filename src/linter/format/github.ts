/** GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`. */
import type { Finding } from '../types.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(findings: Finding[]): string {
  const level = { error: 'error', warning: 'warning', info: 'notice' } as const;
  return findings
    .map((f) => {
      const msg = f.hint ? `${f.message} (${f.hint})` : f.message;
      return `::${level[f.severity]} file=${escapeProp(f.file)},line=${f.line},col=${f.column},title=${escapeProp(`charter ${f.rule}`)}::${escapeData(msg)}\n`;
    })
    .join('');
}
