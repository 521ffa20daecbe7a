/**
 * The CLI's output boundary: while a command runs, every write to stdout and stderr — formatter
 * output, progress, prompts, error lines, --debug stack traces — passes through redactSecrets, so
 * no command, formatter or error path has to remember to. Each write is redacted whole: charter's
 * writers write whole lines or whole documents, never a secret split across two writes. Files the
 * CLI writes are redacted where they are written (plan files, compile --out, baselines, the apply
 * journal), all with the same function.
 */
import { redactSecrets } from '../secrets.js';

type Write = NodeJS.WriteStream['write'];

/** Redact every write to `streams` until the returned function restores them. */
export function redactWrites(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): () => void {
  const saved = streams.map((s) => [s, s.write] as const);
  for (const [s, write] of saved) {
    s.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const done = typeof encoding === 'function' ? encoding : cb;
      return (write as (chunk: string, cb?: (e?: Error | null) => void) => boolean).call(s, redactSecrets(text), done);
    }) as Write;
  }
  return () => {
    for (const [s, write] of saved) s.write = write;
  };
}
