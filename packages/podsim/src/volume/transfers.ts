// Volume transfers, after cinder/api/contrib/volume_transfer.py (`os-volume-transfer`, every
// microversion), cinder/api/v3/volume_transfer.py (`volume-transfers`, 3.55+, `no_snapshots`),
// cinder/transfer/api.py and cinder/api/views/transfers.py:
// - create: the volume must be the caller's and 'available' (its snapshots too unless
//   no_snapshots); it turns 'awaiting-transfer'; the answer alone carries the auth_key;
// - show/list: only transfers of the caller's volumes (an admin sees all);
// - accept (any project knowing id and key): a wrong key is 400 and changes nothing; a right one
//   gives the volume (and its snapshots unless no_snapshots) to the caller's project, the volume
//   is 'available' again and the transfer is gone;
// - delete: the volume is 'available' again.
import { randomBytes, randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, member, mv, optString, readBody, resourceLinks, strictBool } from './context';
import { badRequest, invalidVolume, notFound } from './faults';
import type { CinderState } from './state';
import { cinderTime } from './state';

export interface SimTransfer {
  id: string;
  volumeId: string;
  name: string | null;
  authKey: string;
  noSnapshots: boolean;
  sourceProjectId: string;
  createdAt: string;
}

/** cinder.conf `volume_transfer_key_length`. */
const KEY_LENGTH = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const transferNotFound = (id: string) => notFound(`Transfer ${id} could not be found.`);

function view(c: Ctx, collection: string, t: SimTransfer, kind: 'summary' | 'detail' | 'create'): Record<string, unknown> {
  if (kind === 'summary') return { id: t.id, volume_id: t.volumeId, name: t.name, links: resourceLinks(c, collection, t.id) };
  const out: Record<string, unknown> = { id: t.id, created_at: t.createdAt, name: t.name, volume_id: t.volumeId };
  if (kind === 'create') out.auth_key = t.authKey;
  out.links = resourceLinks(c, collection, t.id);
  if (mv(c, '3.55')) out.no_snapshots = t.noSnapshots;
  if (mv(c, '3.57')) Object.assign(out, { destination_project_id: null, source_project_id: t.sourceProjectId, accepted: false });
  return out;
}

export function transferRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const visible = (c: Ctx, t: SimTransfer) => {
    const who = identity(c);
    return who.isAdmin || st.volumes.get(t.volumeId)?.projectId === who.projectId;
  };
  const find = (c: Ctx, id: string): SimTransfer => {
    const t = st.transfers.get(id);
    if (!t || !visible(c, t)) throw transferNotFound(id);
    return t;
  };

  for (const collection of ['os-volume-transfer', 'volume-transfers']) {
    const gate = (c: Ctx) => {
      // The 3.55 resource does not exist below 3.55 (VersionNotFoundForAPIMethod → 404).
      if (collection === 'volume-transfers' && !mv(c, '3.55')) throw notFound('The resource could not be found.');
    };
    const list = (c: Ctx, detail: boolean) => {
      gate(c);
      const q = new URL(c.req.url).searchParams;
      let items = [...st.transfers.values()].filter((t) => visible(c, t));
      if (q.has('name')) items = items.filter((t) => t.name === q.get('name'));
      items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
      const offset = Number(q.get('offset') ?? 0) || 0;
      const limit = q.has('limit') ? Number(q.get('limit')) : undefined;
      items = items.slice(offset, limit === undefined ? undefined : offset + limit);
      return c.json({ transfers: items.map((t) => view(c, collection, t, detail ? 'detail' : 'summary')) });
    };
    r.get(`/${collection}`, (c) => list(c, false));
    r.get(`/${collection}/detail`, (c) => list(c, true));
    r.get(`/${collection}/:id`, (c) => {
      gate(c);
      return c.json({ transfer: view(c, collection, find(c, c.req.param('id')), 'detail') });
    });
    r.post(`/${collection}`, async (c) => {
      gate(c);
      const who = identity(c);
      const body = member(await readBody(c), 'transfer');
      const volumeId = body.volume_id;
      if (typeof volumeId !== 'string' || !UUID.test(volumeId)) throw fieldError('transfer/volume_id', volumeId, `${JSON.stringify(volumeId)} is not a 'uuid'`);
      const name = optString(body, 'name');
      const noSnapshots = collection === 'volume-transfers' && body.no_snapshots !== undefined ? strictBool('transfer/no_snapshots', body.no_snapshots) : false;
      const vol = st.volume(who, volumeId);
      if (vol.status !== 'available') throw invalidVolume('status must be available');
      const snaps = [...st.snapshots.values()].filter((s) => s.volumeId === vol.id);
      if (!noSnapshots) {
        const busy = snaps.find((s) => s.status !== 'available');
        if (busy) throw badRequest(`Invalid snapshot: snapshot: ${busy.id} status must be available`);
      }
      const t: SimTransfer = {
        id: randomUUID(),
        volumeId: vol.id,
        name: name?.trim() ?? null,
        authKey: randomBytes(KEY_LENGTH).toString('hex').slice(0, KEY_LENGTH),
        noSnapshots,
        sourceProjectId: vol.projectId,
        createdAt: cinderTime(),
      };
      st.transfers.set(t.id, t);
      vol.status = 'awaiting-transfer';
      st.touch(vol);
      return c.json({ transfer: view(c, collection, t, 'create') }, 202);
    });
    r.post(`/${collection}/:id/accept`, async (c) => {
      gate(c);
      const who = identity(c);
      const id = c.req.param('id');
      const body = member(await readBody(c), 'accept');
      const key = body.auth_key;
      if (typeof key !== 'string' && typeof key !== 'number') throw fieldError('accept/auth_key', key, `${JSON.stringify(key)} is not of type 'string', 'integer'`);
      // transfer_accept reads the transfer with an elevated context: any project may accept.
      const t = st.transfers.get(id);
      if (!t) throw transferNotFound(id);
      if (String(key) !== t.authKey) throw badRequest(`Invalid auth key: Attempt to transfer ${id} with invalid auth key.`);
      const vol = st.volumes.get(t.volumeId);
      if (!vol) throw transferNotFound(id);
      vol.projectId = who.projectId;
      vol.userId = who.userId;
      vol.status = 'available';
      st.touch(vol);
      if (!t.noSnapshots) {
        for (const s of st.snapshots.values()) if (s.volumeId === vol.id) (s.projectId = who.projectId), (s.userId = who.userId);
      }
      st.transfers.delete(t.id);
      return c.json({ transfer: view(c, collection, t, 'summary') }, 202);
    });
    r.delete(`/${collection}/:id`, (c) => {
      gate(c);
      const t = find(c, c.req.param('id'));
      const vol = st.volumes.get(t.volumeId);
      if (vol && vol.status === 'awaiting-transfer') {
        vol.status = 'available';
        st.touch(vol);
      }
      st.transfers.delete(t.id);
      return c.body(null, 202);
    });
  }
  return r;
}
