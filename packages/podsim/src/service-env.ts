// Types shared by every simulated service in a pod.
// The pod builds one SimServiceEnv and hands it to Nova, Cinder and Glance so all three
// resolve callers the same way and use the same pod name, AZ and transition delay.

/** Who is calling, as the pod's identity layer resolved it. */
export interface SimIdentity {
  projectId: string;
  userId: string;
  roles: string[];
  isAdmin: boolean;
}

/** What a simulated service needs from the pod it is mounted in. */
export interface SimServiceEnv {
  podName: string;
  /** AZ name inside the pod (what Nova/Cinder report). */
  az: string;
  /** Delay of asynchronous state changes (BUILD->ACTIVE, creating->available ...), ms. */
  transitionMs: number;
  /** Highest microversion the service answers ('2.79' for compute, '3.70' for volume). */
  maxVersion: string;
  /** Resolve the caller; null means 401. urlProjectId is the project segment of the URL if any. */
  identify(headers: Headers, urlProjectId?: string): Promise<SimIdentity | null>;
}

/** One request as it reached the pod (recorded before any fault or handler ran). */
export interface SimRequest {
  method: string;
  /** Path without the query string, e.g. '/compute/v2.1/servers/detail'. */
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, the text otherwise, null when empty. */
  body: unknown;
}

/** Which requests a fault applies to; an absent field matches everything. */
export interface SimMatch {
  method?: string;
  path?: RegExp;
}

export type SimFault =
  | { kind: 'down' }
  | { kind: 'delay'; ms: number; match?: SimMatch; times?: number }
  /** `raw` is sent as it is (with a JSON content type): a pod answering a body that is not JSON. */
  | { kind: 'status'; status: number; body?: unknown; raw?: string; match?: SimMatch; times?: number }
  /** Never answered; `close()` releases it. */
  | { kind: 'hang'; match?: SimMatch; times?: number }
  /**
   * The connection is destroyed instead of answering. `after: 'received'` (default): before any
   * service sees the request; `after: 'handled'`: once the services handled it (a create
   * happened, its answer is lost).
   */
  | { kind: 'reset'; after?: 'received' | 'handled'; match?: SimMatch; times?: number }
  /** `status` (default 200) with `text` as the body, under `contentType` (default application/json). */
  | { kind: 'invalid_body'; text: string; status?: number; contentType?: string; match?: SimMatch; times?: number }
  /**
   * The services answer; the status, the headers (with the whole body's Content-Length) and the
   * first `bytes` of the body (default: half) are sent, then the connection is destroyed.
   */
  | { kind: 'close_mid_body'; bytes?: number; match?: SimMatch; times?: number }
  /** The services answer; the body is sent `chunkBytes` (default 16) at a time, `delayMs` apart. */
  | { kind: 'slow_body'; delayMs: number; chunkBytes?: number; match?: SimMatch; times?: number };
