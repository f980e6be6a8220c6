/** Small helpers of the real-pods bed: polling, commands with deadlines, ports, HTTP probes. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { runSupervised, type RunResult } from './daemon';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Calls `check` until it returns something other than undefined/false, every `everyMs`, for at
 * most `ms`; then throws naming `what` and the last error `check` threw (if any).
 */
export async function poll<T>(what: string, ms: number, check: () => Promise<T | undefined | false>, everyMs = 250): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      throw new Error(`${what}: not reached after ${Math.round(ms / 1000)} s${last ? ` (last error: ${String((last as Error).message ?? last)})` : ''}`);
    }
    await sleep(everyMs);
  }
}

export type { RunResult } from './daemon';

/**
 * Runs a program (no shell) with a deadline, under a watchdog: it never outlives this process.
 * Rejects with its output's tail when it fails.
 */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return runSupervised(cmd, args, opts);
}

/** True if nothing listens on 127.0.0.1:port (we can bind it ourselves). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A block of `size` consecutive free ports on 127.0.0.1. The block lies below Linux's ephemeral
 * range (32768+), so no outgoing connection and no port-0 listener (the Keystone harness, the
 * gateway, simulated pods) can take one of its ports, and away from the gateway's defaults
 * (19996-19998). A random start keeps two beds on one machine apart; every port is checked.
 */
export async function freePortBlock(size: number, first = 21000, last = 31999): Promise<number> {
  const fixed = Number(process.env.TRIO2O_REALPODS_PORT_BASE ?? '');
  if (fixed) {
    for (let p = fixed; p < fixed + size; p++) {
      if (!(await portFree(p))) throw new Error(`TRIO2O_REALPODS_PORT_BASE=${fixed}: port ${p} is in use`);
    }
    return fixed;
  }
  const slots = Math.floor((last - first + 1) / size);
  const start = Math.floor(Math.random() * slots);
  for (let i = 0; i < slots; i++) {
    const base = first + ((start + i) % slots) * size;
    let ok = true;
    for (let p = base; p < base + size && ok; p++) ok = await portFree(p);
    if (ok) return base;
  }
  throw new Error(`no block of ${size} free ports between ${first} and ${last}`);
}

/** HTTP status of GET url (any answer counts), or 0 when nothing answers. */
export async function httpStatus(url: string, timeoutMs = 3_000): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

/** The last `n` characters of a log file, for error messages. */
export function tail(file: string, n = 3000): string {
  try {
    const s = readFileSync(file, 'utf8');
    return s.slice(-n);
  } catch {
    return '(no log)';
  }
}

/** Seconds since `t0` (Date.now()), one decimal, for the timing lines. */
export const secondsSince = (t0: number) => ((Date.now() - t0) / 1000).toFixed(1);
