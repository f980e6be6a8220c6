/**
 * Everything under `/servers/{id}`: the shared by-id pass-through to the server's pod, with the
 * hooks where the gateway must act:
 * - the AZ in answers is the top AZ;
 * - a DELETE or `forceDelete` the pod accepted marks the routing deleting (the server stops
 *   counting against quota at once; a job removes the routing once the pod no longer has it:
 *   deletion is asynchronous in Nova); `restore` of a soft-deleted server makes it active again;
 *   a 404 to the owner has a job verify it with the gateway's credentials;
 * - attaching a volume requires the volume to live in the server's pod, and the attachment Nova
 *   makes for it is routed by an `adopt_server_volumes` job;
 * - `resize`, `confirmResize` and `revertResize` move the server's cores and RAM usage
 *   (server-resize.ts).
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { askPods, tenantPodIds } from '../../fanout';
import { deletionEvents, forwardById, ownerPod } from '../../proxy';
import { enqueueServerVolumes } from '../../jobs';
import type { Pod } from '../../store';
import { badRequest, isSupported, notFound } from '../../http';
import { serverAzToTop } from './az';
import { innerZones, innerZonesKnown } from './aggregate-zones';
import { actionForPod, checkAction } from './server-action-hooks';
import { callerRoute } from '../common';
import type { ComputeDeps, ComputeEnv } from './deps';
import { applyResizeStep, resizeStep, type ResizeStep } from './server-resize';

const instanceMissing = (id: string) => `Instance ${id} could not be found.`;

/** The pod that owns server `id`, or a 404 in Nova's words. */
export function serverPod(deps: ComputeDeps, id: string): Promise<Pod> {
  return ownerPod(deps, id, 'server', instanceMissing(id));
}

/** The part of a volume attach the gateway reads; any other shape is the pod's to judge. */
const VolumeAttach = v.object({ volumeAttachment: v.object({ volumeId: v.string() }) });

async function checkAttachSamePod(deps: ComputeDeps, c: Context<ComputeEnv>, body: unknown, pod: Pod): Promise<void> {
  if (!v.is(VolumeAttach, body)) return;
  const volumeId = body.volumeAttachment.volumeId;
  const route = await callerRoute(deps, c, volumeId, 'volume');
  if (!route) throw notFound(`Volume ${volumeId} could not be found.`);
  if (route.pod_id !== pod.pod_id) throw badRequest('Server and volume not in the same pod');
}

/** Nova's server actions that delete a server or undo a soft delete (deferred_delete). */
const SERVER_EVENTS = deletionEvents({ deletingActions: ['forceDelete'], restoringActions: ['restore'] });

const isAction = (method: string, sub: string) => method === 'POST' && /^\/action\/?$/.test(sub);

/** `POST /servers/{id}/os-volume_attachments`: Nova makes a Cinder attachment for the volume. */
const isAttach = (method: string, sub: string) => method === 'POST' && /^\/os-volume_attachments\/?$/.test(sub);

