/**
 * Secret detection and redaction: the one place that knows what a secret looks like. Every output
 * path (CLI errors, plan files, lint messages) passes text through redactSecrets.
 */
export interface SecretPattern {
  id: string;
  description: string;
  re: RegExp;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { id: 'aws-access-key-id', description: 'AWS access key id', re: /\b(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { id: 'aws-secret-access-key', description: 'AWS secret access key', re: /(aws_secret_access_key|AWS_SECRET_ACCESS_KEY|SecretAccessKey|secret_?key)(["'\s]*[:=]\s*["']?)[A-Za-z0-9/+=]{40}\b/g },
  { id: 'private-key', description: 'private key block', re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z]+ )?PRIVATE KEY-----|$)/g },
];

/** Replace every recognised secret with a marker that names its kind, never its value. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const p of SECRET_PATTERNS) {
    out = out.replace(p.re, (...m: string[]) => {
      if (p.id === 'aws-secret-access-key') return `${m[1]}${m[2]}[REDACTED:${p.id}]`;
      return `[REDACTED:${p.id}]`;
    });
  }
  return out;
}
