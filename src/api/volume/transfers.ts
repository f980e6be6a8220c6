/**
 * Volume transfers (https://docs.openstack.org/api-ref/block-storage/v3/#volume-transfers-volume-transfers-3-55-or-later):
 * `os-volume-transfer` at every microversion and `volume-transfers` from 3.55 (`no_snapshots`);
 * the pod judges the microversion. A transfer lives in its volume's pod:
 * - create goes there and routes the transfer id to it (the answer alone carries the auth_key);
 * - list is one merged list of the pods holding the project's volumes (transfers have no routing
 *   visibility of their own: the pod shows each project only the transfers of its volumes);
 * - show and delete follow the transfer's routing;
 * - accept is sent by the RECEIVING project to the transfer's pod. Only the pod's 2xx moves
 *   anything: the volume's routing (and those of the snapshots the pod now shows the receiver,
 *   unless the transfer had `no_snapshots`) go to the receiver, and the transfer's routing goes
 *   (Cinder deletes an accepted transfer). A wrong auth_key is the pod's 400 and changes nothing.
 *   Before the pod is asked, the receiver's volume quotas are checked as Cinder checks them on
 *   accept: the gateway's usage spans every pod, a pod's only itself. The transfer's volume and
 *   snapshots are read with the gateway's own credentials (only an admin sees another project's
 *   transfer); when they cannot be read, the pod's own quota check is the only one. Cinder checks
 *   the auth_key first, so a receiver over quota gets the 413 even with a wrong key: the key is
 *   known only to the pod.
 */
import type { Context } from 'hono';
import { askPods } from '../../fanout';
import { askResource, VOLUME_VERSION } from '../../jobs';
import { deletionEvents, forwardById } from '../../proxy';
import { readJson, type GatewayEnv } from '../../http';
import type { Pod, Routing } from '../../store';
import type { VolumeDeps } from './deps';
import { mergedList } from './merged-list';
import { createInPod, podOf } from './same-pod';
import { transferCreate } from './schemas';
import { checkBody, nameOf } from './validation';
import { checkTransferAccept, volumeCostOf } from './volume-quota';

/** The two spellings of the collection: the extension's and the 3.55 resource's. */
export type TransferCollection = 'os-volume-transfer' | 'volume-transfers';

const missing = (id: string) => `Transfer ${id} could not be found.`;

/** Cinder's summary view of a transfer (cinder/api/views/transfers.py), cut from the detail one. */
function summary(item: Record<string, unknown>) {
  return { id: item.id, volume_id: item.volume_id ?? null, name: item.name ?? null, links: item.links ?? [] };
}

export async function createTransfer(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const body = await readJson(c);
  const { transfer } = checkBody(transferCreate, body);
  const pod = await podOf(deps, c, transfer.volume_id, 'volume');
  return createInPod(deps, c, { pod, type: 'transfer', member: 'transfer', body, name: nameOf(transfer) });
}

export async function listTransfers(deps: VolumeDeps, c: Context<GatewayEnv>, collection: TransferCollection, detail: boolean): Promise<Response> {
  const projectId = c.get('projectId');
  const podIds = new Set(await deps.store.routings.podIds(projectId, 'volume'));
  for (const id of await deps.store.routings.podIds(projectId, 'transfer')) podIds.add(id);
  const pods = (await deps.podDir.list()).filter((p) => p.az_name !== '' && (c.get('auth').isAdmin ? p.enabled : podIds.has(p.pod_id)));
  return mergedList(deps, c, {
    key: 'transfers',
    podPath: `/v3/${encodeURIComponent(projectId)}/${collection}/detail`,
    pods,
    name: collection,
    minVersion: collection === 'volume-transfers' ? '3.55' : undefined,
    // cinder/api/contrib/volume_transfer.py lists by created_at, id ascending.
    defaultSort: [
      { key: 'created_at', dir: 'asc' },
      { key: 'id', dir: 'asc' },
    ],
    view: detail ? undefined : summary,
  });
}

export async function transferById(deps: VolumeDeps, c: Context<GatewayEnv>, collection: TransferCollection): Promise<Response> {
  const { response } = await forwardById(deps, c, {
    type: 'transfer',
    service: 'volumev3',
    collection,
    missing,
    // Cinder deletes a transfer before it answers: the owner's 2xx is the proof.
    events: deletionEvents({ deleteIsImmediate: true }),
  });
  return response;
}

