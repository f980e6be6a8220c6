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
  | { kind: 'delay'; ms: number; match?: SimMatch }
  /** `raw` is sent as it is (with a JSON content type): a pod answering a body that is not JSON. */
  | { kind: 'status'; status: number; body?: unknown; raw?: string; match?: SimMatch; times?: number }
  | { kind: 'hang'; match?: SimMatch };
