// The 3.27+ attachments API (cinder/api/v3/attachments.py): create reserves
// the volume (with a connector it goes straight to 'attaching'), update sets
// the connector, os-complete (3.44) marks it attached and the volume in-use,
// delete detaches and answers the attachments left on the volume.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, isObject, member, mv, readBody } from './context';
import { invalidVolume, notFound } from './faults';
import type { CinderState } from './state';
import { cinderTime } from './state';
import type { SimAttachment, SimVolume } from './types';

const RESERVABLE = ['available', 'in-use', 'downloading'];

function summary(a: SimAttachment): Record<string, unknown> {
  return { id: a.id, status: a.status, instance: a.serverId, volume_id: a.volumeId };
}

function connectionInfo(a: SimAttachment): Record<string, unknown> | null {
  if (!a.connector) return null;
  return {
    driver_volume_type: 'iscsi',
    target_iqn: `iqn.2010-10.org.openstack:volume-${a.volumeId}`,
    target_portal: '127.0.0.1:3260',
    target_lun: 0,
    volume_id: a.volumeId,
    access_mode: a.mode,
    attachment_id: a.id,
  };
}

function detail(a: SimAttachment): Record<string, unknown> {
  return {
    ...summary(a),
    attached_at: a.attachedAt ?? '',
    detached_at: a.detachedAt ?? '',
    attach_mode: a.mode,
    connection_info: connectionInfo(a),
  };
}

export function attachmentRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const gate = (c: Ctx, min = '3.27') => {
    if (!mv(c, min)) throw notFound('The resource could not be found.');
  };
  const find = (c: Ctx): { a: SimAttachment; vol: SimVolume } => {
    const id = c.req.param('id')!;
    const a = st.attachments.get(id);
    const vol = a && st.volumes.get(a.volumeId);
    if (!a || !vol || !st.canSee(identity(c), a.projectId)) {
      throw notFound(`Volume attachment could not be found with filter: attachment_id = ${id}.`);
    }
    return { a, vol };
  };
  const visible = (c: Ctx): SimAttachment[] => {
    const who = identity(c);
    const all = who.isAdmin && ['1', 'true'].includes((c.req.query('all_tenants') ?? '').toLowerCase());
    const volumeId = c.req.query('volume_id');
    return [...st.attachments.values()].filter(
      (a) => (all || a.projectId === who.projectId) && (!volumeId || a.volumeId === volumeId),
    );
  };

  r.get('/attachments', (c) => (gate(c), c.json({ attachments: visible(c).map(summary) })));
  r.get('/attachments/detail', (c) => (gate(c), c.json({ attachments: visible(c).map(detail) })));
  r.get('/attachments/:id', (c) => (gate(c), c.json({ attachment: detail(find(c).a) })));
  r.post('/attachments', async (c) => {
    gate(c);
    const body = member(await readBody(c), 'attachment');
    if (typeof body.volume_uuid !== 'string') throw fieldError('volume_uuid', body, "'volume_uuid' is a required property");
    const vol = st.volume(identity(c), body.volume_uuid);
    const connector = isObject(body.connector) ? body.connector : null;
    const mode = mv(c, '3.54') && body.mode === 'ro' ? 'ro' : 'rw';
    const ok = RESERVABLE.includes(vol.status) && (vol.status !== 'in-use' || vol.multiattach);
    if (!ok) {
      const statuses = vol.multiattach ? 'available or in-use or downloading' : 'available or downloading';
      throw invalidVolume(
        `Volume ${vol.id} status must be ${statuses} to reserve, but the current status is ${vol.status}.`,
      );
    }
    const a: SimAttachment = {
      id: randomUUID(),
      volumeId: vol.id,
      serverId: typeof body.instance_uuid === 'string' ? body.instance_uuid : null,
      hostName: connector && typeof connector.host === 'string' ? connector.host : null,
      device: connector && typeof connector.mountpoint === 'string' ? connector.mountpoint : null,
      status: connector ? 'attaching' : 'reserved',
      mode,
      attachedAt: null,
      detachedAt: null,
      connector,
      projectId: vol.projectId,
    };
    st.addAttachment(vol, a);
    if (vol.status !== 'in-use') vol.status = connector ? 'attaching' : 'reserved';
    st.touch(vol);
    return c.json({ attachment: detail(a) });
  });
  r.put('/attachments/:id', async (c) => {
    gate(c);
    const { a, vol } = find(c);
    const body = member(await readBody(c), 'attachment');
    if (!isObject(body.connector)) throw fieldError('connector', body, "'connector' is a required property");
    a.connector = body.connector;
    if (typeof body.connector.host === 'string') a.hostName = body.connector.host;
    if (typeof body.connector.mountpoint === 'string') a.device = body.connector.mountpoint;
    a.status = 'attaching';
    if (vol.status !== 'in-use') vol.status = 'attaching';
    st.touch(vol);
    return c.json({ attachment: detail(a) });
  });
  r.post('/attachments/:id/action', async (c) => {
    gate(c, '3.44');
    const { a, vol } = find(c);
    const body = await readBody(c);
    if (!('os-complete' in body)) {
      throw fieldError('os-complete', body, "'os-complete' is a required property");
    }
    a.status = 'attached';
    a.attachedAt = cinderTime();
    // attachment_complete sets no admin metadata (only the legacy os-attach's begin_attach does).
    vol.status = 'in-use';
    st.touch(vol);
    return c.body(null, 204);
  });
  r.delete('/attachments/:id', (c) => {
    gate(c);
    const { a, vol } = find(c);
    st.removeAttachment(vol, a);
    st.settleAttachStatus(vol);
    return c.json({ attachments: vol.attachments.map(summary) });
  });
  return r;
}
