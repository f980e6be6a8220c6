// os-assisted-volume-snapshots go to the pod of the volume; an unrouted volume is Nova's 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, type Cloud } from '../support/cloud';
import { call } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { api, as, keystoneCloud, ADMIN_WHO, ALICE } from './support';

let cloud: Cloud;
let volume: string;
before(async () => {
  cloud = await keystoneCloud([ADMIN_WHO, ALICE], ['az1', 'az2']);
  const s = await api(cloud.compute, '/proj-a/servers', { method: 'POST', body: { server: { name: 'a', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az2' } } });
  assert.equal(s.status, 202, s.text);
  const v = await call(`${cloud.volume}/v3/proj-a/volumes`, { method: 'POST', headers: as(ALICE), body: { volume: { size: 1, availability_zone: 'az2' } } });
  assert.equal(v.status, 202, v.text);
  volume = v.body.volume.id;
  await eventually(async () => (await api(cloud.compute, `/proj-a/servers/${s.body.server.id}`)).body.server.status === 'ACTIVE');
  await eventually(async () => (await call(`${cloud.volume}/v3/proj-a/volumes/${volume}`, { headers: as(ALICE) })).body.volume.status === 'available');
  const a = await api(cloud.compute, `/proj-a/servers/${s.body.server.id}/os-volume_attachments`, { method: 'POST', body: { volumeAttachment: { volumeId: volume } } });
  assert.equal(a.status, 200, a.text);
});
after(() => cloud.close());

test('create and delete reach the volume\'s pod; unknown volume 400; members refused', async () => {
  const body = { snapshot: { volume_id: volume, create_info: { snapshot_id: 'snap-1', type: 'qcow2', new_file: 'f.qcow2' } } };
  assert.equal((await api(cloud.compute, '/proj-a/os-assisted-volume-snapshots', { method: 'POST', body })).status, 403);
  const r = await api(cloud.compute, '/admin-project/os-assisted-volume-snapshots', { who: ADMIN_WHO, method: 'POST', body });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { snapshot: { id: 'snap-1', volumeId: volume } });
  assert.equal(cloud.pods[0]!.requests.filter((q) => q.path.includes('assisted')).length, 0, 'Pod1 was not asked');
  const unknown = '0b6a7c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b';
  const bad = await api(cloud.compute, '/admin-project/os-assisted-volume-snapshots', { who: ADMIN_WHO, method: 'POST', body: { snapshot: { ...body.snapshot, volume_id: unknown } } });
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: `No volume Block Device Mapping with id ${unknown}.` } });
  const info = encodeURIComponent(JSON.stringify({ volume_id: volume, type: 'qcow2' }));
  const del = await api(cloud.compute, `/admin-project/os-assisted-volume-snapshots/snap-1?delete_info=${info}`, { who: ADMIN_WHO, method: 'DELETE' });
  assert.equal(del.status, 204, del.text);
  assert.equal((await api(cloud.compute, '/admin-project/os-assisted-volume-snapshots/snap-1?delete_info=nope', { who: ADMIN_WHO, method: 'DELETE' })).status, 400);
});
