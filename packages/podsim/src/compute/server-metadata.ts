// /servers/{id}/metadata: GET/POST(merge)/PUT(replace) all, GET/PUT/DELETE one key, with
// Nova's state check (metadata changes need an active/paused/suspended/stopped server).
import { badRequest, conflict, forbidden, jsonBody, notFound, type NovaContext } from './context';
import type { NovaApi, NovaDeps } from './deps';
import { findServer, touch } from './server-lookup';
import { checkLock } from './servers';
import type { SimServer } from './state';
import { stringMap } from './validate';

const MAX_METADATA_ITEMS = 128;

function writable(c: NovaContext, deps: NovaDeps, id: string, label: string): SimServer {
  const s = findServer(c, deps, id);
  checkLock(c, s);
  if (!['active', 'paused', 'suspended', 'stopped'].includes(s.vmState)) {
    throw conflict(`Cannot '${label}' instance ${s.id} while it is in vm_state ${s.vmState}`);
  }
  if (s.taskState !== null) throw conflict(`Cannot '${label}' instance ${s.id} while it is in task_state ${s.taskState}`);
  return s;
}

function setAll(s: SimServer, meta: Record<string, string>, replace: boolean): Record<string, string> {
  const next = replace ? { ...meta } : { ...s.metadata, ...meta };
  if (Object.keys(next).length > MAX_METADATA_ITEMS) throw forbidden('Quota exceeded for metadata_items: Requested 1, but already used 128 of 128 metadata_items');
  s.metadata = next;
  touch(s);
  return next;
}

export function registerServerMetadata(api: NovaApi, deps: NovaDeps): void {
  const base = '/servers/:id/metadata';
  api.get(base, (c) => c.json({ metadata: { ...findServer(c, deps, c.req.param('id')).metadata } }));
  api.post(base, async (c) => {
    const s = writable(c, deps, c.req.param('id'), 'update metadata');
    return c.json({ metadata: setAll(s, stringMap((await jsonBody(c)).metadata, 'metadata'), false) });
  });
  api.put(base, async (c) => {
    const s = writable(c, deps, c.req.param('id'), 'update metadata');
    return c.json({ metadata: setAll(s, stringMap((await jsonBody(c)).metadata, 'metadata'), true) });
  });
  api.get(`${base}/:key`, (c) => {
    const s = findServer(c, deps, c.req.param('id'));
    const key = c.req.param('key');
    if (!Object.hasOwn(s.metadata, key)) throw notFound('Metadata item was not found');
    return c.json({ meta: { [key]: s.metadata[key] } });
  });
  api.put(`${base}/:key`, async (c) => {
    const s = writable(c, deps, c.req.param('id'), 'update metadata');
    const key = c.req.param('key');
    const meta = stringMap((await jsonBody(c)).meta, 'meta');
    if (!Object.hasOwn(meta, key)) throw badRequest('Request body and URI mismatch');
    if (Object.keys(meta).length > 1) throw badRequest('Request body contains too many items');
    setAll(s, meta, false);
    return c.json({ meta });
  });
  api.delete(`${base}/:key`, (c) => {
    const s = writable(c, deps, c.req.param('id'), 'delete metadata');
    const key = c.req.param('key');
    if (!Object.hasOwn(s.metadata, key)) throw notFound('Metadata item was not found');
    delete s.metadata[key];
    touch(s);
    return c.body(null, 204);
  });
}
