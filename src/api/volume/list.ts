/**
 * `/attachments[...]` (3.27): attachments are listed through their volume (an attachment created
 * by Nova inside a pod has no routing of its own), so they cannot use the sort-merging fan-out.
 * The pods holding the project's volumes are asked in parallel WITHOUT paging parameters; only
 * attachments of volumes routed to the answering pod are kept (a shared pod never leaks another
 * project's), and sorting (`sort=k:dir,...` or `sort_key`/`sort_dir`), `marker` and `limit` are
 * applied once to the merged list, so a marker from one pod never reaches another.
 * `attachments_links` point at the gateway.
 */
import type { Context } from 'hono';
import { askPods } from '../../fanout';
import { nextLink, notFound, type GatewayEnv } from '../../http';
import { CINDER_QUERY, pageParams } from '../common';
import type { VolumeDeps } from './deps';
import { cinderSortKeys } from './list-sort';

/** Parameters the gateway answers itself; never sent to a pod. */
const GATEWAY_PARAMS = ['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir'];

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

function ownField(item: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(item, key) ? item[key] : undefined;
}

/** An attachment and the position of its volume's routing (creation order at the gateway). */
interface Listed {
  item: Record<string, unknown> & { id: string };
  seq: number;
}

/** The project's attachments, from every pod holding its volumes; `search` goes to the pods. */
async function projectAttachments(deps: VolumeDeps, c: Context<GatewayEnv>, path: string, search: string): Promise<Listed[]> {
  const projectId = c.get('projectId');
  const routings = await deps.store.routings.list({ project_id: projectId, resource_type: 'volume', status: 'active' });
  const volumes = new Map(routings.map((r) => [r.top_id, r]));
  const podIds = new Set(routings.map((r) => r.pod_id));
  const pods = (await deps.podDir.list()).filter((p) => podIds.has(p.pod_id));
  const { answers } = await askPods(deps, c, pods, { service: 'volumev3', name: 'attachments', question: () => ({ path, search }) });
  return answers.flatMap((a) => {
    const list = a.status === 200 ? (a.body as { attachments?: unknown } | null)?.attachments : undefined;
    if (!Array.isArray(list)) return [];
    return (list as Listed['item'][]).flatMap((item) => {
      const r = volumes.get(String(item.volume_id));
      return r?.pod_id === a.pod.pod_id ? [{ item, seq: r.id }] : [];
    });
  });
}

export async function listAttachments(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const url = new URL(c.req.url);
  const q = url.searchParams;
  const keys = cinderSortKeys(q);
  const { limit, limitGiven, marker } = pageParams(q, CINDER_QUERY.limit, deps.maxLimit);
  const podQuery = new URLSearchParams(q);
  for (const p of GATEWAY_PARAMS) podQuery.delete(p);
  const path = `/v3/${encodeURIComponent(c.get('projectId'))}${url.pathname.slice(url.pathname.indexOf('/attachments'))}`;
  const listed = await projectAttachments(deps, c, path, podQuery.size ? `?${podQuery}` : '');
  // Default order: newest first by the gateway's own creation order (items of a summary list
  // have no timestamps); explicit keys first, that order breaking ties.
  listed.sort((a, b) => {
    for (const k of keys) {
      // Sort keys come from the caller: read own fields only, never an inherited member.
      const d = compareValues(ownField(a.item, k.key), ownField(b.item, k.key));
      if (d !== 0) return k.dir === 'desc' ? -d : d;
    }
    return b.seq - a.seq;
  });
  let start = 0;
  if (marker) {
    const at = listed.findIndex((l) => l.item.id === marker);
    if (at === -1) throw notFound(`Marker ${marker} could not be found.`);
    start = at + 1;
  }
  const page = listed.slice(start, start + limit).map((l) => l.item);
  const body: Record<string, unknown> = { attachments: page };
  if (page.length > 0 && start + limit < listed.length) {
    // The request's own query, `limit` restated as the page size served.
    const query = new URLSearchParams(q);
    if (limitGiven) query.set('limit', String(limit));
    body.attachments_links = [nextLink(c, page.at(-1)!.id, { publicUrl: deps.publicUrl, query })];
  }
  return c.json(body);
}
