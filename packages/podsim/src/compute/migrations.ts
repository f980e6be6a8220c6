// os-migrations (admin): the pod's migration records, newest first (created_at, then id, both
// descending, as Nova's migration_get_all_by_filters sorts them), with Nova's filters, 2.59
// limit/marker (a migration uuid) paging and `migrations_links`, and the fields each microversion
// adds (2.23 migration_type, 2.59 uuid, 2.80 user_id/project_id). Resizes record them here.
import { randomUUID } from 'node:crypto';
import { badRequest, notFound, requireAdmin, since, type NovaContext } from './context';
import { findServer } from './server-lookup';
import type { NovaApi, NovaDeps } from './deps';
import { naiveSeconds, type SimMigration, type SimServer } from './state';

const MAX_LIMIT = 1000;

/** Records the migration a resize of `s` to flavor `newFlavor` makes (status pre-migrating). */
export function recordMigration(deps: NovaDeps, s: SimServer, newFlavor: string): SimMigration {
  const now = naiveSeconds();
  const m: SimMigration = {
    id: deps.state.migrations.length + 1, uuid: randomUUID(), instanceUuid: s.id, host: s.host, status: 'pre-migrating',
    oldFlavorId: Number(s.flavor.id) || 0, newFlavorId: Number(newFlavor) || 0, type: 'resize', createdAt: now, updatedAt: now, userId: s.userId, projectId: s.projectId,
  };
  deps.state.migrations.push(m);
  return m;
}

export function lastMigration(deps: NovaDeps, serverId: string): SimMigration | undefined {
  return deps.state.migrations.filter((m) => m.instanceUuid === serverId).at(-1);
}

export function setMigration(m: SimMigration | undefined, status: string): void {
  if (!m) return;
  m.status = status;
  m.updatedAt = naiveSeconds();
}

function view(c: NovaContext, m: SimMigration): Record<string, unknown> {
  const v: Record<string, unknown> = {
    id: m.id, source_node: m.host, dest_node: m.host, source_compute: m.host, dest_compute: m.host, dest_host: '127.0.0.1', status: m.status,
    instance_uuid: m.instanceUuid, old_instance_type_id: m.oldFlavorId, new_instance_type_id: m.newFlavorId, created_at: m.createdAt, updated_at: m.updatedAt,
  };
  if (since(c, '2.23')) v.migration_type = m.type;
  if (since(c, '2.59')) v.uuid = m.uuid;
  if (since(c, '2.80')) {
    v.user_id = m.userId;
    v.project_id = m.projectId;
  }
  return v;
}

const newestFirst = (a: SimMigration, b: SimMigration) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id - a.id);

export function registerMigrations(api: NovaApi, deps: NovaDeps): void {
  // servers/{id}/migrations (2.23+): the server's in-progress live migrations. One host per pod,
  // so there never is one (server_migrations.py answers the empty list, and 404 for an id).
  api.get('/servers/:id/migrations', (c) => {
    if (!since(c, '2.23')) throw notFound('The resource could not be found.');
    requireAdmin(c, 'os_compute_api:servers:migrations:index');
    findServer(c, deps, c.req.param('id'));
    return c.json({ migrations: [] });
  });
  api.get('/servers/:id/migrations/:mid', (c) => {
    if (!since(c, '2.23')) throw notFound('The resource could not be found.');
    requireAdmin(c, 'os_compute_api:servers:migrations:show');
    const s = findServer(c, deps, c.req.param('id'));
    throw notFound(`In-progress live migration ${c.req.param('mid')} is not found for server ${s.id}.`);
  });
  api.get('/os-migrations', (c) => {
    requireAdmin(c, 'os_compute_api:os-migrations:index');
    const q = (k: string) => c.req.query(k);
    let rows = [...deps.state.migrations].sort(newestFirst).filter((m) =>
      (q('status') === undefined || m.status === q('status')) &&
      (q('instance_uuid') === undefined || m.instanceUuid === q('instance_uuid')) &&
      (q('migration_type') === undefined || m.type === q('migration_type')) &&
      (q('host') === undefined || m.host === q('host')) &&
      (q('source_compute') === undefined || m.host === q('source_compute')) &&
      (!since(c, '2.80') || q('user_id') === undefined || m.userId === q('user_id')) &&
      (!since(c, '2.80') || q('project_id') === undefined || m.projectId === q('project_id')));
    let limit = MAX_LIMIT;
    if (since(c, '2.59')) {
      const l = q('limit');
      if (l !== undefined) {
        if (!/^\d+$/.test(l)) throw badRequest(`Invalid input for query parameters limit. Value: ${l}. '${l}' does not match '^[0-9]*$'`);
        limit = Math.min(Number(l), MAX_LIMIT);
      }
      const marker = q('marker');
      if (marker !== undefined) {
        const at = rows.findIndex((m) => m.uuid === marker);
        if (at === -1) throw badRequest(`Marker ${marker} could not be found.`);
        rows = rows.slice(at + 1);
      }
    }
    rows = rows.slice(0, limit);
    const body: Record<string, unknown> = { migrations: rows.map((m) => view(c, m)) };
    if (since(c, '2.59') && rows.length === limit && limit > 0) {
      const url = new URL(c.req.url);
      const params = new URLSearchParams([...url.searchParams.entries()].filter(([k]) => k !== 'marker').sort(([a], [b]) => (a < b ? -1 : 1)));
      params.set('marker', rows.at(-1)!.uuid);
      const project = c.get('urlProjectId');
      const base = url.pathname.slice(0, url.pathname.indexOf('/v2.1') + '/v2.1'.length);
      body.migrations_links = [{ rel: 'next', href: `${url.origin}${base}${project ? `/${project}` : ''}/os-migrations?${params}` }];
    }
    return c.json(body);
  });
}
