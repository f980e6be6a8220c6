/**
 * Pod bindings repository. A tenant has at most one ACTIVE binding per availability zone; older
 * bindings stay as history (is_binding = false) so a rebind never collides with its own history.
 */
import { randomUUID } from 'node:crypto';
import type { Client, InStatement, Row } from '@libsql/client';
import { isoNow } from './time';

export interface Binding {
  id: string;
  tenant_id: string;
  pod_id: string;
  az_name: string;
  is_binding: boolean;
  created_at: string;
  updated_at: string;
}

export interface BindingFilter {
  tenant_id?: string;
  pod_id?: string;
  is_binding?: boolean;
}

const COLUMNS = 'id, tenant_id, pod_id, az_name, is_binding, created_at, updated_at';

function toBinding(r: Row): Binding {
  return {
    id: String(r.id),
    tenant_id: String(r.tenant_id),
    pod_id: String(r.pod_id),
    az_name: String(r.az_name),
    is_binding: Number(r.is_binding) === 1,
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

export class BindingRepo {
  constructor(private readonly db: Client) {}

  /**
   * Makes `podId` the tenant's active binding in `azName`. Any other active binding of the tenant
   * in that AZ becomes history in the same write, so the switch is atomic.
   */
  async bind(tenantId: string, podId: string, azName: string): Promise<Binding> {
    const now = isoNow();
    const b: Binding = { id: randomUUID(), tenant_id: tenantId, pod_id: podId, az_name: azName, is_binding: true, created_at: now, updated_at: now };
    const stmts: InStatement[] = [
      { sql: 'UPDATE pod_bindings SET is_binding = 0, updated_at = ? WHERE tenant_id = ? AND az_name = ? AND is_binding = 1', args: [now, tenantId, azName] },
      { sql: `INSERT INTO pod_bindings (${COLUMNS}) VALUES (?, ?, ?, ?, 1, ?, ?)`, args: [b.id, tenantId, podId, azName, now, now] },
    ];
    await this.db.batch(stmts, 'write');
    return b;
  }

  async list(filter: BindingFilter = {}): Promise<Binding[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.tenant_id !== undefined) (where.push('tenant_id = ?'), args.push(filter.tenant_id));
    if (filter.pod_id !== undefined) (where.push('pod_id = ?'), args.push(filter.pod_id));
    if (filter.is_binding !== undefined) (where.push('is_binding = ?'), args.push(filter.is_binding ? 1 : 0));
    const r = await this.db.execute({
      sql: `SELECT ${COLUMNS} FROM pod_bindings ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq`,
      args,
    });
    return r.rows.map(toBinding);
  }

  async get(id: string): Promise<Binding | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM pod_bindings WHERE id = ?`, args: [id] });
    return r.rows[0] ? toBinding(r.rows[0]) : undefined;
  }

  /** The tenant's active bindings in creation order. */
  async active(tenantId: string): Promise<Binding[]> {
    return this.list({ tenant_id: tenantId, is_binding: true });
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.execute({ sql: 'DELETE FROM pod_bindings WHERE id = ?', args: [id] });
    return r.rowsAffected > 0;
  }
}
