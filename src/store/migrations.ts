/**
 * Versioned schema migrations for the state store.
 *
 * Each migration is applied once, in order, inside one write batch, and recorded in
 * `schema_migrations`. Never edit a released migration (the original Trio2o edited 001 in place
 * and old databases silently lacked `is_binding`): add a new one instead.
 */
import type { Client } from '@libsql/client';
import { COMPUTE_OWNED_SCHEMA } from './migration-002';
import { STATE_SCHEMA } from './migration-004';
import { CATALOG_ITEMS_SCHEMA } from './migration-006';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema: pods, bindings, routings, endpoint cache, jobs',
    statements: [
      // `seq` gives every table a creation order that is the same on every engine (no reliance on rowid or timestamps).
      `CREATE TABLE pods (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        pod_id TEXT NOT NULL UNIQUE,
        pod_name TEXT NOT NULL UNIQUE,
        pod_az_name TEXT NOT NULL DEFAULT '',
        dc_name TEXT NOT NULL DEFAULT '',
        az_name TEXT NOT NULL DEFAULT '',
        enabled INTEGER NOT NULL DEFAULT 1,
        endpoints TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      // At most one top pod (az_name = ''), whatever the request looked like: enforced by a partial unique index, not by handler code.
      `CREATE UNIQUE INDEX pods_one_top ON pods(az_name) WHERE az_name = ''`,
      `CREATE TABLE pod_bindings (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL,
        pod_id TEXT NOT NULL REFERENCES pods(pod_id),
        az_name TEXT NOT NULL,
        is_binding INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      // One ACTIVE binding per tenant and AZ; history rows (is_binding = 0) never collide, so a
      // tenant can be rebound to a pod it used before.
      `CREATE UNIQUE INDEX pod_bindings_active ON pod_bindings(tenant_id, az_name) WHERE is_binding = 1`,
      `CREATE INDEX pod_bindings_pod ON pod_bindings(pod_id)`,
      `CREATE TABLE routings (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        top_id TEXT NOT NULL,
        bottom_id TEXT,
        pod_id TEXT NOT NULL REFERENCES pods(pod_id),
        project_id TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'active')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (top_id, pod_id)
      )`,
      `CREATE INDEX routings_top ON routings(top_id, resource_type)`,
      `CREATE INDEX routings_project ON routings(project_id, resource_type, pod_id)`,
      `CREATE INDEX routings_pod ON routings(pod_id)`,
      `CREATE TABLE endpoint_cache (
        pod_id TEXT NOT NULL REFERENCES pods(pod_id) ON DELETE CASCADE,
        service_type TEXT NOT NULL,
        url TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (pod_id, service_type)
      )`,
      `CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('new', 'running', 'success', 'fail')),
        resource_id TEXT,
        payload TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX jobs_status ON jobs(status, type)`,
    ],
  },
  {
    version: 2,
    name: 'compute resources the gateway owns: flavors, keypairs, aggregates, quotas, server usage',
    statements: COMPUTE_OWNED_SCHEMA,
  },
  {
    version: 3,
    name: 'volume types (extra specs, project access) and volume quotas',
    statements: [
      // Types live at the top (the catalog users see) and are pushed to every pod by jobs;
      // deleted rows go away (no soft delete: a soft-deleted type would be listed and found again).
      `CREATE TABLE volume_types (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        description TEXT,
        is_public INTEGER NOT NULL DEFAULT 1,
        qos_specs_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE TABLE volume_type_extra_specs (
        type_id TEXT NOT NULL REFERENCES volume_types(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (type_id, key)
      )`,
      `CREATE TABLE volume_type_projects (
        type_id TEXT NOT NULL REFERENCES volume_types(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (type_id, project_id)
      )`,
      `CREATE INDEX volume_type_projects_project ON volume_type_projects(project_id)`,
      // One row per (project, resource) an admin set; absent rows mean the default.
      `CREATE TABLE volume_quotas (
        project_id TEXT NOT NULL,
        resource TEXT NOT NULL,
        hard_limit INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (project_id, resource)
      )`,
    ],
  },
  {
    version: 4,
    name: 'keeping state true: job leases and history, deleting routings, routing change log, catalog state per pod',
    statements: STATE_SCHEMA,
  },
  {
    version: 5,
    name: 'quota usage: volume, snapshot and backup sizes; the flavor a resized server had before',
    statements: [
      // What each volume resource the gateway routes costs against Cinder's quotas, counted like
      // server_usage: joined with the active routings, so a deleted resource stops counting.
      // volume_type is the type's name, as Cinder's per-type quota resources are named.
      `CREATE TABLE volume_usage (
        top_id TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        project_id TEXT NOT NULL,
        size_gb INTEGER NOT NULL,
        volume_type TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (top_id, resource_type)
      )`,
      `CREATE INDEX volume_usage_project ON volume_usage(project_id)`,
      // A resize in progress (until confirmed or reverted): the flavor a revert goes back to.
      `ALTER TABLE server_usage ADD COLUMN old_flavorid TEXT`,
      `ALTER TABLE server_usage ADD COLUMN old_vcpus INTEGER`,
      `ALTER TABLE server_usage ADD COLUMN old_memory_mb INTEGER`,
    ],
  },
  {
    version: 6,
    name: 'volume catalogs the gateway owns: QoS specs, default types, type encryption; sync state for every catalog kind',
    statements: CATALOG_ITEMS_SCHEMA,
  },
  {
    version: 7,
    name: 'the microversion range each pod last announced, per service',
    statements: [
      // What the discovery last read from each pod's version document, so a gateway that starts
      // while a pod is slow or down still advertises no more than that pod serves.
      `CREATE TABLE pod_microversions (
        pod_id TEXT NOT NULL REFERENCES pods(pod_id) ON DELETE CASCADE,
        service_type TEXT NOT NULL,
        max_version TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (pod_id, service_type)
      )`,
    ],
  },
];

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/**
 * True once `schema_migrations` exists. Checked by reading, so an up-to-date site replica
 * writes nothing at start (`CREATE TABLE IF NOT EXISTS` is still a write: it would be delegated
 * to the primary, and refused with a read-only token or while detached).
 */
async function hasMigrationsTable(db: Client): Promise<boolean> {
  const r = await db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  return r.rows.length > 0;
}

/** Applies every migration not yet recorded. Idempotent; returns the versions it applied. */
export async function migrate(db: Client, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  if (!(await hasMigrationsTable(db))) await db.execute(MIGRATIONS_TABLE);
  const done = new Set((await db.execute('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    await db.batch(
      [
        ...m.statements,
        { sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', args: [m.version, m.name, new Date().toISOString()] },
      ],
      'write',
    );
    applied.push(m.version);
  }
  return applied;
}

/** The highest applied version, or 0 for an empty database. */
export async function schemaVersion(db: Client): Promise<number> {
  if (!(await hasMigrationsTable(db))) return 0;
  const r = await db.execute('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
  return Number(r.rows[0]?.v ?? 0);
}
