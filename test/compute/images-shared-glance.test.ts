// The images model: one Glance shared by every pod (and read by the gateway's image proxy as the
// top region's). An image createImage or createBackup makes in one pod is found through the
// gateway's /images and boots in another pod. Block device sources routed to another pod are 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSharedImages } from '@trio2o/podsim';
import { startCloud, eventually, type Cloud } from '../support/cloud';
import { call, identity, ADMIN } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { startFakeKeystone } from '../compute-owned/support';

let cloud: Cloud;
let keystone: Awaited<ReturnType<typeof startFakeKeystone>>;
const who = identity('proj-img');
const at = (v: string) => ({ ...who, 'openstack-api-version': `compute ${v}` });
let server: string; // in Pod2 (az2)
let snapshotId: string;

const boot = (az: string, extra: Record<string, unknown>) =>
  call(`${cloud.compute}/v2.1/proj-img/servers`, { method: 'POST', headers: at('2.45'), body: { server: { name: `b-${az}`, flavorRef: '1', availability_zone: az, networks: 'none', ...extra } } });
const status = async (id: string) => (await call(`${cloud.compute}/v2.1/proj-img/servers/${id}`, { headers: who })).body?.server?.status;

before(async () => {
  // Keystone mode: the image proxy's Glance calls carry only the token, which must name the project.
  keystone = await startFakeKeystone([{ project: 'proj-img', user: 'user-proj-img', roles: ['member'] }]);
  const auth = { mode: 'keystone' as const, keystoneUrl: keystone.url };
  const images = createSharedImages({ auth });
  cloud = await startCloud([{ topAz: 'az1', images, auth }, { topAz: 'az2', images, auth }]);
  // The top region's image endpoint is the same Glance.
  const pods = await call(`${cloud.admin}/v1.0/pods`, { headers: ADMIN });
  const top = pods.body.pods.find((p: any) => p.az_name === '');
  const r = await call(`${cloud.admin}/v1.0/pods/${top.pod_id}`, { method: 'PUT', headers: ADMIN, body: { pod: { endpoints: { image: cloud.pods[0]!.endpoints.image } } } });
  assert.equal(r.status, 200, r.text);
  const s = await boot('az2', { imageRef: CIRROS_IMAGE_ID });
  assert.equal(s.status, 202, s.text);
  server = s.body.server.id;
  await eventually(async () => (await status(server)) === 'ACTIVE');
});
after(async () => {
  await cloud.close();
  await keystone.close();
});

test('createImage in Pod2: found through the gateway\'s /images (by id and by server) and bootable in Pod1', async () => {
  const r = await call(`${cloud.compute}/v2.1/proj-img/servers/${server}/action`, { method: 'POST', headers: at('2.45'), body: { createImage: { name: 'snap-1' } } });
  assert.equal(r.status, 202, r.text);
  const imageId = r.body.image_id;
  snapshotId = imageId;
  const shown = await eventually(async () => {
    const s = await call(`${cloud.compute}/v2.1/proj-img/images/${imageId}`, { headers: at('2.35') });
    return s.body?.image?.status === 'ACTIVE' ? s : undefined;
  });
  assert.equal(shown.body.image.name, 'snap-1');
  const byServer = await call(`${cloud.compute}/v2.1/proj-img/images?server=${server}`, { headers: at('2.35') });
  assert.deepEqual(byServer.body.images.map((i: any) => i.id), [imageId]);
  await eventually(async () => (await status(server)) === 'ACTIVE');
  const b = await boot('az1', { imageRef: imageId });
  assert.equal(b.status, 202, b.text);
  assert.equal(cloud.pods[0]!.compute.servers.get(b.body.server.id)?.imageId, imageId, 'Pod1 booted the snapshot');
});

test('createBackup in Pod2: the backup image is found through /images', async () => {
  const r = await call(`${cloud.compute}/v2.1/proj-img/servers/${server}/action`, { method: 'POST', headers: at('2.45'), body: { createBackup: { name: 'bk-1', backup_type: 'daily', rotation: 1 } } });
  assert.equal(r.status, 202, r.text);
  const found = await eventually(async () => {
    const l = await call(`${cloud.compute}/v2.1/proj-img/images/detail?type=backup`, { headers: at('2.35') });
    return l.body?.images?.find((i: any) => i.id === r.body.image_id && i.status === 'ACTIVE');
  });
  assert.equal(found.name, 'bk-1');
  assert.equal(found.metadata.backup_type, 'daily');
});

test('a volume snapshot of another pod as a block device source is 400 before any pod is contacted', async () => {
  const vol = await call(`${cloud.volume}/v3/proj-img/volumes`, { method: 'POST', headers: who, body: { volume: { size: 1, availability_zone: 'az1' } } });
  assert.equal(vol.status, 202, vol.text);
  await eventually(async () => (await call(`${cloud.volume}/v3/proj-img/volumes/${vol.body.volume.id}`, { headers: who })).body?.volume?.status === 'available');
  const snap = await call(`${cloud.volume}/v3/proj-img/snapshots`, { method: 'POST', headers: who, body: { snapshot: { volume_id: vol.body.volume.id } } });
  assert.equal(snap.status, 202, snap.text);
  const creates = () => cloud.pods.map((p) => p.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/servers')).length);
  const before = creates();
  const bdm = [{ boot_index: 0, source_type: 'snapshot', destination_type: 'volume', uuid: snap.body.snapshot.id, volume_size: 1 }];
  const r = await boot('az2', { block_device_mapping_v2: bdm });
  assert.deepEqual(r.body, { badRequest: { code: 400, message: `Snapshot ${snap.body.snapshot.id} is not in the availability zone (pod) chosen for this server` } });
  assert.deepEqual(creates(), before);
});

test('image metadata (up to 2.38): read, set, replace, one key, delete, through the shared Glance; 404 from 2.39', async () => {
  const base = `${cloud.compute}/v2.1/proj-img/images/${snapshotId}/metadata`;
  const h = at('2.38');
  const first = await call(base, { headers: h });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.metadata.image_type, 'snapshot');
  const added = await call(base, { method: 'POST', headers: h, body: { metadata: { color: 'blue', tier: 'L' } } });
  assert.equal(added.status, 200, added.text);
  assert.equal(added.body.metadata.color, 'blue');
  assert.deepEqual((await call(`${base}/color`, { headers: h })).body, { meta: { color: 'blue' } });
  const one = await call(`${base}/color`, { method: 'PUT', headers: h, body: { meta: { color: 'red' } } });
  assert.deepEqual(one.body, { meta: { color: 'red' } });
  assert.deepEqual((await call(`${base}/color`, { method: 'PUT', headers: h, body: { meta: { shade: 'x' } } })).body, { badRequest: { code: 400, message: 'Request body and URI mismatch' } });
  assert.equal((await call(`${base}/tier`, { method: 'DELETE', headers: h })).status, 204);
  assert.deepEqual((await call(`${base}/tier`, { method: 'DELETE', headers: h })).body, { itemNotFound: { code: 404, message: 'Invalid metadata key' } });
  const replaced = await call(base, { method: 'PUT', headers: h, body: { metadata: { only: 'this' } } });
  assert.deepEqual(replaced.body, { metadata: { only: 'this' } });
  assert.deepEqual((await call(base, { headers: h })).body, { metadata: { only: 'this' } }, 'Glance holds exactly the new set');
  assert.equal((await call(base, { headers: at('2.39') })).status, 404);
});
