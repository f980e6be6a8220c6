/**
 * The replication status a site replica reports (multi-site issue #7), read by /healthcheck and
 * /metrics. One small interface on the store, `store.replication?.status()`, absent in
 * standalone mode, so ops code needs no knowledge of libsql.
 */

/** standalone: local file; replica: embedded replica attached to its primary; replica-detached: serving the local file read-only while the primary is unreachable. */
export type StoreMode = 'standalone' | 'replica' | 'replica-detached';

export interface ReplicationStatus {
  /** 'replica' while attached; 'replica-detached' while serving the local file read-only. */
  mode: 'replica' | 'replica-detached';
  /** The primary as `scheme://host:port` (never credentials). */
  primary: string;
  /** Configured seconds between syncs (`[database] sync_interval`). */
  syncIntervalSeconds: number;
  /** ISO time of the last successful sync since this process started, or null. */
  lastSyncAt: string | null;
  /** Seconds since `lastSyncAt` at the time of the call, or null. */
  lastSyncAgeSeconds: number | null;
  /** Replication frame number after the last successful sync; null before the first or while the primary is empty. */
  frameNo: number | null;
  /** Failed syncs and failed attach attempts since start (a counter: only grows). */
  syncErrors: number;
  /** Failures since the last success (0 while healthy). */
  consecutiveErrors: number;
  /** Last failure, one line, no credentials; null if none yet. */
  lastError: string | null;
  /** ISO time the replica was detached (startup or outage), or null while attached. */
  detachedSince: string | null;
  /** How many times the replica re-attached after being detached (a counter). */
  reattaches: number;
}

/** What a replica store exposes besides its repositories. */
export interface ReplicationControl {
  /** A snapshot; cheap, never touches the network. */
  status(): ReplicationStatus;
  /**
   * One sync now (or, detached, one attach attempt), shared with any already running; resolves
   * true when the replica is attached and synced, false on failure or after `deadlineMs`.
   * Used by the route-miss path: an id created at another site a moment ago is found at once.
   * @default deadlineMs 500
   */
  syncNow(deadlineMs?: number): Promise<boolean>;
}
