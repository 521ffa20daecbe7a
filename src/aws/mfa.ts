/**
 * The code for a profile's `mfa_serial` (role_arn + source_profile + mfa_serial in the shared
 * config). The SDK asks for it through `mfaCodeProvider`; without one it fails with "requires
 * multi-factor authentication, but no MFA code callback was provided". Charter asks once on the
 * terminal (the prompt on stderr, so stdout stays the plan) and, with no terminal to ask on, fails
 * saying what to do instead.
 */
import { RuntimeError } from '../diagnostics.js';

export type MfaCodeProvider = (serial: string) => Promise<string>;

/** Prompt on a TTY stdin; otherwise a RuntimeError naming the device and the ways around it. */
export async function terminalMfaCode(serial: string): Promise<string> {
  if (process.stdin.isTTY !== true) {
    throw new RuntimeError(
      `the profile needs an MFA code for ${serial}, and stdin is not a terminal to ask on. ` +
        'Run charter at a terminal, or get session credentials first (aws sts get-session-token / assume-role with --serial-number and --token-code) and pass them as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN',
    );
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    process.stderr.write(`MFA code for ${serial}: `);
    const code = await new Promise<string | undefined>((resolve) => {
      rl.once('line', (l) => resolve(l));
      rl.once('close', () => resolve(undefined));
    });
    if (code === undefined || !/^\d{6}$/.test(code.trim())) throw new RuntimeError(`no MFA code for ${serial}: expected 6 digits${code === undefined ? ', got end of input' : ''}`);
    return code.trim();
  } finally {
    rl.close();
  }
}
