// Minimal Glance v2: versions (300), list with paging/filters/sort, show, 401/404.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { call, harness, ORIGIN, P1 } from './helpers';

const IMAGE_KEYS = [
  'checksum', 'container_format', 'created_at', 'disk_format', 'file', 'id', 'min_disk', 'min_ram', 'name',
  'os_hash_algo', 'os_hash_value', 'os_hidden', 'owner', 'protected', 'schema', 'self', 'size', 'status', 'tags',
  'updated_at', 'virtual_size', 'visibility',
];

test('GET /image/ is 300 Multiple Choices with v2 versions, no token', async (t) => {
  const h = harness();
  t.after(() => h.close());
  for (const path of ['/image/', '/image']) {
    const r = await call(h, 'GET', path, { token: null });
    assert.equal(r.status, 300, path);
    assert.equal(r.body.versions[0].status, 'CURRENT');
    assert.deepEqual(r.body.versions[0].links, [{ rel: 'self', href: `${ORIGIN}/image/v2/` }]);
    assert.ok(r.body.versions.some((v: { id: string }) => v.id === 'v2.0'));
  }
  const r = await call(h, 'GET', '/image/v2/images', { token: null });
  assert.equal(r.status, 401);
  const schema = await call(h, 'GET', '/image/v2/schemas/image', { project: P1 });
  assert.equal(schema.status, 200);
  assert.equal(schema.body.name, 'image');
});

test('show cirros with the full Glance v2 shape; unknown id is 404', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const r = await call(h, 'GET', `/image/v2/images/${CIRROS_IMAGE_ID}`, { project: P1 });
  assert.equal(r.status, 200);
  const extra = ['hw_rng_model', 'owner_specified_openstack_object'];
  assert.deepEqual(Object.keys(r.body).sort(), [...IMAGE_KEYS, ...extra].sort());
  assert.equal(r.body.name, 'cirros-0.6.2-x86_64-disk');
  assert.equal(r.body.status, 'active');
  assert.equal(r.body.visibility, 'public');
  assert.equal(r.body.self, `/v2/images/${CIRROS_IMAGE_ID}`);
  assert.equal(r.body.file, `/v2/images/${CIRROS_IMAGE_ID}/file`);
  assert.equal(r.body.schema, '/v2/schemas/image');
  assert.match(r.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const missing = await call(h, 'GET', '/image/v2/images/00000000-0000-0000-0000-000000000000', {
    project: P1,
    headers: { accept: 'application/json' },
  });
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, {
    message: 'No image found with ID 00000000-0000-0000-0000-000000000000<br /><br />\n\n\n',
    code: '404 Not Found',
    title: 'Not Found',
  });
});

test('list pages with relative next links, no skip or repeat; filters and sort', async (t) => {
  const h = harness();
  t.after(() => h.close());
  h.img.add({ name: 'mine', disk_format: 'raw', container_format: 'bare', size: 1, visibility: 'private', protected: false, owner: P1 });
  h.img.add({ name: 'theirs', disk_format: 'raw', container_format: 'bare', size: 1, visibility: 'private', protected: false, owner: 'other' });
  const all = await call(h, 'GET', '/image/v2/images', { project: P1 });
  assert.equal(all.body.images.length, 4);
  assert.equal(all.body.first, '/v2/images');
  assert.equal(all.body.schema, '/v2/schemas/images');
  assert.equal(all.body.next, undefined);
  assert.equal(all.body.images[0].name, 'mine');

  const seen: string[] = [];
  let next: string | undefined = '/v2/images?limit=1';
  while (next) {
    const r = await call(h, 'GET', `/image${next}`, { project: P1 });
    assert.equal(r.status, 200);
    seen.push(...r.body.images.map((i: { id: string }) => i.id));
    next = r.body.next;
    if (next) assert.match(next, /^\/v2\/images\?limit=1&marker=[0-9a-f-]{36}$/);
  }
  assert.deepEqual(seen, all.body.images.map((i: { id: string }) => i.id));

  const byName = await call(h, 'GET', '/image/v2/images?name=cirros-0.6.2-x86_64-disk', { project: P1 });
  assert.deepEqual(byName.body.images.map((i: { id: string }) => i.id), [CIRROS_IMAGE_ID]);
  const priv = await call(h, 'GET', '/image/v2/images?visibility=private', { project: P1 });
  assert.deepEqual(priv.body.images.map((i: { name: string }) => i.name), ['mine']);
  const sorted = await call(h, 'GET', '/image/v2/images?sort_key=name&sort_dir=asc&visibility=public', { project: P1 });
  assert.deepEqual(sorted.body.images.map((i: { name: string }) => i.name), ['cirros-0.6.2-x86_64-disk', 'fedora-coreos', 'ubuntu-22.04-server']);
  const badMarker = await call(h, 'GET', '/image/v2/images?marker=nope', { project: P1 });
  assert.equal(badMarker.status, 400);
  const badKey = await call(h, 'GET', '/image/v2/images?sort_key=color', { project: P1 });
  assert.equal(badKey.status, 400);
});
