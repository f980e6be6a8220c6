/**
 * Migration 4: what keeps the state true to the pods.
 *
 * - jobs: a due time, a lease (owner + expiry, both on the primary's clock), a bound on attempts,
 *   a de-duplication key (one waiting job per key) and a history of every attempt;
 * - routings: a `deleting` status (the pod accepted a DELETE; the row stops counting against
 *   quota and waits for proof the resource is gone) and a `hint` a pending row keeps for
 *   reconciliation (the name the create asked for). SQLite cannot change a CHECK constraint, so
 *   the table is rebuilt with the same rows, ids and indexes;
 * - routing_changes: every change to a completed routing (removed, moved, deleting), written by
 *   triggers so no code path can forget it; each site reads it after a sync and evicts those ids
 *   from its route cache;
 * - catalog_pod_state: per pod, whether each gateway flavor and volume type is there (synced),
 *   on its way (pending) or defined differently there (conflict), and the pod's own id for it;
 * - one catalog sync job per bottom pod registered before this version, so pods that never got
 *   the gateway's catalog get it, and conflicting flavor ids are reported.
 */

/** SQL for "now" in epoch milliseconds, evaluated by whoever executes the statement (the primary). */
export const NOW_MS_SQL = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

const NOW_ISO_SQL = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

const changed = (row: 'old') =>
  `INSERT INTO routing_changes (top_id, resource_type, changed_at) VALUES (${row}.top_id, ${row}.resource_type, ${NOW_ISO_SQL});`;

export const STATE_SCHEMA: string[] = [
  `ALTER TABLE jobs ADD COLUMN next_run_at INTEGER NOT NULL DEFAULT 0`,
  `ALTER TABLE jobs ADD COLUMN lease_owner TEXT`,
  `ALTER TABLE jobs ADD COLUMN lease_expires_at INTEGER`,
  `ALTER TABLE jobs ADD COLUMN max_attempts INTEGER`,
  `ALTER TABLE jobs ADD COLUMN dedup_key TEXT`,
  `ALTER TABLE jobs ADD COLUMN finished_at TEXT`,
  `CREATE INDEX jobs_due ON jobs(status, next_run_at)`,
  `CREATE INDEX jobs_type ON jobs(type, status)`,
  // One waiting job per key: enqueueing the same work again refreshes the waiting row.
  `CREATE UNIQUE INDEX jobs_waiting_key ON jobs(dedup_key) WHERE dedup_key IS NOT NULL AND status = 'new'`,
  `CREATE INDEX jobs_key ON jobs(dedup_key)`,
  // A retried job counts its attempts afresh; its history keeps every attempt, in order.
  `CREATE TABLE job_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    owner TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT,
    detail TEXT
  )`,
  `CREATE INDEX job_attempts_job ON job_attempts(job_id, seq)`,

  `CREATE TABLE routings_v4 (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    top_id TEXT NOT NULL,
    bottom_id TEXT,
    pod_id TEXT NOT NULL REFERENCES pods(pod_id),
    project_id TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'deleting')),
    hint TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (top_id, pod_id)
  )`,
  `INSERT INTO routings_v4 (seq, top_id, bottom_id, pod_id, project_id, resource_type, status, created_at, updated_at)
   SELECT seq, top_id, bottom_id, pod_id, project_id, resource_type, status, created_at, updated_at FROM routings`,
  `DROP TABLE routings`,
  `ALTER TABLE routings_v4 RENAME TO routings`,
  `CREATE INDEX routings_top ON routings(top_id, resource_type)`,
  `CREATE INDEX routings_project ON routings(project_id, resource_type, pod_id)`,
  `CREATE INDEX routings_pod ON routings(pod_id)`,
  `CREATE INDEX routings_status ON routings(status, created_at)`,

  `CREATE TABLE routing_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    top_id TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    changed_at TEXT NOT NULL
  )`,
  `CREATE INDEX routing_changes_top ON routing_changes(top_id, resource_type)`,
  // A pending row was never cached anywhere, so its changes need no eviction.
  `CREATE TRIGGER routings_removed AFTER DELETE ON routings WHEN old.status <> 'pending'
   BEGIN ${changed('old')} END`,
  `CREATE TRIGGER routings_changed AFTER UPDATE OF top_id, pod_id, status ON routings WHEN old.status <> 'pending'
   BEGIN ${changed('old')} END`,

  `CREATE TABLE catalog_pod_state (
    kind TEXT NOT NULL CHECK (kind IN ('flavor', 'volume_type')),
    top_id TEXT NOT NULL,
    pod_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'synced', 'conflict')),
    pod_item_id TEXT,
    detail TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, top_id, pod_id)
  )`,
  `CREATE INDEX catalog_pod_state_pod ON catalog_pod_state(pod_id, kind)`,

  `INSERT INTO jobs (id, type, status, resource_id, payload, attempts, created_at, updated_at, next_run_at, dedup_key)
   SELECT lower(hex(randomblob(16))), 'pod_catalog_sync', 'new', pod_id, NULL, 0, ${NOW_ISO_SQL}, ${NOW_ISO_SQL}, 0, 'pod_catalog_sync:' || pod_id
   FROM pods WHERE az_name <> '' AND enabled = 1`,
];
