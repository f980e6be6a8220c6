// One simulated OpenStack pod: ONE HTTP server on 127.0.0.1 serving Nova (/compute),
// Cinder (/volume) and Glance (/image), like a devstack host. Every request is recorded
// before anything else sees it, then injected faults apply, then the services answer.
// 'down' closes the listener but keeps the port so up() brings the same pod back.
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
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
  /** Remove delay/status/hang faults ('down' is undone by up()). */
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

export const DEFAULTS = {
  name: 'Pod1',
  az: 'nova',
  port: 0,
  transitionMs: 20,
  computeMaxVersion: '2.79',
  volumeMaxVersion: '3.70',
} as const;

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
  const imageService = createImageService(imgEnv);
  // Volumes created from an image check it exists, and upload-to-image registers one.
  volumeService.useImages(imageService);
  const compute = createComputeService(
    { ...baseEnv, maxVersion: o.computeMaxVersion },
    { volumes: volumeService, images: imageService },
  );

  // strict: false so '/compute/' and '/compute/v2.1/' answer like their slash-less forms.
  const app = new Hono({ strict: false });
  app.route('/compute', compute.app);
  app.route('/volume', volumeService.app);
  app.route('/image', imageService.app);

  const requests: SimRequest[] = [];
  const faults = new FaultTable();
  const hanging = new Set<() => void>();

  async function podFetch(req: Request): Promise<Response> {
    const { record, forward } = await recordRequest(req);
    if (o.record !== false) requests.push(record);
    const d = faults.decide(record.method, record.path);
    if (d.delayMs > 0) await new Promise((r) => setTimeout(r, d.delayMs));
    if (d.kind === 'hang') {
      // Never answer; close() releases the promise after destroying the socket.
      return new Promise<Response>((resolve) => {
        hanging.add(() => resolve(new Response(null, { status: 599 })));
      });
    }
    if (d.kind === 'status') {
      const headers = { 'content-type': 'application/json' };
      const body = d.raw ?? (d.body === undefined ? null : JSON.stringify(d.body));
      return new Response(body, { status: d.status, headers });
    }
    return app.fetch(forward);
  }

  const server = createAdaptorServer({ fetch: podFetch, hostname: '127.0.0.1' }) as Server;
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
