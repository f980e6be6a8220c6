// POST /volumes/{id}/action: dispatch and the attach/detach family, after
// cinder/api/contrib/volume_actions.py and cinder/volume/api.py (reserve,
// begin_detaching, roll_detaching, attach, detach, connections). The body must
// hold exactly one key, the action name; an unknown name is 400 before the
// volume is even looked up, as in Cinder's wsgi dispatcher.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { otherActions } from './actions-other';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, isObject, readBody } from './context';
import { badRequest, invalidVolume } from './faults';
import type { CinderState } from './state';
import { cinderTime } from './state';
import type { SimVolume } from './types';

export type Args = Record<string, unknown>;
/** One action: validated args in, a Response out. */
export type ActionHandler = (st: CinderState, c: Ctx, vol: SimVolume, args: Args) => Response | Promise<Response>;

function str(args: Args, key: string, required: boolean): string | undefined {
  const v = args[key];
  if (v === undefined || v === null) {
    if (required) throw fieldError(key, args, `'${key}' is a required property`);
    return undefined;
  }
  if (typeof v !== 'string') throw fieldError(key, v, `${JSON.stringify(v)} is not of type 'string'`);
  return v;
}

function connector(args: Args): Record<string, unknown> {
  const v = args.connector;
  if (!isObject(v)) throw fieldError('connector', args, "'connector' is a required property");
  return v;
}

/** Attach as Cinder's manager does for os-attach: attachment row attached, volume in-use. */
function doAttach(st: CinderState, vol: SimVolume, args: Args): void {
  const mountpoint = str(args, 'mountpoint', true)!;
  const instance = str(args, 'instance_uuid', false) ?? null;
  const host = str(args, 'host_name', false) ?? null;
  if (!instance && !host) throw fieldError('os-attach', args, "{'instance_uuid'} or {'host_name'} is required");
  const mode = str(args, 'mode', false) ?? 'rw';
  if (mode !== 'rw' && mode !== 'ro') throw fieldError('mode', mode, `'${mode}' is not one of ['rw', 'ro']`);
  if (vol.status === 'maintenance') throw invalidVolume('The volume cannot be attached in maintenance mode.');
  vol.adminMetadata.readonly ??= 'False';
  if (vol.adminMetadata.readonly === 'True' && mode !== 'ro') {
    throw badRequest(`Invalid attaching mode '${mode}' for volume ${vol.id}.`);
  }
  const attachable = ['available', 'attaching', 'reserved'].includes(vol.status) || (vol.status === 'in-use' && vol.multiattach);
  if (!attachable) {
    const why = vol.status === 'in-use' ? 'volume is already attached' : `status must be available or attaching, but is ${vol.status}`;
    throw badRequest(`Error attaching volume - InvalidVolume: Invalid volume: ${why}`);
  }
  st.addAttachment(vol, {
    id: randomUUID(),
    volumeId: vol.id,
    serverId: instance,
    hostName: host,
    device: mountpoint,
    status: 'attached',
    mode,
    attachedAt: cinderTime(),
    detachedAt: null,
    connector: null,
    projectId: vol.projectId,
  });
  vol.adminMetadata.attached_mode = mode;
  vol.status = 'in-use';
  st.touch(vol);
}

function doDetach(st: CinderState, vol: SimVolume, attachmentId: string | undefined): void {
  if (vol.status === 'maintenance') throw invalidVolume('The volume cannot be detached in maintenance mode.');
  const attached = st.attachedOf(vol);
  const target = attachmentId ? attached.find((a) => a.id === attachmentId) : attached[0];
  if (!target || (!attachmentId && attached.length > 1)) {
    const filter = attachmentId ? `attachment_id = ${attachmentId}` : `volume_id = ${vol.id}`;
    throw badRequest(
      `Error detaching volume - VolumeAttachmentNotFound: Volume attachment could not be found with filter: ${filter}.`,
    );
  }
  st.removeAttachment(vol, target);
  st.settleAttachStatus(vol);
}

const accepted = (c: Ctx): Response => c.body(null, 202);

export const ATTACH_ACTIONS: Record<string, ActionHandler> = {
  'os-attach': (st, c, vol, args) => (doAttach(st, vol, args), accepted(c)),
  'os-detach': (st, c, vol, args) => (doDetach(st, vol, str(args, 'attachment_id', false)), accepted(c)),
  'os-reserve': (st, c, vol) => {
    const ok = vol.status === 'available' || (vol.multiattach && vol.status === 'in-use');
    if (!ok) {
      const expected = vol.multiattach ? 'available or in-use' : 'available';
      throw invalidVolume(`Volume status must be ${expected} to reserve, but the status is ${vol.status}.`);
    }
    vol.status = 'attaching';
    st.touch(vol);
    return accepted(c);
  },
  'os-unreserve': (st, c, vol) => {
    if (vol.status === 'attaching') st.settleAttachStatus(vol);
    return accepted(c);
  },
  'os-begin_detaching': (st, c, vol) => {
    if (vol.status !== 'in-use' || st.attachedOf(vol).length === 0) {
      throw invalidVolume(
        "Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.",
      );
    }
    vol.status = 'detaching';
    st.touch(vol);
    return accepted(c);
  },
  'os-roll_detaching': (st, c, vol) => {
    if (vol.status === 'detaching') {
      vol.status = 'in-use';
      st.touch(vol);
    }
    return accepted(c);
  },
  'os-initialize_connection': (st, c, vol, args) => {
    const conn = connector(args);
    if (vol.status === 'maintenance') {
      throw invalidVolume('The volume connection cannot be initialized in maintenance mode.');
    }
    const info = {
      driver_volume_type: 'iscsi',
      data: {
        target_discovered: false,
        target_iqn: `iqn.2010-10.org.openstack:volume-${vol.id}`,
        target_portal: '127.0.0.1:3260',
        target_lun: 0,
        volume_id: vol.id,
        auth_method: 'CHAP',
        auth_username: 'sim',
        auth_password: 'sim',
        encrypted: false,
        qos_specs: null,
        access_mode: vol.adminMetadata.readonly === 'True' ? 'ro' : 'rw',
      },
      enforce_multipath: conn.enforce_multipath ?? false,
    };
    return c.json({ connection_info: info });
  },
  'os-terminate_connection': (st, c, vol, args) => {
    connector(args);
    if (vol.status === 'attaching') st.settleAttachStatus(vol);
    return accepted(c);
  },
};

const ACTIONS: Record<string, ActionHandler> = { ...ATTACH_ACTIONS, ...otherActions };

export function actionRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  r.post('/volumes/:id/action', async (c) => {
    const body = await readBody(c);
    const keys = Object.keys(body);
    if (keys.length !== 1) throw badRequest('Malformed request body');
    const name = keys[0];
    const handler = ACTIONS[name];
    if (!handler) {
      throw badRequest(`There is no such action: ${name}. Verify the request body and Content-Type header and try again.`);
    }
    const raw = body[name];
    const args: Args = isObject(raw) ? raw : {};
    if (raw !== null && raw !== undefined && !isObject(raw)) {
      throw fieldError(name, raw, `${JSON.stringify(raw)} is not of type 'object', 'null'`);
    }
    const vol = st.volume(identity(c), c.req.param('id'));
    return handler(st, c, vol, args);
  });
  return r;
}
