/**
 * Contracts the pod client needs from other layers (store, auth, ops) and the shapes it
 * hands back. The pod client owns only these small interfaces; the server wiring supplies the real
 * implementations (the libSQL endpoint-cache repo, the Keystone service-token catalog, metrics).
 */
import type { Readable } from 'node:stream';
import type { PodErrorCode } from './errors';
import type { CallerSignal } from './call-signal';

/** Keystone service types the gateway forwards to. */
export type ServiceType = 'compute' | 'volumev3' | 'image';

/** Every service type, in a stable order (used when a catalog read fills the cache). */
export const SERVICE_TYPES: readonly ServiceType[] = ['compute', 'volumev3', 'image'];

/** The part of a pod row the pod client needs. `endpoints` is an admin override. */
export interface PodRef {
  podId: string;
  /** Equals the pod's Keystone region name: the catalog is looked up by it. */
  podName: string;
  /** Admin override per service; wins over every cache and the catalog. */
  endpoints?: Partial<Record<ServiceType, string>> | null;
}

/** One Keystone catalog entry, as returned with the gateway's service token. */
export interface CatalogService {
  type: string;
  endpoints: { region: string; region_id?: string; interface: string; url: string }[];
}

/** The gateway's service-token catalog (Keystone). Absent in noauth deployments. */
export interface CatalogSource {
  catalog(): Promise<CatalogService[]>;
}

/**
 * The gateway's own identity toward the pods, for work no caller is waiting on (jobs: catalog
 * pushes, deletion tracking, reconciliation, adoption): a Keystone service token, or under noauth
 * the trusted headers of an admin. The server wiring supplies it.
 */
export interface ServiceCredentials {
  /** Headers that authenticate the gateway (e.g. `x-auth-token`). */
  headers(): Promise<Record<string, string>>;
  /** The project the credentials are scoped to (the `{project_id}` of Cinder URLs they call). */
  projectId(): Promise<string>;
  /** The pod refused the credentials: renew them before the next call. */
  invalidate?(): void;
}

/** Persistent endpoint cache (a table in the state store), keyed by pod and service. */
export interface EndpointCacheStore {
  get(podId: string, service: ServiceType): Promise<string | undefined>;
  put(podId: string, service: ServiceType, url: string): Promise<void>;
  drop(podId: string): Promise<void>;
}

/** Upstream metrics hooks. Both run synchronously on the request path: keep them cheap. */
export interface PodObserver {
  /** A pod answered (any status); `ms` is the time to response headers, retries included. */
  onResponse(podId: string, service: ServiceType, status: number, ms: number): void;
  /** No response: a PodError code, or CLIENT_ABORTED when the caller hung up first. */
  onError(podId: string, service: ServiceType, code: PodErrorCode | 'CLIENT_ABORTED', ms: number): void;
}

/** Request bodies the pod client can send; only the non-stream kinds can be replayed on retry. */
export type PodRequestBody = Readable | Uint8Array | string | null;

/** One call to a pod, expressed in the gateway's own (top) terms. */
export interface PodRequestOptions {
  pod: PodRef;
  service: ServiceType;
  method: string;
  /** The top request path, e.g. `/v2.1/{project}/servers/x`; see `podUrl`. */
  path: string;
  /** Query string with or without the leading `?`. Passed through verbatim. */
  search?: string;
  /** Fills `$(tenant_id)s`-style templates in an endpoint without a version segment. */
  projectId: string;
  /** Ask the service's unversioned root (its version list) instead; `path` is then ignored. */
  versionRoot?: boolean;
  /** Incoming headers; only an allow-list is forwarded (see `forwardRequestHeaders`). */
  headers: Headers | Record<string, string>;
  /**
   * Headers the gateway itself sets (its service credentials, see `ServiceCredentials`), sent as
   * given after the allow-list, so they replace any caller's.
   */
  authHeaders?: Record<string, string>;
  body?: PodRequestBody;
  /** Deadline for this call; @default the client's requestTimeoutMs */
  timeoutMs?: number;
  /** Allow retries; @default true for GET/HEAD/OPTIONS, false otherwise, always false for POST */
  idempotent?: boolean;
  /** Tie the call to the client's connection: abort → the upstream body is destroyed. */
  signal?: CallerSignal;
  /** Sent as X-OpenStack-Request-ID so pod logs correlate with ours. */
  requestId: string;
}

/** A pod's answer. The body is undici's stream: pipe it, or consume it with one helper. */
export interface PodResponse {
  status: number;
  /** Response headers, lower-case, hop-by-hop headers already removed. */
  headers: Record<string, string | string[]>;
  body: Readable;
  /** Parse the body as JSON; a malformed body rejects with TRIO2O_POD_BAD_RESPONSE. */
  json<T = unknown>(): Promise<T>;
  text(): Promise<string>;
  /** Discard the body so the connection goes back to the pool. */
  dump(): Promise<void>;
  /** The endpoint the call went to, as resolved for it: links in the answer start with its root. */
  endpoint?: string;
}
