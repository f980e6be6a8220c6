// Volume create -> available, the response shapes at 3.0 and 3.70, update,
// delete, tenant isolation and create validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { availableVolume, call, harness, P1, P2, until, v3, attachInUse } from './helpers';

const BASE_KEYS = [
  'attachments', 'availability_zone', 'bootable', 'consistencygroup_id', 'created_at', 'description',
  'encrypted', 'id', 'links', 'metadata', 'multiattach', 'name', 'replication_status', 'size',
  'snapshot_id', 'source_volid', 'status', 'updated_at', 'user_id', 'volume_type',
];

test('create answers 202 creating, then the volume becomes available', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const r = await call(h, 'POST', v3(P1, 'volumes'), {
    version: '3.0',
    body: { volume: { size: 2, name: 'v1', description: 'd', metadata: { k: 'v' } } },
  });
  assert.equal(r.status, 202);
  const v = r.body.volume;
  assert.deepEqual(Object.keys(v).sort(), BASE_KEYS);
  assert.equal(v.status, 'creating');
  assert.equal(v.size, 2);
  assert.equal(v.availability_zone, 'az1');
  assert.equal(v.volume_type, '__DEFAULT__');
  assert.equal(v.bootable, 'false');
  assert.deepEqual(v.metadata, { k: 'v' });
  assert.equal(v.updated_at, null);
  assert.match(v.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
  assert.deepEqual(v.links, [
    { rel: 'self', href: `http://127.0.0.1:8776/volume/v3/${P1}/volumes/${v.id}` },
    { rel: 'bookmark', href: `http://127.0.0.1:8776/volume/${P1}/volumes/${v.id}` },
  ]);
  await until(() => h.vol.get(v.id)?.status === 'available', 'available');
  const shown = await call(h, 'GET', v3(P1, `volumes/${v.id}`));
  assert.equal(shown.body.volume.status, 'available');
});

test('show at 3.0 (user) and 3.70 (admin) has exactly Cinder keys', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1);
  const user30 = await call(h, 'GET', v3(P1, `volumes/${id}`), { version: '3.0' });
  assert.deepEqual(Object.keys(user30.body.volume).sort(), [...BASE_KEYS, 'os-vol-tenant-attr:tenant_id'].sort());
  const admin = await call(h, 'GET', v3(P1, `volumes/${id}`), { version: '3.70', roles: 'admin' });
  const v = admin.body.volume;
  assert.deepEqual(
    Object.keys(v).sort(),
    [
      ...BASE_KEYS, 'cluster_name', 'consumes_quota', 'group_id', 'migration_status', 'os-vol-host-attr:host',
      'os-vol-mig-status-attr:migstat', 'os-vol-mig-status-attr:name_id', 'os-vol-tenant-attr:tenant_id',
      'provider_id', 'service_uuid', 'shared_targets', 'volume_type_id',
    ].sort(),
  );
  assert.match(v['os-vol-host-attr:host'], /.+@.+#.+/);
  assert.equal(v.volume_type_id, h.vol.get(id)!.volumeTypeId);
  assert.equal(v.shared_targets, false);
  const user370 = await call(h, 'GET', v3(P1, `volumes/${id}`), { version: '3.70' });
  assert.ok(!('os-vol-host-attr:host' in user370.body.volume));
  assert.ok(!('provider_id' in user370.body.volume));
  assert.ok('volume_type_id' in user370.body.volume);
});

