/**
 * One site's gateway as production runs it: a child process of `node --import tsx src/main.ts
 * serve --noauth`, configured by TRIO2O_* env variables (ports 0), with its own replica file.
 * Its JSON log lines are kept so tests can wait for `replica_detached` / `replica_attached`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Site {
  name: string;
  urls: { admin: string; compute: string; volume: string };
  pid: number;
  /** Parsed JSON log lines, in order. */
  logs: { event: string; [k: string]: unknown }[];
  /** Resolves when a log line with `event` appears after line index `from`. */
  waitLog(event: string, from?: number, ms?: number): Promise<void>;
  /** SIGTERM by PID and wait for the exit. */
  stop(): Promise<void>;
}

export interface SiteOptions {
  name: string;
  dir: string;
  primaryUrl: string;
  syncInterval: number;
  authToken?: string;
  /** More environment (TRIO2O_* settings, NODE_OPTIONS), applied last. */
  env?: NodeJS.ProcessEnv;
}

export async function startSite(opts: SiteOptions): Promise<Site> {
  const config = join(opts.dir, `${opts.name}.conf`);
  writeFileSync(config, '# settings come from TRIO2O_* env variables\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RUST_LOG: 'off',
    TRIO2O_DEFAULT_BIND_HOST: '127.0.0.1',
    TRIO2O_DEFAULT_POLICY_FILE: join(opts.dir, 'no-policy.yaml'),
    TRIO2O_ADMIN_API_PORT: '0',
    TRIO2O_COMPUTE_API_PORT: '0',
    TRIO2O_VOLUME_API_PORT: '0',
    TRIO2O_DATABASE_URL: `file:${join(opts.dir, `${opts.name}.db`)}`,
    TRIO2O_DATABASE_SYNC_URL: opts.primaryUrl,
    TRIO2O_DATABASE_SYNC_INTERVAL: String(opts.syncInterval),
    ...(opts.authToken ? { TRIO2O_DATABASE_AUTH_TOKEN: opts.authToken } : {}),
    ...opts.env,
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve', '--noauth', '--config', config], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Site['logs'] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let buf = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ event: 'raw', line });
      }
      for (const w of waiters) w();
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const waitLog = (event: string, from = 0, ms = 15_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (logs.slice(from).some((l) => l.event === event)) return done(resolve);
        if (child.exitCode !== null) done(() => reject(new Error(`site ${opts.name} exited (${child.exitCode}): ${stderr}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`site ${opts.name}: no ${event} log in ${ms} ms; stderr: ${stderr}`))), ms);
      const done = (f: () => void) => (clearTimeout(timer), waiters.delete(check), f());
      waiters.add(check);
      child.once('exit', check);
      check();
    });

  await waitLog('listening');
  const l = logs.find((x) => x.event === 'listening')!;
  return {
    name: opts.name,
    urls: { admin: String(l.admin), compute: String(l.compute), volume: String(l.volume) },
    pid: child.pid!,
    logs,
    waitLog,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(child.pid!, 'SIGTERM');
      const t = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
