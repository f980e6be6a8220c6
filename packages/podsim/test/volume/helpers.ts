// Test harness for the simulated Cinder and Glance: both apps mounted under a
// parent Hono as the pod mounts them, trust-mode identity, and a small client
// that calls app.request() (no socket needed).
import { Hono } from 'hono';
import { createImageService } from '@trio2o/podsim/image';
import type { ImageService } from '@trio2o/podsim/image';
import { createVolumeService } from '@trio2o/podsim/volume';
import type { SimIdentity, SimServiceEnv, VolumeService } from '@trio2o/podsim/volume';

export const ORIGIN = 'http://127.0.0.1:8776';
export const P1 = 'f1c1a2b3c4d5e6f708192a3b4c5d6e7f';
export const P2 = 'a2b2c3d4e5f60718293a4b5c6d7e8f90';

/** Trust mode: project from the URL segment else X-Project-Id, user X-User-Id, roles X-Roles. */
export async function trustIdentity(headers: Headers, urlProjectId?: string): Promise<SimIdentity | null> {
  const projectId = urlProjectId ?? headers.get('x-project-id');
  if (!projectId) return null;
  const roles = (headers.get('x-roles') ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  return { projectId, userId: headers.get('x-user-id') ?? 'u-default', roles, isAdmin: roles.includes('admin') };
}

export interface Harness {
  app: Hono;
  vol: VolumeService;
  img: ImageService;
  env: SimServiceEnv;
  close(): void;
}

export function harness(opts: Partial<SimServiceEnv> = {}): Harness {
  const env: SimServiceEnv = {
    podName: 'Pod1',
    az: 'az1',
    transitionMs: 5,
    maxVersion: '3.70',
    identify: trustIdentity,
    ...opts,
  };
  const vol = createVolumeService(env);
  const img = createImageService(env);
  vol.useImages(img);
  const app = new Hono();
  app.route('/volume', vol.app);
  app.route('/image', img.app);
  return { app, vol, img, env, close: () => vol.close() };
}

export interface CallOptions {
  body?: unknown;
  /** Microversion for OpenStack-API-Version ('3.0', 'latest'...); none sends no header. */
  version?: string;
  project?: string;
  roles?: string;
  user?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when it is not JSON, or null when empty. */
  body: any;
}

export async function call(h: Harness, method: string, path: string, o: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-user-id': o.user ?? 'u1' };
  if (o.token !== null) headers['x-auth-token'] = o.token ?? 'tok';
  if (o.version) headers['OpenStack-API-Version'] = `volume ${o.version}`;
  if (o.project) headers['x-project-id'] = o.project;
  if (o.roles) headers['x-roles'] = o.roles;
  Object.assign(headers, o.headers);
  const init: RequestInit = { method, headers };
  if (o.body !== undefined) init.body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const res = await h.app.request(path.startsWith('http') ? path : ORIGIN + path, init);
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body };
}

/** Cinder URL of the project form: /volume/v3/{project}/{rest}. */
export const v3 = (project: string, rest: string): string => `/volume/v3/${project}/${rest}`;

/** Poll until fn() is truthy (transitions take transitionMs); fails after ~1 s. */
export async function until(fn: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Create a volume in `project` and wait until it is available; returns its id. */
export async function availableVolume(h: Harness, project: string, volume: Record<string, unknown> = {}): Promise<string> {
  const r = await call(h, 'POST', v3(project, 'volumes'), { body: { volume: { size: 1, ...volume } } });
  if (r.status !== 202) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
  const id: string = r.body.volume.id;
  await until(() => h.vol.get(id)?.status === 'available', `volume ${id} available`);
  return id;
}

/** POST /volumes/{id}/action with one action. */
export function action(h: Harness, project: string, id: string, name: string, args: unknown, o: CallOptions = {}): Promise<Reply> {
  return call(h, 'POST', v3(project, `volumes/${id}/action`), { ...o, body: { [name]: args } });
}

/** Attach as Nova does (reserved, attaching, in-use over two transitions) and wait until in-use. */
export async function attachInUse(h: Harness, id: string, server: string, device: string, project: string): Promise<void> {
  h.vol.attach(id, server, device, project);
  await until(() => h.vol.get(id)!.status === 'in-use', `volume ${id} in-use`);
}