/** The collection the path names: `servers`, or `os-volumes_boot`, Nova's alias of it (up to 2.102). */
const collectionOf = (c: Context<ComputeEnv>) => (/\/os-volumes_boot\//.test(c.req.path) ? 'os-volumes_boot' : 'servers');

/** The path below `/{collection}/{id}`. */
function subOf(c: Context<ComputeEnv>, id: string): string {
  const marker = `/${collectionOf(c)}/${id}`;
  const at = c.req.path.indexOf(marker);
  return at === -1 ? '' : c.req.path.slice(at + marker.length);
}

/** `GET …/os-instance-actions[/{request_id}]`: from 2.21 Nova lists the actions of deleted servers too. */
const ACTIONS_READ = /^\/os-instance-actions(\/[^/]+)?\/?$/;

/**
 * The actions of a server the gateway routed once and whose routing went with the server (its
 * deletion was proven): the pod is no longer recorded, so the tenant's pods are asked, and the
 * one answer 200 is the answer (Nova keeps a deleted instance's actions, and reads them from 2.21).
 * Undefined when this is not such a read or no single pod has them.
 */
async function deletedServerActions(deps: ComputeDeps, c: Context<ComputeEnv>, id: string): Promise<Response | undefined> {
  const marker = `/servers/${id}`;
  const sub = subOf(c, id);
  if (c.req.method !== 'GET' || !ACTIONS_READ.test(sub) || !isSupported(c.get('apiVersion'), '2.21')) return undefined;
  if ((await deps.routes.lookup(id, 'server')) || !(await deps.store.routings.wasRouted(id, 'server'))) return undefined;
  const projectId = c.get('projectId');
  const ids = await tenantPodIds(deps.store, projectId, 'server');
  const pods = (await deps.podDir.list()).filter((p) => p.az_name !== '' && p.enabled && ids.has(p.pod_id));
  const path = `/v2.1/${encodeURIComponent(projectId)}${marker}${sub}`;
  const { answers } = await askPods(deps, c, pods, { service: 'compute', name: 'deleted-server-actions', question: () => ({ path }) });
  const found = answers.filter((a) => a.status === 200 && a.body !== null);
  if (found.length !== 1) return undefined;
  return c.body(found[0]!.text, 200, { 'content-type': 'application/json' });
}

/** How a request by server id is forwarded: shared by the handler below and the listener's fast route. */
export function serverByIdOptions(deps: ComputeDeps) {
  return {
    type: 'server',
    service: 'compute',
    collection: 'servers',
    // Synchronous while the zones are known: the fast route then makes no promise for it.
    transform: (pod: Pod) => {
      const known = innerZonesKnown(deps);
      return known ? serverAzToTop(pod, known) : innerZones(deps).then((zones) => serverAzToTop(pod, zones));
    },
    events: SERVER_EVENTS,
  } as const;
}

/**
 * The server actions some hook of this handler reads, changes or acts on after the pod answered:
 * `rebuild` (key_name) and `unshelve` (availability_zone) in server-action-hooks.ts, the resize
 * steps in server-resize.ts, and SERVER_EVENTS' `forceDelete` and `restore`. Every other action
 * is forwarded as sent.
 */
export const HOOKED_SERVER_ACTIONS: ReadonlySet<string> = new Set(['rebuild', 'unshelve', 'resize', 'confirmResize', 'revertResize', 'forceDelete', 'restore']);

export async function serverById(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const id = c.req.param('id')!;
  const deleted = await deletedServerActions(deps, c, id);
  if (deleted) return deleted;
  let resize: ResizeStep | undefined;
  const { response, status, pod } = await forwardById(deps, c, {
    ...serverByIdOptions(deps),
    collection: collectionOf(c),
    missing: instanceMissing,
    peek: {
      when: (method, sub) => isAttach(method, sub) || isAction(method, sub),
      // Another project's server is the pod's to refuse (404 to the caller's token): a check here
      // would answer a 400 naming the AZ it lives in, a quota verdict, or hand the caller's
      // keypair to its pod.
      check: async (body, pod, sub) => {
        if (!(await callerRoute(deps, c, id, 'server'))) return;
        if (!isAction('POST', sub)) return checkAttachSamePod(deps, c, body, pod);
        await checkAction(deps, c, body, pod);
        resize = await resizeStep(deps, id, body);
      },
      rewrite: async (body, pod, sub) => (isAction('POST', sub) ? actionForPod(body, pod, await innerZones(deps)) : undefined),
    },
  });
  if (resize && status >= 200 && status < 300) await applyResizeStep(deps, id, resize);
  if (status === 200 && isAttach(c.req.method, subOf(c, id))) {
    // The attachment Nova made is routed by a job (it reads the server's volumes with the gateway's credentials).
    const owner = (await deps.routes.peek(id, 'server'))?.project_id ?? c.get('projectId');
    await enqueueServerVolumes(deps, { pod_id: pod.pod_id, project_id: owner, server_id: id }).catch(() => {});
  }
  return response;
}
