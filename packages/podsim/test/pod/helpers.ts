// Shared helpers for the simulator's own tests: a tiny Nova client and polling.
import { startSimPod, type SimPod, type SimPodOptions } from '@trio2o/podsim';

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Microversion to pin ('2.1' when absent, like a client sending none). */
  version?: string;
  project?: string;
  user?: string;
  admin?: boolean;
  /** Put the project id into the URL (/v2.1/{project}/...). */
  projectInUrl?: boolean;
  headers?: Record<string, string>;
  token?: string | null;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

/** Call the pod's Nova with trust-mode identity headers. */
export async function nova(pod: SimPod, path: string, o: CallOptions = {}): Promise<CallResult> {
  const project = o.project ?? 'p1';
  const headers: Record<string, string> = {
    'x-project-id': project,
    'x-user-id': o.user ?? `${project}-user`,
    ...(o.admin ? { 'x-roles': 'admin,member' } : { 'x-roles': 'member' }),
    ...(o.version ? { 'openstack-api-version': `compute ${o.version}` } : {}),
    ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...o.headers,
  };
  if (o.token !== null) headers['x-auth-token'] = o.token ?? 'tok';
  const url = `${pod.url}/compute/v2.1${o.projectInUrl ? `/${project}` : ''}${path}`;
  const res = await fetch(url, {
    method: o.method ?? (o.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export async function startPod(opts: SimPodOptions = {}): Promise<SimPod> {
  return startSimPod({ transitionMs: 5, ...opts });
}

/** Poll until fn returns a truthy value (or fail after timeoutMs). */
export async function waitFor<T>(fn: () => Promise<T> | T, timeoutMs = 2000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Create a server and wait until it is ACTIVE; returns its id. */
export async function bootActive(pod: SimPod, o: CallOptions & { name?: string } = {}): Promise<string> {
  const { CIRROS_IMAGE_ID } = await import('@trio2o/podsim');
  const r = await nova(pod, '/servers', { ...o, body: { server: { name: o.name ?? 'vm', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  if (r.status !== 202) throw new Error(`create failed ${r.status} ${JSON.stringify(r.body)}`);
  const id: string = r.body.server.id;
  await waitStatus(pod, id, 'ACTIVE', o);
  return id;
}

export async function waitStatus(pod: SimPod, id: string, status: string, o: CallOptions = {}): Promise<void> {
  await waitFor(async () => (await nova(pod, `/servers/${id}`, { ...o, method: 'GET', body: undefined })).body?.server?.status === status);
}
