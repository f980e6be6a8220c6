/**
 * Endpoint resolution: which URL serves `service` in `pod`. Precedence, cheapest first after
 * the admin override: the pod's own `endpoints` override → in-memory cache → the store's
 * endpoint cache → the Keystone catalog (region == podName, interface public, type ==
 * service), whose answer is written back to the store and memory.
 *
 * A dead pod must not turn every request into a catalog read, so the catalog is consulted at
 * most once per `refreshBackoffMs` per pod: `invalidate` inside that window is a no-op, and a
 * pod the catalog did not list stays "no endpoint" until the window passes.
 */
import { PodError } from './errors';
import { SERVICE_TYPES, type CatalogService, type CatalogSource, type EndpointCacheStore, type PodRef, type ServiceType } from './types';

export interface EndpointResolverOptions {
  /** The service-token catalog; absent under noauth (then only overrides and the store work). */
  catalog?: CatalogSource | null;
  /** Persistent endpoint cache; absent in unit tests that need none. */
  store?: EndpointCacheStore | null;
  /** Minimum time between catalog reads (and invalidations) for one pod. @default 30000 */
  refreshBackoffMs?: number;
  /** Catalog interface to use. @default 'public' (the interface users' clients use) */
  interface?: string;
  /** Clock, injectable for tests. @default Date.now */
  now?: () => number;
  /** Called when the store fails; the resolver carries on without it. */
  onStoreError?: (err: unknown) => void;
}

export class EndpointResolver {
  readonly #catalog: CatalogSource | null;
  readonly #store: EndpointCacheStore | null;
  readonly #backoffMs: number;
  readonly #interface: string;
  readonly #now: () => number;
  readonly #onStoreError: (err: unknown) => void;
  /** podId → service → URL; the hot-path answer after the first request. */
  readonly #memory = new Map<string, Map<ServiceType, string>>();
  /** podId → when the catalog was last read successfully for that pod. */
  readonly #lastRead = new Map<string, number>();
  /** podId → when the pod's cache was last dropped by `invalidate`. */
  readonly #lastInvalidate = new Map<string, number>();
  /** One catalog read in flight per pod, shared by concurrent misses. */
  readonly #inflight = new Map<string, Promise<Map<ServiceType, string>>>();

