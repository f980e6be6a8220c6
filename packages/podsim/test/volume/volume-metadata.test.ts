// Volume metadata: GET, POST merges, PUT replaces, one-key GET/PUT/DELETE,
// Etag/If-Match from 3.15, and the in-process attach/detach calls Nova's os-volume_attachments uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimConflict, SimNotFound } from '@trio2o/podsim/volume';
import { availableVolume, call, harness, P1, P2, until, v3 } from './helpers';

test('metadata: merge, replace, one key show/update/delete', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1, { metadata: { a: '1' } });
  const url = v3(P1, `volumes/${id}/metadata`);
  let r = await call(h, 'GET', url);
  assert.deepEqual(r.body, { metadata: { a: '1' } });
  r = await call(h, 'POST', url, { body: { metadata: { b: '2' } } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { metadata: { a: '1', b: '2' } });
  r = await call(h, 'PUT', url, { body: { metadata: { c: '3' } } });
  assert.deepEqual(r.body, { metadata: { c: '3' } });
  r = await call(h, 'GET', `${url}/c`);
  assert.deepEqual(r.body, { meta: { c: '3' } });
  r = await call(h, 'PUT', `${url}/c`, { body: { meta: { c: '4' } } });
  assert.deepEqual(r.body, { meta: { c: '4' } });
  r = await call(h, 'PUT', `${url}/c`, { body: { meta: { d: '4' } } });
  assert.deepEqual(r.body, { badRequest: { code: 400, message: 'Request body and URI mismatch' } });
  r = await call(h, 'PUT', `${url}/c`, { body: { meta: { c: '4', d: '5' } } });
  assert.deepEqual(r.body, { badRequest: { code: 400, message: 'Request body contains too many items' } });
  r = await call(h, 'DELETE', `${url}/c`);
  assert.equal(r.status, 200);
  r = await call(h, 'GET', `${url}/c`);
  assert.deepEqual(r.body, { itemNotFound: { code: 404, message: `Volume ${id} has no metadata with key c.` } });
  r = await call(h, 'POST', url, { body: { metadata: { k: 5 } } });
  assert.equal(r.status, 400);
  r = await call(h, 'GET', v3(P2, `volumes/${id}/metadata`));
  assert.equal(r.status, 404);
});

test('metadata Etag from 3.15 and If-Match mismatch is 412', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1, { metadata: { a: '1' } });
  const url = v3(P1, `volumes/${id}/metadata`);
  assert.equal((await call(h, 'GET', url)).headers.get('etag'), null);
  const r = await call(h, 'GET', url, { version: '3.15' });
  const etag = r.headers.get('etag');
  assert.match(etag ?? '', /^[0-9a-f]{32}$/);
  const stale = await call(h, 'PUT', url, { version: '3.15', headers: { 'if-match': '"0000"' }, body: { metadata: {} } });
  assert.equal(stale.status, 412);
  const fresh = await call(h, 'PUT', url, { version: '3.15', headers: { 'if-match': `"${etag}"` }, body: { metadata: {} } });
  assert.equal(fresh.status, 200);
});

test('in-process attach/detach as Nova does it: reserved, attaching, in-use; detaching, available', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1);
  const att = h.vol.attach(id, 'srv-1', '/dev/vdb', P1);
  assert.equal(att.serverId, 'srv-1');
  assert.equal(h.vol.get(id)!.status, 'reserved');
  await until(() => h.vol.get(id)!.status === 'in-use', 'in-use');
  assert.equal(att.device, '/dev/vdb');
  const v = (await call(h, 'GET', v3(P1, `volumes/${id}`))).body.volume;
  assert.equal(v.status, 'in-use');
  // Cinder's attachments API (Nova's path) sets no attached_mode/readonly admin metadata.
  assert.deepEqual(v.metadata, {});
  assert.deepEqual(
    v.attachments.map((a: Record<string, unknown>) => [a.server_id, a.device, a.attachment_id]),
    [['srv-1', '/dev/vdb', att.id]],
  );
  assert.throws(() => h.vol.attach(id, 'srv-2', '/dev/vdc', P1), (e: unknown) => e instanceof SimConflict && e.status === 409);
  assert.throws(() => h.vol.attach(id, 'srv-1', '/dev/vdc', P1), SimConflict);
  assert.throws(() => h.vol.attach(id, 'srv-2', '/dev/vdc', P2), (e: unknown) => e instanceof SimNotFound && e.status === 404);
  assert.throws(() => h.vol.attach('nope', 'srv-2', '/dev/vdc', P1), SimNotFound);
  assert.throws(() => h.vol.detach(id, 'srv-2'), SimNotFound);
  h.vol.detach(id, 'srv-1');
  assert.equal(h.vol.get(id)!.status, 'detaching');
  await until(() => h.vol.get(id)!.status === 'available', 'available');
  const after = (await call(h, 'GET', v3(P1, `volumes/${id}`))).body.volume;
  assert.equal(after.status, 'available');
  assert.deepEqual(after.attachments, []);
  assert.equal(h.vol.get(id)!.attachments.length, 0);
});

test('in-process attach refuses a volume that is still creating', async (t) => {
  const h = harness({ transitionMs: 10_000 });
  t.after(() => h.close());
  const r = await call(h, 'POST', v3(P1, 'volumes'), { body: { volume: { size: 1 } } });
  const id = r.body.volume.id;
  assert.throws(
    () => h.vol.attach(id, 'srv-1', '/dev/vdb', P1),
    (e: unknown) =>
      e instanceof SimConflict &&
      e.message === `Invalid volume: Volume ${id} status must be available to reserve, but the current status is creating.`,
  );
});
