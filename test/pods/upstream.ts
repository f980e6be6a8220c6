// Test helper (not a test): a plain node:http "pod" on 127.0.0.1, port 0, that counts
// requests and TCP connections, plus a pod/client factory pointing at it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { EndpointResolver, PodClient, type PodClientOptions, type PodRef } from '../../src/pods';

export interface Upstream {
  server: Server;
  origin: string;
  port: number;
  /** Requests seen (handler calls). */
  hits: number;
  /** TCP connections accepted. */
  connections: number;
  close(): Promise<void>;
}

export async function startUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Upstream> {
  const sockets = new Set<Socket>();
  const up = { hits: 0, connections: 0 } as Upstream;
  const server = createServer((req, res) => {
    up.hits += 1;
    handler(req, res);
  });
  server.on('connection', (s: Socket) => {
    up.connections += 1;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  up.server = server;
  up.port = port;
  up.origin = `http://127.0.0.1:${port}`;
  up.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return up;
}

/** A pod whose compute endpoint is an admin override pointing at `origin`. */
export function podAt(origin: string, podId = 'pod-1', podName = 'RegionOne'): PodRef {
  return {
    podId,
    podName,
    endpoints: { compute: `${origin}/compute/v2.1/$(tenant_id)s`, volumev3: `${origin}/volume/v3/$(project_id)s` },
  };
}

/** A client with no catalog or store: endpoints come from the pod override. */
export function makeClient(options: Partial<PodClientOptions> = {}): PodClient {
  return new PodClient({ resolver: new EndpointResolver(), ...options });
}

/** A free port with nothing listening (bound, then released). */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
