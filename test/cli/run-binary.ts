// Test helper (not a test): runs the built `dist/trio2o` as a user would — its own process, no
// inherited OS_* or TRIO2O_* variables — and returns exit code, stdout and stderr.
import { execFile } from 'node:child_process';
import { BINARY } from '../ops/binary';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The parent's environment without OS_*, TRIO2O_* and NODE_OPTIONS, plus `env`. */
export function cleanEnv(env: Record<string, string> = {}): Record<string, string> {
  const keep = Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(OS_|TRIO2O_)/.test(k) && k !== 'NODE_OPTIONS');
  return { ...(Object.fromEntries(keep) as Record<string, string>), RUST_LOG: 'off', ...env };
}

export function trio2o(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(BINARY, args, { env: cleanEnv(opts.env), cwd: opts.cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
