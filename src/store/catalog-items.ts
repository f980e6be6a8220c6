/**
 * Catalog items: the volume API's smaller catalogs the gateway owns (migration 6), one JSON body
 * per item. `id` is the gateway's id (a QoS spec's uuid, the project of a default type, the
 * volume type an encryption belongs to, a quota class's name); `name` is unique per kind when set.
 */
import { randomUUID } from 'node:crypto';
import type { Client, Row } from '@libsql/client';
import { isoNow } from './time';

export type CatalogItemKind = 'qos_spec' | 'default_type' | 'type_encryption' | 'quota_class' | 'group_type' | 'aggregate_host';

export interface CatalogItem<B = Record<string, unknown>> {
  kind: CatalogItemKind;
  id: string;
  name: string | null;
  body: B;
  created_at: string;
  updated_at: string;
}

function toItem<B>(r: Row): CatalogItem<B> {
  return {
    kind: String(r.kind) as CatalogItemKind,
    id: String(r.id),
    name: r.name == null ? null : String(r.name),
    body: JSON.parse(String(r.body)) as B,
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

const COLUMNS = 'kind, id, name, body, created_at, updated_at';

export class CatalogItemRepo {
  constructor(private readonly db: Client) {}

  /** Inserts an item (a fresh uuid unless `id` is given); a taken name or id rejects (UNIQUE). */
  async create<B>(kind: CatalogItemKind, item: { id?: string; name?: string | null; body: B }): Promise<CatalogItem<B>> {
    const now = isoNow();
    const id = item.id ?? randomUUID();
    await this.db.execute({
      sql: `INSERT INTO catalog_items (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
      args: [kind, id, item.name ?? null, JSON.stringify(item.body), now, now],
    });
    return { kind, id, name: item.name ?? null, body: item.body, created_at: now, updated_at: now };
  }

  /** Creates or replaces the item `id` (items keyed by what they belong to). */
  async put<B>(kind: CatalogItemKind, id: string, body: B): Promise<CatalogItem<B>> {
    const now = isoNow();
    await this.db.execute({
      sql: `INSERT INTO catalog_items (${COLUMNS}) VALUES (?, ?, NULL, ?, ?, ?)
            ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
      args: [kind, id, JSON.stringify(body), now, now],
    });
    return (await this.get<B>(kind, id))!;
  }

  async get<B = Record<string, unknown>>(kind: CatalogItemKind, id: string): Promise<CatalogItem<B> | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM catalog_items WHERE kind = ? AND id = ?`, args: [kind, id] });
    return r.rows[0] ? toItem<B>(r.rows[0]) : undefined;
  }

  async getByName<B = Record<string, unknown>>(kind: CatalogItemKind, name: string): Promise<CatalogItem<B> | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM catalog_items WHERE kind = ? AND name = ?`, args: [kind, name] });
    return r.rows[0] ? toItem<B>(r.rows[0]) : undefined;
  }

  /** Items of a kind in creation order. */
  async list<B = Record<string, unknown>>(kind: CatalogItemKind): Promise<CatalogItem<B>[]> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM catalog_items WHERE kind = ? ORDER BY seq`, args: [kind] });
    return r.rows.map((row) => toItem<B>(row));
  }

  /** Replaces the body of an existing item; undefined when there is none. */
  /** Renames an item; a name the kind already has raises a UNIQUE violation. */
  async rename(kind: CatalogItemKind, id: string, name: string): Promise<void> {
    await this.db.execute({ sql: 'UPDATE catalog_items SET name = ?, updated_at = ? WHERE kind = ? AND id = ?', args: [name, isoNow(), kind, id] });
  }

  async update<B>(kind: CatalogItemKind, id: string, body: B): Promise<CatalogItem<B> | undefined> {
    await this.db.execute({ sql: 'UPDATE catalog_items SET body = ?, updated_at = ? WHERE kind = ? AND id = ?', args: [JSON.stringify(body), isoNow(), kind, id] });
    return this.get<B>(kind, id);
  }

  async delete(kind: CatalogItemKind, id: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'DELETE FROM catalog_items WHERE kind = ? AND id = ?', args: [kind, id] });
    return r.rowsAffected > 0;
  }
}
