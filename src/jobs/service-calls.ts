/**
 * Calls to one pod with the gateway's own credentials, for work no caller waits on: jobs, the
 * admin API's adoption checks, adoption after a create. The whole answer is read (these answers
 * are small), and a transport failure is the PodError it is.
 *
 * Paths are top paths (`/v2.1/servers/{id}`, `/v3/{project}/volumes/{id}`); `{project}` is the
 * project of the service credentials, as Nova and Cinder refuse a URL project that is not the
 * token's.
 */
import { randomUUID } from 'node:crypto';
import type { PodClient, ServiceCredentials, ServiceType } from '../pods';
import { podRef } from '../proxy';
import type { Pod } from '../store';

export interface ServiceCall {
  service: ServiceType;
  /** @default 'GET' */
  method?: string;
  /** Top path; `{project}` is replaced by the service project. */
  path: string;
  /** Query without or with `?`. */
  search?: string;
  /** JSON body (serialized here). */
  body?: unknown;
  /** Microversion, e.g. `compute 2.47` or `volume 3.27`. */
  version?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ServiceAnswer {
  status: number;
  /** Parsed JSON; null when empty or not JSON. */
  body: unknown;
  text: string;
}

/** Deadline of one service call. */
export const DEFAULT_SERVICE_CALL_TIMEOUT_MS = 30_000;

export class ServiceCaller {
  readonly #pods: PodClient;
  readonly #creds: ServiceCredentials;
  readonly #timeoutMs: number;

  constructor(pods: PodClient, creds: ServiceCredentials, opts: { timeoutMs?: number } = {}) {
    this.#pods = pods;
    this.#creds = creds;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_SERVICE_CALL_TIMEOUT_MS;
  }

  /** The project of the service credentials. */
  projectId(): Promise<string> {
    return this.#creds.projectId();
  }

  /**
   * One call; a 401 renews the credentials and tries once more (a service token revoked early).
   * @throws PodError on transport failures
   * @example const a = await svc.call(pod, { service: 'compute', path: `/v2.1/servers/${id}` });
   */
  async call(pod: Pod, o: ServiceCall): Promise<ServiceAnswer> {
    const first = await this.#once(pod, o);
    if (first.status !== 401 || !this.#creds.invalidate) return first;
    this.#creds.invalidate();
    return this.#once(pod, o);
  }

  async #once(pod: Pod, o: ServiceCall): Promise<ServiceAnswer> {
    const project = await this.#creds.projectId();
    const auth = await this.#creds.headers();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.version) {
      headers['openstack-api-version'] = o.version;
      if (o.service === 'compute') headers['x-openstack-nova-api-version'] = o.version.replace(/^compute\s+/, '');
    }
    const method = (o.method ?? 'GET').toUpperCase();
    const res = await this.#pods.request({
      pod: podRef(pod),
      service: o.service,
      method,
      path: o.path.replaceAll('{project}', encodeURIComponent(project)),
      search: o.search,
      projectId: project,
      headers,
      authHeaders: auth,
      body: o.body === undefined ? null : JSON.stringify(o.body),
      timeoutMs: o.timeoutMs ?? this.#timeoutMs,
      idempotent: method === 'GET' || method === 'PUT' || method === 'DELETE',
      signal: o.signal,
      requestId: `req-${randomUUID()}`,
    });
    const text = await res.text();
    let body: unknown = null;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    return { status: res.status, body, text };
  }
}
