export declare const COMMENT_MARKER: string;
export interface ExecResult { code: number; stdout: string; stderr: string }
export declare function runAction(
  env?: NodeJS.ProcessEnv,
  exec?: (args: string[], env: NodeJS.ProcessEnv) => ExecResult | Promise<ExecResult>,
  log?: (s: string) => void,
  print?: (s: string) => void,
): Promise<{ code: number; failed: boolean }>;
