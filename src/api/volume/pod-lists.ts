/**
 * Lists of resources the gateway does not route, put together from the tenant's pods: volume
 * transfers (`/os-volume-transfer`, and `/volume-transfers` from 3.55) and generic volume groups
 * (`/groups`, 3.13). Each pod is asked in parallel, the answers are merged newest first as Cinder
 * lists them, and a pod that does not answer 200 (down, or without that API) is named in the
 * missing-pods header, as for every list. Horizon's Volumes page reads both next to the volumes
 * and shows an error banner when either fails.
 *
 * Only the lists: creating, showing, accepting or deleting these is not routed (a transfer is
 * accepted by another project, which cannot see the giver's routings). Paging across pods is
 * not offered: `limit`, `marker` and `offset` answer 400 rather than a page that would silently
 * leave items out.
 */
import type { Context } from 'hono';
import { askPods } from '../../fanout';
import { badRequest, isSupported, notFound, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';
import { tenantPods } from './summary';

/** One list: its path under `/v3/{project}/`, the body's key and the microversion it needs. */
export interface PodList {
  /** e.g. `os-volume-transfer/detail` */
  path: string;
  /** e.g. `transfers` */
  key: string;
  /** Lowest microversion that has it (older ones answer 404, as Cinder). */
  since?: string;
  /** For messages: `volume transfers`. */
  noun: string;
}

interface Item {
  id: string;
  created_at?: string;
}

/** The pod question keeps the caller's filters; paging is refused (see above). */
function podSearch(c: Context<GatewayEnv>, noun: string): string {
  const q = new URL(c.req.url).searchParams;
  for (const p of ['limit', 'marker', 'offset']) {
    if (q.has(p)) throw badRequest(`Paging ${noun} across pods is not supported (${p}).`);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The handler of one list. */
export function listFromPods(deps: VolumeDeps, list: PodList) {
  return async function listFromPodsHandler(c: Context<GatewayEnv>): Promise<Response> {
    if (list.since && !isSupported(c.get('apiVersion'), list.since)) throw notFound('The resource could not be found.');
    const projectId = c.get('projectId');
    const search = podSearch(c, list.noun);
    const path = `/v3/${encodeURIComponent(projectId)}/${list.path}`;
    const pods = await tenantPods(deps, projectId);
    const { answers } = await askPods(deps, c, pods, { service: 'volumev3', name: list.key, question: () => ({ path, search }), accept: (s) => s === 200 });
    const items = answers.flatMap((a) => ((a.body as Record<string, Item[] | undefined> | null)?.[list.key]) ?? []);
    items.sort((x, y) => (y.created_at ?? '').localeCompare(x.created_at ?? '') || x.id.localeCompare(y.id));
    return c.json({ [list.key]: items });
  };
}

/** The route rows: each list and its `/detail`. */
export const POD_LISTS: readonly PodList[] = [
  ...['os-volume-transfer', 'volume-transfers'].flatMap((base) => ['', '/detail'].map((d) => ({
    path: `${base}${d}`, key: 'transfers', noun: 'volume transfers', ...(base === 'volume-transfers' ? { since: '3.55' } : {}),
  }))),
  { path: 'groups', key: 'groups', since: '3.13', noun: 'volume groups' },
  { path: 'groups/detail', key: 'groups', since: '3.13', noun: 'volume groups' },
];
