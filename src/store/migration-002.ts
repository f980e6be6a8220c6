/**
 * Migration 2: the compute resources the gateway answers itself from the store — the flavor
 * catalog with extra specs and project access, keypairs per user, host aggregates with metadata,
 * quota limits, and the flavor each routed server was created with (for instances/cores/ram
 * usage). Kept in its own file because it is one table of SQL; `migrations.ts` lists it.
 *
 * The catalog is seeded with Nova's usual default flavors (ids 1–5) and devstack's m1.nano (42)
 * and m1.micro (84), so a fresh gateway offers the flavors its pods already have.
 */

/** Seed flavors: [flavorid, name, memory_mb, vcpus, root_gb]. */
export const SEED_FLAVORS: readonly (readonly [string, string, number, number, number])[] = [
  ['1', 'm1.tiny', 512, 1, 1],
  ['2', 'm1.small', 2048, 1, 20],
  ['3', 'm1.medium', 4096, 2, 40],
  ['4', 'm1.large', 8192, 4, 80],
  ['5', 'm1.xlarge', 16384, 8, 160],
  ['42', 'm1.nano', 128, 1, 1],
  ['84', 'm1.micro', 192, 1, 1],
];

const SEED_TIME = '1970-01-01T00:00:00Z';

export const COMPUTE_OWNED_SCHEMA: string[] = [
  // `seq` is Nova's internal integer id: the tie-breaker of every sort, as in Nova's paginate_query.
  `CREATE TABLE flavors (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    flavorid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    memory_mb INTEGER NOT NULL,
    vcpus INTEGER NOT NULL,
    root_gb INTEGER NOT NULL DEFAULT 0,
    ephemeral_gb INTEGER NOT NULL DEFAULT 0,
    swap INTEGER NOT NULL DEFAULT 0,
    rxtx_factor REAL NOT NULL DEFAULT 1.0,
    vcpu_weight INTEGER,
    disabled INTEGER NOT NULL DEFAULT 0,
    is_public INTEGER NOT NULL DEFAULT 1,
    description TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT
  )`,
  `CREATE TABLE flavor_extra_specs (
    flavorid TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (flavorid, key)
  )`,
  `CREATE TABLE flavor_projects (
    flavorid TEXT NOT NULL,
    project_id TEXT NOT NULL,
    PRIMARY KEY (flavorid, project_id)
  )`,
  `CREATE TABLE keypairs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('ssh', 'x509')),
    public_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, name)
  )`,
  // pod_id marks the aggregate the gateway keeps for each bottom pod (no FK: pods are deleted by
  // the admin API, which does not know aggregates; stale pod aggregates are dropped on read).
  `CREATE TABLE aggregates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    pod_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT
  )`,
  `CREATE TABLE aggregate_metadata (
    aggregate_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (aggregate_id, key)
  )`,
  // user_id '' is the project-wide limit; a row per (project, user) is Nova's per-user quota.
  `CREATE TABLE quotas (
    project_id TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    resource TEXT NOT NULL,
    hard_limit INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id, resource)
  )`,
  // What each routed server costs; joined with active routings, so a forgotten server stops counting.
  `CREATE TABLE server_usage (
    top_id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    flavorid TEXT NOT NULL,
    vcpus INTEGER NOT NULL,
    memory_mb INTEGER NOT NULL,
    created_at TEXT NOT NULL
  )`,
  `CREATE INDEX server_usage_project ON server_usage(project_id)`,
  ...SEED_FLAVORS.map(
    ([id, name, ram, vcpus, disk]) =>
      `INSERT INTO flavors (flavorid, name, memory_mb, vcpus, root_gb, created_at) VALUES ('${id}', '${name}', ${ram}, ${vcpus}, ${disk}, '${SEED_TIME}')`,
  ),
];
