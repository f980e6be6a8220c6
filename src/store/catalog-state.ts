/**
 * Per pod, where each item of the gateway's catalogs stands (migration 4): `pending` until its
 * sync job made the pod match, `synced` (with the pod's own id for it: Cinder assigns volume type
 * ids per pod), `conflict` when the pod defines the same id differently (the detail says how).
 */
import type { Client, Row } from '@libsql/client';
import { isoNow } from './time';

export type CatalogKind = 'flavor' | 'volume_type' | 'qos_spec' | 'default_type' | 'group_type';
export type CatalogStatus = 'pending' | 'synced' | 'conflict';

export interface CatalogState {
  kind: CatalogKind;
  top_id: string;
  pod_id: string;
  status: CatalogStatus;
  /** The pod's id for the item (volume types); the same id for flavors. */
  pod_item_id: string | null;
  /** Why a conflict; what was pushed last (JSON) for a synced item. */
  detail: string | null;
  updated_at: string;
}

function toState(r: Row): CatalogState {
  return {
    kind: String(r.kind) as CatalogKind,
    top_id: String(r.top_id),
    pod_id: String(r.pod_id),
    status: String(r.status) as CatalogStatus,
    pod_item_id: r.pod_item_id == null ? null : String(r.pod_item_id),
    detail: r.detail == null ? null : String(r.detail),
    updated_at: String(r.updated_at),
  };
}

export class CatalogStateRepo {
  constructor(private readonly db: Client) {}

  async get(kind: CatalogKind, topId: string, podId: string): Promise<CatalogState | undefined> {
    const r = await this.db.execute({ sql: 'SELECT * FROM catalog_pod_state WHERE kind = ? AND top_id = ? AND pod_id = ?', args: [kind, topId, podId] });
    return r.rows[0] ? toState(r.rows[0]) : undefined;
  }

  async set(s: Omit<CatalogState, 'updated_at'>): Promise<void> {
    await this.db.execute({
      sql: `INSERT INTO catalog_pod_state (kind, top_id, pod_id, status, pod_item_id, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (kind, top_id, pod_id) DO UPDATE SET status = excluded.status, pod_item_id = excluded.pod_item_id, detail = excluded.detail, updated_at = excluded.updated_at`,
      args: [s.kind, s.top_id, s.pod_id, s.status, s.pod_item_id, s.detail, isoNow()],
    });
  }

  /** Marks an item pending in a pod unless the pod has it already (an update keeps it usable). */
  async markPending(kind: CatalogKind, topId: string, podId: string): Promise<void> {
    await this.db.execute({
      sql: `INSERT INTO catalog_pod_state (kind, top_id, pod_id, status, updated_at) VALUES (?, ?, ?, 'pending', ?)
            ON CONFLICT (kind, top_id, pod_id) DO NOTHING`,
      args: [kind, topId, podId, isoNow()],
    });
  }

  async remove(kind: CatalogKind, topId: string, podId: string): Promise<void> {
    await this.db.execute({ sql: 'DELETE FROM catalog_pod_state WHERE kind = ? AND top_id = ? AND pod_id = ?', args: [kind, topId, podId] });
  }

  /** Every state of one item (all pods), or of one kind in one pod. */
  async list(f: { kind: CatalogKind; topId?: string; podId?: string }): Promise<CatalogState[]> {
    const where = ['kind = ?'];
    const args: string[] = [f.kind];
    if (f.topId !== undefined) (where.push('top_id = ?'), args.push(f.topId));
    if (f.podId !== undefined) (where.push('pod_id = ?'), args.push(f.podId));
    const r = await this.db.execute({ sql: `SELECT * FROM catalog_pod_state WHERE ${where.join(' AND ')}`, args });
    return r.rows.map(toState);
  }

  /** The gateway's id of a pod's item (a pod volume type id → the top one). */
  async topIdOf(kind: CatalogKind, podItemId: string): Promise<string | undefined> {
    const r = await this.db.execute({ sql: 'SELECT top_id FROM catalog_pod_state WHERE kind = ? AND pod_item_id = ? LIMIT 1', args: [kind, podItemId] });
    return r.rows[0] ? String(r.rows[0].top_id) : undefined;
  }

  /** Pod item id → top id for every synced item of a kind (for translating answers). */
  async podIdMap(kind: CatalogKind): Promise<Map<string, string>> {
    const r = await this.db.execute({ sql: "SELECT pod_item_id, top_id FROM catalog_pod_state WHERE kind = ? AND status = 'synced' AND pod_item_id IS NOT NULL", args: [kind] });
    return new Map(r.rows.map((row) => [String(row.pod_item_id), String(row.top_id)]));
  }
}
