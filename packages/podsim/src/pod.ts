// One simulated OpenStack pod: ONE HTTP server on 127.0.0.1 serving Nova (/compute),
// Cinder (/volume) and Glance (/image), like a devstack host. Every request is recorded
// before anything else sees it, then injected faults apply, then the services answer.
// 'down' closes the listener but keeps the port so up() brings the same pod back; 'reset',
// 'close_mid_body' and 'slow_body' act on the connection itself (see faults.ts).
import { Hono } from 'hono';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createComputeService, type ComputeState } from './compute';
import { createVolumeService, type VolumeService } from './volume';
import { createImageService, type ImageService } from './image';
import { createIdentify, type SimAuth } from './identity';
import { FaultTable } from './faults';
import { recordRequest } from './recorder';
import type { SimFault, SimRequest, SimServiceEnv } from './service-env';

export interface SimPodOptions {
  /** Pod / region name. @default 'Pod1' */
  name?: string;
  /** AZ name inside the pod (what Nova/Cinder report). @default 'nova' */
  az?: string;
  /** @default 0 (any free port) */
  port?: number;
  /** BUILD->ACTIVE, creating->available etc. @default 20 */
  transitionMs?: number;
  /** @default '2.79' */
  computeMaxVersion?: string;
  /** @default '3.70' */
  volumeMaxVersion?: string;
  /** @default { mode: 'trust' } */
  auth?: SimAuth;
  /** Keep every request in `requests`; turn off for long benchmarks. @default true */
  record?: boolean;
  /**
   * A Glance shared with other pods (`createSharedImages()`): one image store for the region, as
   * a deployment with one Glance for every pod runs it. @default the pod's own Glance
   */
  images?: ImageService;
}

export interface SimPod {
  name: string;
  az: string;
  /** Origin, e.g. 'http://127.0.0.1:40123'. */
  url: string;
  endpoints: { compute: string; volumev3: string; image: string };
  /** Every request that reached the pod, in order. */
  requests: SimRequest[];
  inject(fault: SimFault): void;
  /** Remove every injected fault but 'down' (which up() undoes). */
  clearFaults(): void;
  /** Listen again on the same port after a 'down' fault. */
  up(): Promise<void>;
  /** True while a 'down' fault holds. */
  readonly isDown: boolean;
  /** Direct state access for assertions. */
  servers: ComputeState['servers'];
  flavors: ComputeState['flavors'];
  volumes: VolumeService['volumes'];
  images: ImageService['images'];
  compute: ComputeState;
  volumeService: VolumeService;
  imageService: ImageService;
  close(): Promise<void>;
}

/** Destroys the request's connection with a TCP RST where the platform can send one. */
function resetSocket(env: HttpBindings): void {
  const socket = env.incoming.socket;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/**
 * Sends `res`'s status and headers with a Content-Length for its whole body, then the first
 * `bytes` of the body (default: half; an empty body claims one byte it never sends), then
 * destroys the connection.
 */
async function closeMidBody(res: Response, env: HttpBindings, bytes?: number): Promise<void> {
  const body = new Uint8Array(await res.arrayBuffer());
  const out = env.outgoing as ServerResponse;
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k] = v;
  });
  headers['content-length'] = String(Math.max(body.byteLength, 1));
  const sent = Math.min(bytes ?? Math.floor(body.byteLength / 2), Math.max(body.byteLength - 1, 0));
  out.writeHead(res.status, headers);
  out.flushHeaders();
  await new Promise<void>((resolve) => out.write(body.subarray(0, sent), () => resolve()));
  resetSocket(env);
}

/** `res` with its body sent `chunkBytes` at a time, `delayMs` apart (headers at once). */
function slowBody(res: Response, delayMs: number, chunkBytes: number): Response {
  let body: Uint8Array | undefined;
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(ctl) {
      body ??= new Uint8Array(await res.arrayBuffer());
      if (at > 0 || body.byteLength === 0) await new Promise((r) => setTimeout(r, delayMs));
      if (at >= body.byteLength) return ctl.close();
      ctl.enqueue(body.slice(at, at + chunkBytes));
      at += chunkBytes;
    },
  });
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return new Response(stream, { status: res.status, headers });
}

export const DEFAULTS = {
  name: 'Pod1',
  az: 'nova',
  port: 0,
  transitionMs: 20,
  computeMaxVersion: '2.79',
  volumeMaxVersion: '3.70',
} as const;

/**
 * One Glance for several pods (pass it as `images` to each): the region's single image service,
 * so an image one pod's Nova snapshots is bootable in every pod and listed by every pod's Glance.
 */
export function createSharedImages(opts: { auth?: SimAuth } = {}): ImageService {
  const identify = createIdentify(opts.auth ?? { mode: 'trust' });
  return createImageService({ podName: 'RegionOne', az: DEFAULTS.az, transitionMs: DEFAULTS.transitionMs, identify, maxVersion: DEFAULTS.volumeMaxVersion });
}

