// /servers/{id}/os-volume_attachments: list/show/attach/detach through the pod's own
// Cinder (volumes of other pods are unknown here: 404). tag 2.70, delete_on_termination
// 2.79, attachment_id + bdm_uuid instead of id from 2.89.
import { randomUUID } from 'node:crypto';
import { badRequest, conflict, jsonBody, NovaError, notFound, since, type NovaContext } from './context';
import type { NovaApi, NovaDeps } from './deps';
import { findServer, recordAction } from './server-lookup';
import { checkLock } from './servers';
import type { SimServer, SimVolumeAttachment } from './state';

const ATTACH_STATES = ['active', 'paused', 'stopped', 'resized', 'soft_deleted', 'shelved', 'shelved_offloaded'];
/** Nova's detach_volume check_instance_state: the attach states plus suspended (not rescued). */
const DETACH_STATES = [...ATTACH_STATES, 'suspended'];

function view(c: NovaContext, s: SimServer, a: SimVolumeAttachment): Record<string, unknown> {
  const v: Record<string, unknown> = { device: a.device, serverId: s.id, volumeId: a.volumeId };
  if (since(c, '2.89')) {
    v.attachment_id = a.attachmentId;
    v.bdm_uuid = a.bdmId;
  } else v.id = a.volumeId;
  if (since(c, '2.70')) v.tag = a.tag;
  if (since(c, '2.79')) v.delete_on_termination = a.deleteOnTermination;
  return v;
}

/**
 * Turn the volume service's SimNotFound / SimConflict into Nova faults. On attach Cinder's
 * refusal is InvalidVolume, which Nova answers with 400; on detach it stays a 409.
 */
function fromVolumeError(err: unknown, volumeId: string, op: 'attach' | 'detach'): never {
  const e = err as { name?: string; status?: number; message?: string };
  if (e?.status === 404 || e?.name === 'SimNotFound') throw notFound(`Volume ${volumeId} could not be found.`);
  if (e?.status === 409 || e?.name === 'SimConflict') {
    const message = e.message ?? `Volume ${volumeId} is busy`;
    throw op === 'attach' ? badRequest(message) : conflict(message);
  }
  if (err instanceof NovaError) throw err;
  throw err;
}

function nextDevice(s: SimServer): string {
  const used = new Set(s.volumes.map((v) => v.device));
  for (let i = 1; i < 26; i++) {
    const d = `/dev/vd${String.fromCharCode(97 + i)}`;
    if (!used.has(d)) return d;
  }
  throw badRequest('No free disk device names for prefix \'vd\'');
}

export function registerVolumeAttachments(api: NovaApi, deps: NovaDeps): void {
  const base = '/servers/:id/os-volume_attachments';
  api.get(base, (c) => {
    const s = findServer(c, deps, c.req.param('id'));
    return c.json({ volumeAttachments: s.volumes.map((a) => view(c, s, a)) });
  });
  api.get(`${base}/:vol`, (c) => {
    const s = findServer(c, deps, c.req.param('id'));
    const a = s.volumes.find((v) => v.volumeId === c.req.param('vol'));
    if (!a) throw notFound(`volume_id not found: ${c.req.param('vol')}`);
    return c.json({ volumeAttachment: view(c, s, a) });
  });
  api.post(base, async (c) => {
    const s = findServer(c, deps, c.req.param('id'));
    const body = (await jsonBody(c)).volumeAttachment as Record<string, unknown> | undefined;
    if (!body || typeof body.volumeId !== 'string') {
      throw badRequest("Invalid input for field/attribute volumeAttachment. 'volumeId' is a required property");
    }
    checkLock(c, s);
    if (!ATTACH_STATES.includes(s.vmState)) throw conflict(`Cannot 'attach_volume' instance ${s.id} while it is in vm_state ${s.vmState}`);
    const volumeId = body.volumeId;
    if (!deps.volumes.get(volumeId)) throw notFound(`Volume ${volumeId} could not be found.`);
    if (s.volumes.some((v) => v.volumeId === volumeId)) throw badRequest(`Invalid volume: volume ${volumeId} already attached`);
    const device = typeof body.device === 'string' && body.device ? body.device : nextDevice(s);
    let att: Record<string, unknown>;
    try {
      att = deps.volumes.attach(volumeId, s.id, device, s.projectId) as unknown as Record<string, unknown>;
    } catch (err) {
      fromVolumeError(err, volumeId, 'attach');
    }
    const a: SimVolumeAttachment = {
      bdmId: randomUUID(), volumeId, device, tag: typeof body.tag === 'string' ? body.tag : null,
      deleteOnTermination: body.delete_on_termination === true,
      attachmentId: String(att?.attachment_id ?? att?.id ?? randomUUID()),
    };
    s.volumes.push(a);
    recordAction(c, s, 'attach_volume');
    return c.json({ volumeAttachment: view(c, s, a) });
  });
  api.delete(`${base}/:vol`, (c) => {
    const s = findServer(c, deps, c.req.param('id'));
    const vol = c.req.param('vol');
    checkLock(c, s);
    if (!DETACH_STATES.includes(s.vmState)) throw conflict(`Cannot 'detach_volume' instance ${s.id} while it is in vm_state ${s.vmState}`);
    const a = s.volumes.find((v) => v.volumeId === vol);
    if (!a) throw notFound(`volume_id not found: ${vol}`);
    try {
      // The BDM goes when the compute has detached: until then the server still lists it.
      deps.volumes.detach(vol, s.id, () => {
        s.volumes = s.volumes.filter((v) => v !== a);
      });
    } catch (err) {
      fromVolumeError(err, vol, 'detach');
    }
    recordAction(c, s, 'detach_volume');
    return c.body(null, 202);
  });
}
