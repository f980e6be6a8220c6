/**
 * Child processes for benchmarks and soaks: a free loopback port, a child started and awaited
 * until a line of its stdout says it is ready, a simulated pod and the gateway as production
 * runs them (each in its own process, so the numbers are theirs alone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Every child started here, killed when this process ends however it ends (no orphans on Ctrl-C). */
const children = new Set<ChildProcess>();
export function track(child: ChildProcess): ChildProcess {
  if (children.size === 0) {
    process.once('exit', () => {
      for (const c of children) c.kill('SIGTERM');
    });
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/**
 * Starts `cmd` and resolves with the first stdout line matching `ready` (30 s at most), or the
 * `times`-th such line (a gateway's workers each say they listen).
 */
export function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, cwd?: string, times = 1): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd }));
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${buf}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.split('\n').filter((l) => ready.test(l))[times - 1];
      if (m) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({ child, line: m });
      }
    });
    child.stderr!.resume();
    child.once('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${buf}`)));
  });
}

/** A simulated pod in its own process (no request log); its endpoints. */
export async function startPodProcess(name: string, az: string, port: number, extra: string[] = []): Promise<{ child: ChildProcess; endpoints: Record<string, string> }> {
  const simCli = fileURLToPath(import.meta.resolve('@trio2o/podsim/cli'));
  const sim = await start(process.execPath, ['--import', 'tsx', simCli, '--name', name, '--az', az, '--port', String(port), '--no-record', ...extra], {}, /"endpoints"/);
  return { child: sim.child, endpoints: JSON.parse(sim.line).endpoints as Record<string, string> };
}

export interface GatewayProcess {
  child: ChildProcess;
  admin: string;
  compute: string;
  volume: string;
}

/**
 * `trio2o serve --noauth` from source in its own process, on free ports and a file store in `dir`.
 * With `noauth: false` the auth strategy comes from `env` (TRIO2O_DEFAULT_AUTH_STRATEGY, TRIO2O_KEYSTONE_*);
 * `root` runs another checkout's source (a before/after comparison in one run); `workers` runs
 * it as a cluster (`serve --workers N`), ready when every worker listens; `bundle` runs an esbuild
 * bundle (`node build/build.mjs --bundle` → dist/trio2o.cjs) instead of the source under tsx.
 */
export async function startGatewayProcess(dir: string, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = [], o: { noauth?: boolean; root?: string; workers?: number; bundle?: string } = {}): Promise<GatewayProcess> {
  const [admin, compute, volume] = [await freePort(), await freePort(), await freePort()];
  const gw = await start(
    process.execPath,
    [...nodeArgs, ...(o.bundle ? [o.bundle] : ['--import', 'tsx', 'src/main.ts']), 'serve', ...(o.noauth === false ? [] : ['--noauth']), ...(o.workers ? ['--workers', String(o.workers)] : [])],
    {
      TRIO2O_ADMIN_API_PORT: String(admin),
      TRIO2O_COMPUTE_API_PORT: String(compute),
      TRIO2O_VOLUME_API_PORT: String(volume),
      TRIO2O_DATABASE_URL: `file:${join(dir, 'bench.db')}`,
      TRIO2O_DEFAULT_LOG_LEVEL: 'info', // one access-log line per request, as in production
      ...env,
    },
    /"listening"/,
    o.root,
    o.workers ?? 1,
  );
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return { child: gw.child, admin: url(admin), compute: url(compute), volume: url(volume) };
}
