/**
 * Migration 6: the volume API's smaller catalogs the gateway owns and syncs to its pods — QoS
 * specs, per-project default volume types (3.62), volume type encryption, volume quota classes, group types — in one table of
 * JSON items per kind, and the per-pod sync state opened to every catalog kind (its kind CHECK
 * named only flavors and volume types; SQLite cannot alter a CHECK, so the table is rebuilt).
 */
export const CATALOG_ITEMS_SCHEMA: string[] = [
  `CREATE TABLE catalog_items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, id)
  )`,
  `CREATE UNIQUE INDEX catalog_items_name ON catalog_items(kind, name) WHERE name IS NOT NULL`,
  `CREATE TABLE catalog_pod_state_v6 (
    kind TEXT NOT NULL,
    top_id TEXT NOT NULL,
    pod_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'synced', 'conflict')),
    pod_item_id TEXT,
    detail TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, top_id, pod_id)
  )`,
  `INSERT INTO catalog_pod_state_v6 SELECT kind, top_id, pod_id, status, pod_item_id, detail, updated_at FROM catalog_pod_state`,
  `DROP TABLE catalog_pod_state`,
  `ALTER TABLE catalog_pod_state_v6 RENAME TO catalog_pod_state`,
  `CREATE INDEX catalog_pod_state_pod ON catalog_pod_state(pod_id, kind)`,
];
