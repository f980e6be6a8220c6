/**
 * Graceful close of HTTP listeners: stop accepting, let in-flight requests finish, then close.
 *
 * `server.close()` stops the listening socket and (Node ≥ 19) closes idle keep-alive
 * connections, but a connection busy with a request stays open until it ends; and a
 * keep-alive client could keep sending on it forever. So while draining, idle connections are
 * closed again every DRAIN_POLL_MS (each one as soon as its response is done), and after
 * `timeoutMs` every remaining connection is cut.
 */
import type { Server } from 'node:http';

/** How long a close waits for in-flight requests (`[DEFAULT] graceful_shutdown_timeout`). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

/** How often idle keep-alive connections are closed while draining. */
export const DRAIN_POLL_MS = 25;

export interface DrainResult {
  /** True when every connection ended by itself before the deadline. */
  clean: boolean;
  ms: number;
}

/**
 * @param servers the listeners (Node http servers)
 * @param timeoutMs bound on the wait for in-flight requests
 */
export async function drainServers(servers: readonly Server[], timeoutMs: number): Promise<DrainResult> {
  const started = performance.now();
  const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
  const poll = setInterval(() => servers.forEach((s) => s.closeIdleConnections()), DRAIN_POLL_MS);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    const clean = await Promise.race([closed.then(() => true as const), deadline]);
    if (!clean) {
      servers.forEach((s) => s.closeAllConnections());
      await closed;
    }
    return { clean, ms: Math.round(performance.now() - started) };
  } finally {
    clearInterval(poll);
    clearTimeout(timer);
  }
}
