// A transparent HTTP proxy on 127.0.0.1 that counts the requests passing through it, so a test
// can prove whether a client really called the server behind it (e.g. "served from cache,
// Keystone not asked"). Stopping it makes the server look down (connection refused). It can also
// lose answers: while `hold` says so, a request is forwarded (the server acts on it) but its answer
// never reaches the caller, as when the caller dies right after the server accepted.
import { createServer, request, Agent, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface CountingProxy {
  /** Base URL of the proxy, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Requests seen for `METHOD /path` (query ignored), or all requests without arguments. */
  count(method?: string, path?: string): number;
  /** Answers of matching requests are withheld while this returns true for them. */
  hold: ((method: string, path: string) => boolean) | null;
  /** Answers withheld so far (the server acted on each). */
  held: number;
  /** An endpoint of the server behind, rewritten to go through the proxy. */
  endpoint(serverEndpoint: string): string;
  /** Stops listening and drops open connections; later requests are refused. */
  close(): Promise<void>;
}

/** Starts a proxy in front of `target` (e.g. http://127.0.0.1:5000). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const t = new URL(target);
  // No keep-alive upstream: an idle kept-alive connection pins one of uwsgi's few threads.
  const agent = new Agent({ keepAlive: false });
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  let closed = false;
  const proxy: CountingProxy = {
    url: '',
    hold: null,
    held: 0,
    endpoint: (e) => e.replace(t.origin, proxy.url),
    count(method?: string, path?: string) {
      if (method === undefined) return [...counts.values()].reduce((a, b) => a + b, 0);
      return counts.get(`${method} ${path}`) ?? 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      agent.destroy();
      await done;
    },
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const key = `${req.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const withhold = proxy.hold?.(req.method ?? 'GET', path) ?? false;
    const up = request(
      { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host }, agent },
      (upRes) => {
        if (withhold) {
          proxy.held++;
          upRes.resume(); // the server answered; the caller never hears it
          return;
        }
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('proxy has no TCP address');
  proxy.url = `http://127.0.0.1:${addr.port}`;
  return proxy;
}
