// Server sub-resources: ips, os-interface (empty: no Neutron here), tags (2.26) and
// os-instance-actions (2.51 events for all, 2.58 updated_at + paging, 2.62 event hostId).
import { badRequest, jsonBody, notFound, isAdmin, since, type NovaContext } from './context';
import type { NovaApi, NovaDeps } from './deps';
import { collectionLinks, limitAndMarker, selfHref } from './links';
import { findServer, findServerForActions, touch } from './server-lookup';
import { addresses, hostId } from './server-view';
import type { SimInstanceAction, SimServer } from './state';

const MAX_TAGS = 50;

function tagged(c: NovaContext, deps: NovaDeps, id: string): SimServer {
  if (!since(c, '2.26')) throw notFound('The resource could not be found.');
  return findServer(c, deps, id);
}

function checkTag(t: unknown): string {
  if (typeof t !== 'string' || t.length < 1 || t.length > 60 || /[,/]/.test(t)) {
    throw badRequest(`Invalid input for field/attribute tags. Value: ${JSON.stringify(t)}.`);
  }
  return t;
}

function actionView(c: NovaContext, s: SimServer, a: SimInstanceAction, withEvents: boolean): Record<string, unknown> {
  const v: Record<string, unknown> = {
    action: a.action, instance_uuid: s.id, message: a.message, project_id: a.project_id,
    request_id: a.request_id, start_time: a.start_time, user_id: a.user_id,
  };
  if (since(c, '2.58')) v.updated_at = a.updated_at;
  if (withEvents) {
    v.events = a.events.map((e) => {
      const ev: Record<string, unknown> = { ...e };
      if (isAdmin(c)) ev.traceback = null;
      if (since(c, '2.62')) {
        ev.hostId = hostId(s);
        if (isAdmin(c)) ev.host = s.host;
      }
      return ev;
    });
  }
  return v;
}

export function registerServerExtras(api: NovaApi, deps: NovaDeps): void {
  api.get('/servers/:id/ips', (c) => c.json({ addresses: addresses(findServer(c, deps, c.req.param('id')), false) }));
  api.get('/servers/:id/ips/:network', (c) => {
    const all = addresses(findServer(c, deps, c.req.param('id')), false);
    const net = c.req.param('network');
    if (!Object.hasOwn(all, net)) throw notFound('Instance is not a member of specified network');
    return c.json({ [net]: all[net] });
  });
  api.get('/servers/:id/os-interface', (c) => {
    findServer(c, deps, c.req.param('id'));
    return c.json({ interfaceAttachments: [] });
  });

  api.get('/servers/:id/tags', (c) => c.json({ tags: [...tagged(c, deps, c.req.param('id')).tags] }));
  api.put('/servers/:id/tags', async (c) => {
    const s = tagged(c, deps, c.req.param('id'));
    const tags = (await jsonBody(c)).tags;
    if (!Array.isArray(tags) || tags.length > MAX_TAGS) throw badRequest(`Invalid input for field/attribute tags. Value: ${JSON.stringify(tags)}.`);
    s.tags = [...new Set(tags.map(checkTag))];
    touch(s);
    return c.json({ tags: [...s.tags] });
  });
  api.delete('/servers/:id/tags', (c) => {
    const s = tagged(c, deps, c.req.param('id'));
    s.tags = [];
    return c.body(null, 204);
  });
  api.get('/servers/:id/tags/:tag', (c) => {
    const s = tagged(c, deps, c.req.param('id'));
    if (!s.tags.includes(c.req.param('tag'))) throw notFound(`Tag ${c.req.param('tag')} could not be found.`);
    return c.body(null, 204);
  });
  api.put('/servers/:id/tags/:tag', (c) => {
    const s = tagged(c, deps, c.req.param('id'));
    const tag = checkTag(c.req.param('tag'));
    const location = { Location: `${selfHref(c, 'servers', s.id)}/tags/${encodeURIComponent(tag)}` };
    if (s.tags.includes(tag)) return c.body(null, 204, location);
    if (s.tags.length >= MAX_TAGS) throw badRequest(`The number of tags exceeded the per-server limit ${MAX_TAGS}`);
    s.tags.push(tag);
    return c.body(null, 201, location);
  });
  api.delete('/servers/:id/tags/:tag', (c) => {
    const s = tagged(c, deps, c.req.param('id'));
    const tag = c.req.param('tag');
    if (!s.tags.includes(tag)) throw notFound(`Tag ${tag} could not be found.`);
    s.tags = s.tags.filter((t) => t !== tag);
    return c.body(null, 204);
  });

  // No metadata service writes an encrypted password here, so it is always empty (as on a
  // cloud whose guests do not post one); DELETE clears it.
  api.get('/servers/:id/os-server-password', (c) => {
    findServer(c, deps, c.req.param('id'));
    return c.json({ password: '' });
  });
  api.delete('/servers/:id/os-server-password', (c) => {
    findServer(c, deps, c.req.param('id'));
    return c.body(null, 204);
  });

  api.get('/servers/:id/os-instance-actions', (c) => {
    const s = findServerForActions(c, deps, c.req.param('id'));
    let rows = [...s.actions].reverse();
    if (!since(c, '2.58')) return c.json({ instanceActions: rows.map((a) => actionView(c, s, a, false)) });
    const { limit, marker } = limitAndMarker(c, badRequest);
    if (marker !== undefined) {
      const i = rows.findIndex((a) => a.request_id === marker);
      if (i < 0) throw badRequest(`Marker ${marker} could not be found.`);
      rows = rows.slice(i + 1);
    }
    const cs = c.req.query('changes-since');
    if (cs !== undefined) rows = rows.filter((a) => Date.parse(a.updated_at) >= Date.parse(cs));
    rows = rows.slice(0, limit);
    const links = collectionLinks(c, `servers/${s.id}/os-instance-actions`, rows.length, rows.at(-1)?.request_id);
    const body: Record<string, unknown> = { instanceActions: rows.map((a) => actionView(c, s, a, false)) };
    if (links.length) body.links = links;
    return c.json(body);
  });
  api.get('/servers/:id/os-instance-actions/:rid', (c) => {
    const s = findServerForActions(c, deps, c.req.param('id'));
    const a = s.actions.find((x) => x.request_id === c.req.param('rid'));
    if (!a) throw notFound(`Action for request_id ${c.req.param('rid')} on instance ${s.id} not found`);
    return c.json({ instanceAction: actionView(c, s, a, isAdmin(c) || since(c, '2.51')) });
  });
}

