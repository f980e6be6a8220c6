// Nova's os-volumes / os-snapshots proxy to the pod's own Cinder, as nova/api/openstack/compute/
// volumes.py and snapshots.py answer it: camelCase views, body validation (Tempest's
// test_volumes_negative), Cinder's quota refusal as 403, and 404 from 2.36.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nova, startPod, waitFor } from './helpers';

test('os-volumes: create, show, list with offset/limit, delete; views as Nova shows them', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const created = await nova(pod, '/os-volumes', { body: { volume: { size: 1, display_name: 'v1', metadata: { Type: 'work' } } } });
  assert.equal(created.status, 200);
  const v = created.body.volume;
  assert.deepEqual(Object.keys(v), ['id', 'status', 'size', 'availabilityZone', 'createdAt', 'attachments', 'displayName', 'displayDescription', 'volumeType', 'snapshotId', 'metadata']);
  assert.equal(v.displayName, 'v1');
  assert.deepEqual(v.attachments, [{}]);
  assert.deepEqual(v.metadata, { Type: 'work' });
  assert.match(created.headers.get('location') ?? '', new RegExp(`/os-volumes/${v.id}$`));
  await waitFor(async () => (await nova(pod, `/os-volumes/${v.id}`)).body.volume.status === 'available');
  await nova(pod, '/os-volumes', { body: { volume: { size: '2' } } });
  const all = (await nova(pod, '/os-volumes/detail')).body.volumes;
  assert.equal(all.length, 2);
  const page = (await nova(pod, '/os-volumes?offset=1&limit=1')).body.volumes;
  assert.deepEqual(page.map((x: { id: string }) => x.id), [all[1].id]);
  assert.equal((await nova(pod, '/os-volumes', { project: 'p2' })).body.volumes.length, 0, "another project's volumes are not listed");
  assert.equal((await nova(pod, `/os-volumes/${v.id}`, { project: 'p2' })).status, 404);
  const del = await nova(pod, `/os-volumes/${v.id}`, { method: 'DELETE' });
  assert.equal(del.status, 202);
  await waitFor(async () => (await nova(pod, `/os-volumes/${v.id}`)).status === 404);
  assert.deepEqual((await nova(pod, `/os-volumes/${v.id}`)).body, { itemNotFound: { code: 404, message: `Volume ${v.id} could not be found.` } });
});

test('os-volumes create: invalid, zero and missing size are 400 (schema, then Cinder)', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const bad = await nova(pod, '/os-volumes', { body: { volume: { size: '#$%', display_name: 'x' } } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.badRequest.message, "Invalid input for field/attribute size. Value: #$%. '#$%' does not match '^[0-9]+$'");
  assert.equal((await nova(pod, '/os-volumes', { body: { volume: { size: '' } } })).status, 400);
  const zero = await nova(pod, '/os-volumes', { body: { volume: { size: '0' } } });
  assert.equal(zero.status, 400);
  assert.match(zero.body.badRequest.message, /^Invalid input received: .* \(HTTP 400\) \(Request-ID: req-/);
  assert.equal((await nova(pod, '/os-volumes', { body: { volume: {} } })).status, 400);
  assert.equal(pod.volumes.size, 0);
});

test('os-volumes / os-snapshots: 404 from 2.36', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  assert.equal((await nova(pod, '/os-volumes', { version: '2.35' })).status, 200);
  for (const path of ['/os-volumes', '/os-volumes/detail', '/os-snapshots', '/os-volumes/x']) {
    const r = await nova(pod, path, { version: '2.36' });
    assert.equal(r.status, 404, path);
    assert.deepEqual(r.body, { itemNotFound: { code: 404, message: 'The resource could not be found.' } });
  }
});

test('os-snapshots: create, show, list, delete; quota over the limit is 403', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const vol = (await nova(pod, '/os-volumes', { body: { volume: { size: 1 } } })).body.volume;
  await waitFor(async () => (await nova(pod, `/os-volumes/${vol.id}`)).body.volume.status === 'available');
  const snap = await nova(pod, '/os-snapshots', { body: { snapshot: { volume_id: vol.id, display_name: 's1' } } });
  assert.equal(snap.status, 200);
  assert.deepEqual(Object.keys(snap.body.snapshot), ['id', 'volumeId', 'status', 'size', 'createdAt', 'displayName', 'displayDescription']);
  assert.equal(snap.body.snapshot.volumeId, vol.id);
  const id = snap.body.snapshot.id;
  assert.equal((await nova(pod, `/os-snapshots/${id}`)).body.snapshot.displayName, 's1');
  assert.deepEqual((await nova(pod, '/os-snapshots')).body.snapshots.map((s: { id: string }) => s.id), [id]);
  await waitFor(async () => (await nova(pod, `/os-snapshots/${id}`)).body.snapshot.status === 'available');
  assert.equal((await nova(pod, `/os-snapshots/${id}`, { method: 'DELETE' })).status, 202);

  // Cinder's 413 for the volumes quota is Nova's 403 with Cinder's message (OverQuota(message=e.message)).
  const quota = await fetch(`${pod.url}/volume/v3/admin/os-quota-sets/p1`, {
    method: 'PUT',
    headers: { 'x-project-id': 'admin', 'x-user-id': 'a', 'x-roles': 'admin', 'x-auth-token': 'tok', 'content-type': 'application/json' },
    body: JSON.stringify({ quota_set: { volumes: 1, snapshots: 0 } }),
  });
  assert.equal(quota.status, 200);
  const over = await nova(pod, '/os-volumes', { body: { volume: { size: 1 } } });
  assert.equal(over.status, 403);
  // (the message is the pod Cinder's 413 message, whatever its wording)
  assert.match(over.body.forbidden.message, /Maximum number of volumes allowed \(1\) exceeded for quota 'volumes'\.$/);
  const overSnap = await nova(pod, '/os-snapshots', { body: { snapshot: { volume_id: vol.id } } });
  assert.deepEqual(overSnap.body, { forbidden: { code: 403, message: 'Quota exceeded for resources: snapshots' } });
});
