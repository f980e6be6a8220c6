// Test helper (not a test): a pod registered through the admin API whose compute endpoint is a
// tiny local upstream, and servers routed to it by writing routings straight into the store.
import type { Client } from '@libsql/client';
import { startUpstream, type Upstream } from '../pods/upstream';
import { call, ADMIN } from '../support/http';

export interface PodFixture {
  upstream: Upstream;
  /** Paths of every request the pod received (discovery included). */
  paths: string[];
  podId: string;
  close(): Promise<void>;
}

/** Upstream answering GET /compute/v2.1/{p}/servers/{id} with a small server body after `delayMs`. */
export async function startServerPod(adminUrl: string, opts: { name?: string; az?: string; delayMs?: number } = {}): Promise<PodFixture> {
  const paths: string[] = [];
  const upstream = await startUpstream((req, res) => {
    paths.push(req.url!);
    const id = req.url!.split('/').pop()!.split('?')[0];
    const send = () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ server: { id, name: `vm-${id}`, status: 'ACTIVE' } }));
    };
    if (opts.delayMs) setTimeout(send, opts.delayMs);
    else send();
  });
  const r = await call(`${adminUrl}/v1.0/pods`, {
    method: 'POST',
    headers: ADMIN,
    body: { pod: { pod_name: opts.name ?? 'Pod1', az_name: opts.az ?? 'az1', endpoints: { compute: `${upstream.origin}/compute/v2.1/$(tenant_id)s` } } },
  });
  if (r.status !== 200) throw new Error(`pod create: ${r.status} ${r.text}`);
  return { upstream, paths, podId: r.body.pod.pod_id as string, close: () => upstream.close() };
}

/** Routes `ids` (servers of `project`) to `podId`, as a completed create would. */
export async function routeServers(db: Client, project: string, podId: string, ids: string[]): Promise<void> {
  const now = new Date().toISOString();
  await db.batch(
    ids.map((id) => ({
      sql: `INSERT INTO routings (top_id, bottom_id, pod_id, project_id, resource_type, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'server', 'active', ?, ?)`,
      args: [id, id, podId, project, now, now],
    })),
    'write',
  );
}