test('create validation: size, AZ, type, sources, multiattach', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const post = (volume: unknown) => call(h, 'POST', v3(P1, 'volumes'), { body: { volume } });
  let r = await post({});
  assert.deepEqual(r.body, {
    badRequest: { code: 400, message: "Invalid input received: Volume size 'None' must be an integer and greater than 0" },
  });
  r = await post({ size: 0 });
  assert.equal(r.status, 400);
  assert.match(r.body.badRequest.message, /^Invalid input for field\/attribute size\. Value: 0\./);
  r = await post({ size: 1, availability_zone: 'nova' });
  assert.deepEqual(r.body, { badRequest: { code: 400, message: "Availability zone 'nova' is invalid." } });
  r = await post({ size: 1, volume_type: 'gold' });
  assert.deepEqual(r.body, { itemNotFound: { code: 404, message: 'Volume type with name gold could not be found.' } });
  const missing = '11111111-2222-3333-4444-555555555555';
  r = await post({ size: 1, snapshot_id: missing });
  assert.deepEqual(r.body, { itemNotFound: { code: 404, message: `Snapshot ${missing} could not be found.` } });
  r = await post({ size: 1, source_volid: missing });
  assert.deepEqual(r.body, { itemNotFound: { code: 404, message: `Volume ${missing} could not be found.` } });
  r = await post({ size: 1, imageRef: missing });
  assert.deepEqual(r.body, {
    badRequest: { code: 400, message: 'Invalid image identifier or unable to access requested image.' },
  });
  r = await post({ size: 1, multiattach: true });
  assert.equal(r.status, 400);
  r = await call(h, 'POST', v3(P1, 'volumes'), { body: '{"volume": ' });
  assert.deepEqual(r.body, { badRequest: { code: 400, message: 'Malformed request body' } });
});

test('create from image is bootable with volume_image_metadata; from source volume copies size', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1, { imageRef: CIRROS_IMAGE_ID });
  const shown = await call(h, 'GET', v3(P1, `volumes/${id}`));
  assert.equal(shown.body.volume.bootable, 'true');
  assert.equal(shown.body.volume.volume_image_metadata.image_id, CIRROS_IMAGE_ID);
  assert.equal(shown.body.volume.volume_image_metadata.image_name, 'cirros-0.6.2-x86_64-disk');
  const big = await availableVolume(h, P1, { size: 3 });
  const clone = await call(h, 'POST', v3(P1, 'volumes'), { body: { volume: { source_volid: big, size: null } } });
  assert.equal(clone.status, 202);
  assert.equal(clone.body.volume.size, 3);
  assert.equal(clone.body.volume.source_volid, big);
  const small = await call(h, 'POST', v3(P1, 'volumes'), { body: { volume: { source_volid: big, size: 1 } } });
  assert.equal(small.status, 400);
});

test('update name, description and metadata; tenant isolation is 404', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1, { name: 'old' });
  const r = await call(h, 'PUT', v3(P1, `volumes/${id}`), {
    body: { volume: { name: 'new', description: 'desc', metadata: { a: '1' } } },
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.volume.name, 'new');
  assert.equal(r.body.volume.description, 'desc');
  assert.deepEqual(r.body.volume.metadata, { a: '1' });
  assert.notEqual(r.body.volume.updated_at, null);
  const other = await call(h, 'GET', v3(P2, `volumes/${id}`));
  assert.equal(other.status, 404);
  assert.deepEqual(other.body, { itemNotFound: { code: 404, message: `Volume ${id} could not be found.` } });
  const list = await call(h, 'GET', v3(P2, 'volumes'));
  assert.deepEqual(list.body, { volumes: [] });
  const asAdmin = await call(h, 'GET', v3(P2, `volumes/${id}`), { roles: 'admin' });
  assert.equal(asAdmin.status, 200);
});

test('delete goes deleting then gone; in-use volume cannot be deleted', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1);
  let r = await call(h, 'DELETE', v3(P1, `volumes/${id}`));
  assert.equal(r.status, 202);
  assert.equal(r.body, null);
  assert.equal(h.vol.get(id)?.status, 'deleting');
  await until(() => h.vol.get(id) === undefined, 'gone');
  r = await call(h, 'GET', v3(P1, `volumes/${id}`));
  assert.equal(r.status, 404);

  const busy = await availableVolume(h, P1);
  await attachInUse(h, busy, 'server-1', '/dev/vdb', P1);
  r = await call(h, 'DELETE', v3(P1, `volumes/${busy}`));
  assert.deepEqual(r.body, {
    badRequest: {
      code: 400,
      message:
        'Invalid volume: Volume status must be available or error or error_restoring or error_extending or ' +
        'error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a ' +
        'transfer, or be disassociated from snapshots after volume transfer.',
    },
  });
});
