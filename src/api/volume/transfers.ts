/**
 * Volume transfer lists (`GET /os-volume-transfer[/detail]`, and `/volume-transfers[/detail]`
 * from 3.55): the tenant's pods asked in parallel and their transfers put together, newest first
 * as Cinder lists them. Horizon's Volumes page lists transfers next to the volumes and shows an
 * error banner when it cannot. A pod that does not answer 200 (down, or without the transfer
 * API) is named in the missing-pods header, as for every list.
 *
 * Only the lists: creating, showing, accepting and deleting a transfer are not routed (a
 * transfer is accepted by another project, which cannot see the giver's routings).
 * Paging across pods is not offered: `limit` and `marker` answer 400 rather than a page that
 * would silently leave transfers out.
 */
import type { Context } from 'hono';
import { askPods } from '../../fanout';
import { badRequest, isSupported, notFound, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';
import { tenantPods } from './summary';

interface Transfer {
  id: string;
  created_at?: string;
}

/** The pod question keeps the caller's filters; paging is refused (see above). */
function podSearch(c: Context<GatewayEnv>): string {
  const q = new URL(c.req.url).searchParams;
  for (const p of ['limit', 'marker', 'offset']) {
    if (q.has(p)) throw badRequest(`Paging volume transfers across pods is not supported (${p}).`);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * @param collection `os-volume-transfer` (every version) or `volume-transfers` (3.55+)
 */
export function listTransfers(deps: VolumeDeps, collection: 'os-volume-transfer' | 'volume-transfers', detail: boolean) {
  return async function listTransfersHandler(c: Context<GatewayEnv>): Promise<Response> {
    if (collection === 'volume-transfers' && !isSupported(c.get('apiVersion'), '3.55')) throw notFound('The resource could not be found.');
    const projectId = c.get('projectId');
    const search = podSearch(c);
    const path = `/v3/${encodeURIComponent(projectId)}/${collection}${detail ? '/detail' : ''}`;
    const pods = await tenantPods(deps, projectId);
    const { answers } = await askPods(deps, c, pods, { service: 'volumev3', name: 'volume-transfers', question: () => ({ path, search }), accept: (s) => s === 200 });
    const transfers = answers.flatMap((a) => (a.body as { transfers?: Transfer[] } | null)?.transfers ?? []);
    transfers.sort((x, y) => (y.created_at ?? '').localeCompare(x.created_at ?? '') || x.id.localeCompare(y.id));
    return c.json({ transfers });
  };
}
