/**
 * `GET /os-migrations` (admin; https://docs.openstack.org/api-ref/compute/#migrations-os-migrations):
 * every pod's migrations, merged newest first as Nova merges its cells (created_at, then id, both
 * descending), ids offset per pod like the services' (they are integers in every microversion).
 * The filters go to every pod; from 2.59 `limit` and `marker` (a migration uuid, unique across
 * pods) page the merged list here, with `migrations_links`. `servers/{id}/migrations` is the
 * server's own pass-through.
 */
import type { Context } from 'hono';
import { askPods } from '../../fanout';
import { badRequest, isSupported } from '../../http';
import { queryOf } from '../common';
import type { ComputeDeps, ComputeEnv } from './deps';
import { listBody, nextLinks, novaPage } from './links';
import { can } from './policy';
import { podPositions, POD_ID_STRIDE } from './services-hypervisors';

type Migration = Record<string, unknown> & { id: number; created_at?: string; uuid?: string };

const newestFirst = (a: Migration, b: Migration) => {
  const ca = String(a.created_at ?? '');
  const cb = String(b.created_at ?? '');
  return ca < cb ? 1 : ca > cb ? -1 : b.id - a.id;
};

export async function migrationsIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-migrations:index', {});
  const paged = isSupported(c.get('apiVersion'), '2.59');
  const page = paged ? novaPage(deps, c) : { limit: deps.maxLimit, limitGiven: false, marker: undefined };
  const filters = new URLSearchParams([...queryOf(c)].filter(([k]) => k !== 'limit' && k !== 'marker'));
  const search = filters.size ? `?${filters}` : '';
  const path = `/v2.1/${encodeURIComponent(c.get('projectId'))}/os-migrations`;
  const positions = await podPositions(deps);
  const { answers } = await askPods(deps, c, await deps.podDir.bottoms(), { service: 'compute', name: 'os-migrations', question: () => ({ path, search }), accept: (s) => s === 200 });
  let all: Migration[] = [];
  for (const a of answers) {
    const pos = positions.get(a.pod.pod_id) ?? 0;
    for (const m of ((a.body as { migrations?: Migration[] } | null)?.migrations ?? [])) {
      if (typeof m.id === 'number') m.id = pos * POD_ID_STRIDE + m.id;
      all.push(m);
    }
  }
  all.sort(newestFirst);
  if (page.marker !== undefined) {
    const at = all.findIndex((m) => m.uuid === page.marker);
    if (at === -1) throw badRequest(`Marker ${page.marker} could not be found.`);
    all = all.slice(at + 1);
  }
  const items = all.slice(0, page.limit);
  const links = paged ? nextLinks(deps, c, 'os-migrations', page, items.length, items.at(-1)?.uuid) : [];
  return c.json(listBody('migrations', items, links));
}