export async function acceptTransfer(deps: VolumeDeps, c: Context<GatewayEnv>, collection: TransferCollection): Promise<Response> {
  const id = c.req.param('id')!;
  const transferRouting = await deps.routes.lookup(id, 'transfer');
  if (transferRouting) await checkReceiverQuota(deps, transferRouting, c.get('projectId'));
  const { response, status, pod } = await forwardById(deps, c, { type: 'transfer', service: 'volumev3', collection, missing, events: () => undefined });
  if (status < 200 || status >= 300) return response;
  const receiver = c.get('projectId');
  const accepted = (await response.clone().json().catch(() => null)) as { transfer?: { volume_id?: unknown } } | null;
  const volumeId = accepted?.transfer?.volume_id;
  if (transferRouting) await deps.routes.forget(transferRouting.top_id, 'transfer');
  if (typeof volumeId !== 'string') return response;
  const volume = await deps.routes.lookup(volumeId, 'volume');
  if (!volume || volume.pod_id !== pod.pod_id || volume.project_id === receiver) return response;
  const donor = volume.project_id;
  await deps.routes.reassign(volume, receiver);
  await moveSnapshots(deps, c, volume, donor, receiver);
  return response;
}

/** What accepting the routed transfer would cost the receiver, checked against its quotas. */
async function checkReceiverQuota(deps: VolumeDeps, transfer: Routing, receiver: string): Promise<void> {
  const pod = await deps.podDir.get(transfer.pod_id);
  if (!pod) return;
  const read = async () => {
    const t = await askResource(deps.service, pod, 'transfer', transfer.top_id);
    if (t.state !== 'present' || typeof t.item.volume_id !== 'string') return undefined;
    const volumeId = t.item.volume_id;
    const volume = (await deps.store.volumeUsage.get(volumeId, 'volume')) ?? (await askVolume(deps, pod, volumeId));
    if (!volume) return undefined;
    if (t.item.no_snapshots === true) return { volume, snapshots: [] };
    const a = await deps.service.call(pod, {
      service: 'volumev3',
      path: '/v3/{project}/snapshots/detail',
      search: `?${new URLSearchParams({ all_tenants: '1', volume_id: volumeId })}`,
      version: VOLUME_VERSION,
    });
    const listed = a.status === 200 ? (a.body as { snapshots?: { volume_id?: unknown; size?: unknown }[] } | null)?.snapshots : undefined;
    if (!Array.isArray(listed)) return undefined;
    return { volume, snapshots: listed.filter((s) => s.volume_id === volumeId).map((s) => (typeof s.size === 'number' ? s.size : volume.sizeGb)) };
  };
  const cost = await read().catch(() => undefined);
  if (cost) await checkTransferAccept(deps, receiver, cost.volume, cost.snapshots);
}

async function askVolume(deps: VolumeDeps, pod: Pod, volumeId: string) {
  const v = await askResource(deps.service, pod, 'volume', volumeId);
  return v.state === 'present' ? volumeCostOf(v.item) : undefined;
}

/**
 * The donor's routed snapshots of the volume that the pod now shows the receiver: Cinder gave
 * them with the volume (a transfer without `no_snapshots`). The pod's list, asked with the
 * receiver's token, is the proof; a snapshot it does not show stays the donor's.
 */
async function moveSnapshots(deps: VolumeDeps, c: Context<GatewayEnv>, volume: Routing, donor: string, receiver: string): Promise<void> {
  const pod = await deps.podDir.get(volume.pod_id);
  if (!pod) return;
  const search = `?${new URLSearchParams({ volume_id: volume.top_id })}`;
  const { answers } = await askPods(deps, c, [pod], { service: 'volumev3', name: 'transfer-snapshots', question: () => ({ path: `/v3/${encodeURIComponent(receiver)}/snapshots`, search }), accept: (s) => s === 200 });
  const listed = (answers[0]?.body as { snapshots?: { id?: unknown; volume_id?: unknown }[] } | null)?.snapshots ?? [];
  for (const s of listed) {
    if (typeof s.id !== 'string' || s.volume_id !== volume.top_id) continue;
    const r = await deps.routes.lookup(s.id, 'snapshot');
    if (r && r.pod_id === pod.pod_id && r.project_id === donor) await deps.routes.reassign(r, receiver);
  }
}