/**
 * Start a simulated pod.
 * @example const pod = await startSimPod({ name: 'Pod2', az: 'az2' }); t.after(() => pod.close());
 */
export async function startSimPod(opts: SimPodOptions = {}): Promise<SimPod> {
  // Explicit `undefined` options (e.g. from the CLI) must not erase the defaults.
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as SimPodOptions;
  const o = { ...DEFAULTS, ...given };
  const identify = createIdentify(o.auth ?? { mode: 'trust' });
  const baseEnv = { podName: o.name, az: o.az, transitionMs: o.transitionMs, identify };
  const volEnv: SimServiceEnv = { ...baseEnv, maxVersion: o.volumeMaxVersion };
  const imgEnv: SimServiceEnv = { ...baseEnv, maxVersion: o.volumeMaxVersion };
  const volumeService = createVolumeService(volEnv);
  const imageService = o.images ?? createImageService(imgEnv);
  // Volumes created from an image check it exists, and upload-to-image registers one.
  volumeService.useImages(imageService);
  const compute = createComputeService(
    { ...baseEnv, maxVersion: o.computeMaxVersion },
    { volumes: volumeService, images: imageService },
  );

  // strict: false so '/compute/' and '/compute/v2.1/' answer like their slash-less forms.
  const app = new Hono({ strict: false });
  // `os-volumes_boot`: Nova's old alias of `/servers` (nova/api/openstack/compute/volumes_boot.py,
  // served up to 2.102, so at every microversion the simulator offers): the same request, answered
  // at `/servers` (whose views link to `/servers`, as the alias's do).
  app.use('/compute/v2.1/*', async (c, next) => {
    const url = new URL(c.req.url);
    const aliased = url.pathname.replace(/^(\/compute\/v2\.1(?:\/[^/]+)?)\/os-volumes_boot(?=\/|$)/, '$1/servers');
    if (aliased === url.pathname) return next();
    url.pathname = aliased;
    c.res = await app.fetch(new Request(url, c.req.raw));
  });
  app.route('/compute', compute.app);
  app.route('/volume', volumeService.app);
  app.route('/image', imageService.app);

  const requests: SimRequest[] = [];
  const faults = new FaultTable();
  const hanging = new Set<() => void>();

  async function podFetch(req: Request, env: HttpBindings): Promise<Response> {
    const { record, forward } = await recordRequest(req);
    if (o.record !== false) requests.push(record);
    const d = faults.decide(record.method, record.path);
    if (d.delayMs > 0) await new Promise((r) => setTimeout(r, d.delayMs));
    switch (d.kind) {
      case 'pass':
        return app.fetch(forward);
      case 'hang':
        // Never answer; close() releases the promise after destroying the socket.
        return new Promise<Response>((resolve) => {
          hanging.add(() => resolve(new Response(null, { status: 599 })));
        });
      case 'status': {
        const body = d.raw ?? (d.body === undefined ? null : JSON.stringify(d.body));
        return new Response(body, { status: d.status, headers: { 'content-type': d.contentType } });
      }
      case 'reset':
        if (d.handled) await (await app.fetch(forward)).arrayBuffer();
        resetSocket(env);
        return RESPONSE_ALREADY_SENT;
      case 'close_mid_body':
        await closeMidBody(await app.fetch(forward), env, d.bytes);
        return RESPONSE_ALREADY_SENT;
      case 'slow_body':
        return slowBody(await app.fetch(forward), d.chunkDelayMs, d.chunkBytes);
    }
  }

  // An HTTP/1.1 server (createAdaptorServer's default), so the bindings are HttpBindings.
  const server = createAdaptorServer({ fetch: (req, env) => podFetch(req, env as HttpBindings), hostname: '127.0.0.1' }) as Server;
  server.keepAliveTimeout = 5_000;
  let down = false;
  let closing: Promise<void> | undefined;

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () => {
    closing = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const release of hanging) release();
    hanging.clear();
    return closing;
  };

  await listen(o.port);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    name: o.name,
    az: o.az,
    url,
    endpoints: {
      compute: `${url}/compute/v2.1`,
      volumev3: `${url}/volume/v3/%(project_id)s`,
      image: `${url}/image`,
    },
    requests,
    inject(fault) {
      if (fault.kind === 'down') {
        if (!down) {
          down = true;
          void stop();
        }
        return;
      }
      faults.add(fault);
    },
    clearFaults: () => faults.clear(),
    async up() {
      if (!down) return;
      await closing;
      await listen(port);
      down = false;
    },
    get isDown() {
      return down;
    },
    servers: compute.state.servers,
    flavors: compute.state.flavors,
    volumes: volumeService.volumes,
    images: imageService.images,
    compute: compute.state,
    volumeService,
    imageService,
    async close() {
      compute.state.close();
      (volumeService as { close?: () => void }).close?.();
      (imageService as { close?: () => void }).close?.();
      if (!down) await stop();
      else await closing;
    },
  };
}
