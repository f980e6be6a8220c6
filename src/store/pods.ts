/** Pods repository: one row per OpenStack region behind the gateway. */
import { randomUUID } from 'node:crypto';
import type { Client, Row } from '@libsql/client';
import { isoNow } from './time';

export type PodServiceType = 'compute' | 'volumev3' | 'image';
export type PodEndpoints = Partial<Record<PodServiceType, string>>;

export interface Pod {
  pod_id: string;
  pod_name: string;
  pod_az_name: string;
  dc_name: string;
  az_name: string;
  enabled: boolean;
  endpoints: PodEndpoints | null;
  created_at: string;
  updated_at: string;
}

export interface NewPod {
  pod_name: string;
  pod_az_name: string;
  dc_name: string;
  az_name: string;
  enabled: boolean;
  endpoints: PodEndpoints | null;
}

export type PodPatch = Partial<Pick<Pod, 'pod_name' | 'dc_name' | 'pod_az_name' | 'az_name' | 'enabled' | 'endpoints'>>;

const COLUMNS = 'pod_id, pod_name, pod_az_name, dc_name, az_name, enabled, endpoints, created_at, updated_at';

function toPod(r: Row): Pod {
  return {
    pod_id: String(r.pod_id),
    pod_name: String(r.pod_name),
    pod_az_name: String(r.pod_az_name),
    dc_name: String(r.dc_name),
    az_name: String(r.az_name),
    enabled: Number(r.enabled) === 1,
    endpoints: r.endpoints == null ? null : (JSON.parse(String(r.endpoints)) as PodEndpoints),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

export class PodRepo {
  constructor(private readonly db: Client) {}

  async create(p: NewPod): Promise<Pod> {
    const now = isoNow();
    const pod: Pod = { pod_id: randomUUID(), ...p, created_at: now, updated_at: now };
    await this.db.execute({
      sql: `INSERT INTO pods (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [pod.pod_id, pod.pod_name, pod.pod_az_name, pod.dc_name, pod.az_name, pod.enabled ? 1 : 0, pod.endpoints ? JSON.stringify(pod.endpoints) : null, now, now],
    });
    return pod;
  }

  /** All pods in creation order. */
  async list(): Promise<Pod[]> {
    const r = await this.db.execute(`SELECT ${COLUMNS} FROM pods ORDER BY seq`);
    return r.rows.map(toPod);
  }

  async get(podId: string): Promise<Pod | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM pods WHERE pod_id = ?`, args: [podId] });
    return r.rows[0] ? toPod(r.rows[0]) : undefined;
  }

  async getByName(name: string): Promise<Pod | undefined> {
    const r = await this.db.execute({ sql: `SELECT ${COLUMNS} FROM pods WHERE pod_name = ?`, args: [name] });
    return r.rows[0] ? toPod(r.rows[0]) : undefined;
  }

  /** The top pod (the gateway's own region), if registered. */
  async top(): Promise<Pod | undefined> {
    const r = await this.db.execute(`SELECT ${COLUMNS} FROM pods WHERE az_name = '' ORDER BY seq LIMIT 1`);
    return r.rows[0] ? toPod(r.rows[0]) : undefined;
  }

  async update(podId: string, patch: PodPatch): Promise<Pod | undefined> {
    const sets: string[] = [];
    const args: (string | number | null)[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      sets.push(`${k} = ?`);
      if (k === 'enabled') args.push(v ? 1 : 0);
      else if (k === 'endpoints') args.push(v ? JSON.stringify(v) : null);
      else args.push(v as string);
    }
    if (sets.length > 0) {
      sets.push('updated_at = ?');
      args.push(isoNow(), podId);
      await this.db.execute({ sql: `UPDATE pods SET ${sets.join(', ')} WHERE pod_id = ?`, args });
    }
    return this.get(podId);
  }

  /** Deletes the pod, its endpoint cache and its catalog state. Returns false when it did not exist. */
  async delete(podId: string): Promise<boolean> {
    const [, , r] = await this.db.batch(
      [
        { sql: 'DELETE FROM endpoint_cache WHERE pod_id = ?', args: [podId] },
        { sql: 'DELETE FROM catalog_pod_state WHERE pod_id = ?', args: [podId] },
        { sql: 'DELETE FROM pods WHERE pod_id = ?', args: [podId] },
      ],
      'write',
    );
    return (r?.rowsAffected ?? 0) > 0;
  }

  /** How many bindings (active or history) and routings still point at the pod. */
  async references(podId: string): Promise<{ bindings: number; routings: number }> {
    const r = await this.db.execute({
      sql: `SELECT (SELECT COUNT(*) FROM pod_bindings WHERE pod_id = ?1) AS b, (SELECT COUNT(*) FROM routings WHERE pod_id = ?1) AS r`,
      args: [podId],
    });
    return { bindings: Number(r.rows[0]?.b ?? 0), routings: Number(r.rows[0]?.r ?? 0) };
  }
}