  constructor(options: EndpointResolverOptions = {}) {
    this.#catalog = options.catalog ?? null;
    this.#store = options.store ?? null;
    this.#backoffMs = options.refreshBackoffMs ?? 30_000;
    this.#interface = options.interface ?? 'public';
    this.#now = options.now ?? Date.now;
    this.#onStoreError = options.onStoreError ?? (() => {});
    if (!Number.isInteger(this.#backoffMs) || this.#backoffMs < 0) {
      throw new TypeError('refreshBackoffMs must be a positive integer or zero');
    }
  }

  /** The endpoint `resolve` gives without a read (the pod's own or one in memory), else undefined. */
  known(pod: PodRef, service: ServiceType): string | undefined {
    return pod.endpoints?.[service] || this.#memory.get(pod.podId)?.get(service);
  }

  /**
   * The endpoint template (may still hold `$(tenant_id)s`) for a pod's service.
   * @throws PodError TRIO2O_POD_NO_ENDPOINT when no source knows one
   */
  async resolve(pod: PodRef, service: ServiceType): Promise<string> {
    const known = this.known(pod, service);
    if (known !== undefined) return known;

    const stored = await this.#storeGet(pod.podId, service);
    if (stored !== undefined) {
      this.#remember(pod.podId, service, stored);
      return stored;
    }

    const mayRead = this.#catalog !== null && this.#outside(this.#lastRead, pod.podId, this.#now());
    if (mayRead) {
      let found: Map<ServiceType, string>;
      try {
        found = await this.#readCatalog(pod);
      } catch (err) {
        throw noEndpoint(pod, service, 'the service catalog could not be read', err);
      }
      const url = found.get(service);
      if (url !== undefined) return url;
    }
    throw noEndpoint(pod, service, this.#catalog === null ? 'none is configured' : 'none is in the service catalog');
  }

  /**
   * Forget a pod's cached endpoints after a connection failure so the next request re-reads
   * the catalog. Rate-limited per pod: returns false (and keeps the cache) inside the backoff.
   */
  async invalidate(podId: string): Promise<boolean> {
    // Without a catalog nothing could refill the cache, so dropping it would only break the pod.
    if (this.#catalog === null) return false;
    const now = this.#now();
    // A catalog answer younger than the window is as fresh as a re-read would be.
    if (!this.#outside(this.#lastRead, podId, now) || !this.#outside(this.#lastInvalidate, podId, now)) return false;
    this.#lastInvalidate.set(podId, now);
    this.#memory.delete(podId);
    if (this.#store) {
      try {
        await this.#store.drop(podId);
      } catch (err) {
        this.#onStoreError(err);
      }
    }
    return true;
  }

  /** Drop everything known about a pod, without backoff (pod deleted or edited by an admin). */
  forget(podId: string): void {
    this.#memory.delete(podId);
    this.#lastRead.delete(podId);
    this.#lastInvalidate.delete(podId);
  }

  /** True when `podId` has no timestamp in `times` or it is at least one backoff old. */
  #outside(times: Map<string, number>, podId: string, now: number): boolean {
    const t = times.get(podId);
    return t === undefined || now - t >= this.#backoffMs;
  }

  #remember(podId: string, service: ServiceType, url: string): void {
    let m = this.#memory.get(podId);
    if (!m) this.#memory.set(podId, (m = new Map()));
    m.set(service, url);
  }

  async #storeGet(podId: string, service: ServiceType): Promise<string | undefined> {
    if (!this.#store) return undefined;
    try {
      return await this.#store.get(podId, service);
    } catch (err) {
      this.#onStoreError(err); // a broken store is a cache miss, not an outage
      return undefined;
    }
  }

  #readCatalog(pod: PodRef): Promise<Map<ServiceType, string>> {
    const running = this.#inflight.get(pod.podId);
    if (running) return running;
    const p = this.#fetchAndStore(pod).finally(() => this.#inflight.delete(pod.podId));
    this.#inflight.set(pod.podId, p);
    return p;
  }

  async #fetchAndStore(pod: PodRef): Promise<Map<ServiceType, string>> {
    const services = await this.#catalog!.catalog();
    // Only a successful read starts the backoff window: a Keystone blip must not hide pods.
    this.#lastRead.set(pod.podId, this.#now());
    const found = endpointsForRegion(services, pod.podName, this.#interface);
    for (const [service, url] of found) {
      this.#remember(pod.podId, service, url);
      if (this.#store) {
        try {
          await this.#store.put(pod.podId, service, url);
        } catch (err) {
          this.#onStoreError(err);
        }
      }
    }
    return found;
  }
}

/** The region's URL per known service type; a later catalog entry wins. */
export function endpointsForRegion(services: CatalogService[], region: string, iface = 'public'): Map<ServiceType, string> {
  const found = new Map<ServiceType, string>();
  for (const svc of services) {
    if (!(SERVICE_TYPES as readonly string[]).includes(svc.type)) continue;
    for (const ep of svc.endpoints) {
      if (ep.interface === iface && (ep.region === region || (!ep.region && ep.region_id === region))) {
        found.set(svc.type as ServiceType, ep.url);
      }
    }
  }
  return found;
}

function noEndpoint(pod: PodRef, service: ServiceType, why: string, cause?: unknown): PodError {
  return new PodError('TRIO2O_POD_NO_ENDPOINT', `No ${service} endpoint for pod ${pod.podName}: ${why}`, {
    podId: pod.podId,
    podName: pod.podName,
    service,
    cause,
  });
}
