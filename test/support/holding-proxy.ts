// A proxy in front of a pod that can lose answers: while `holding` is set, a matching request is
// forwarded (the pod acts on it) but its answer is kept from the caller, as when the caller dies
// or the network drops right after the pod accepted. Used to leave creates whose outcome the
// gateway never learnt.
import { createServer, request, Agent, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface HoldingProxy {
  url: string;
  /** Answers of matching requests are withheld while this returns true for them. */
  hold: ((method: string, path: string) => boolean) | null;
  /** Answers withheld so far (the pod acted on each). */
  held: number;
  /** Rewrites an endpoint of the pod behind to go through the proxy. */
  endpoint(podEndpoint: string): string;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const t = new URL(target);
  const agent = new Agent({ keepAlive: false });
  const sockets = new Set<Socket>();
  const proxy: HoldingProxy = {
    url: '',
    hold: null,
    held: 0,
    endpoint: (e) => e.replace(t.origin, proxy.url),
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const withhold = proxy.hold?.(req.method ?? 'GET', path) ?? false;
    const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host }, agent }, (upRes) => {
      if (withhold) {
        proxy.held++;
        upRes.resume(); // the pod answered; the caller never hears it
        return;
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
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
  proxy.close = async () => {
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    agent.destroy();
    await done;
  };
  return proxy;
}
