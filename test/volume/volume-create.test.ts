// Volume create: the tenant's binding picks the pod (a server and a volume of one AZ share it),
// the whole body is forwarded with the AZ rewritten for the pod, the answer shows the top AZ;
// creates from a snapshot, volume or backup go to the source's pod.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, identity } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { availableVolume, startVolumeCloud, volumeClient, waitStatus, type Cloud } from './helpers';

let cloud: Cloud;
const who = identity('proj-vc');
before(async () => {
  cloud = await startVolumeCloud([
    { topAz: 'az1', podAz: 'cinder-a', az: 'cinder-a' },
    { topAz: 'az2', podAz: '', az: 'nova' },
    { topAz: 'az2', podAz: '', az: 'nova' },
  ]);
});
after(() => cloud.close());

const v = () => volumeClient(cloud, 'proj-vc', who);
const posts = (i: number, suffix: string) => cloud.pods[i]!.requests.filter((q) => q.method === 'POST' && q.path.endsWith(suffix));

test('az1: body forwarded whole with availability_zone := pod_az_name; answer and routing', async () => {
  const volume = { size: 1, name: 'v-az1', description: 'd', availability_zone: 'az1', metadata: { k: 'v' }, volume_type: '__DEFAULT__', bootable: false };
  const r = await v()('/volumes', { method: 'POST', body: { volume } });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.volume.availability_zone, 'az1', 'the answer shows the top AZ');
  const sent = posts(0, '/volumes').at(-1)!;
  assert.equal(sent.path, '/volume/v3/proj-vc/volumes');
  assert.deepEqual(sent.body, { volume: { ...volume, availability_zone: 'cinder-a' } });
  const routing = await cloud.gw.store.routings.lookup(r.body.volume.id, 'volume');
  assert.equal(routing?.pod_id, cloud.podIds[0]);
  assert.equal(routing?.project_id, 'proj-vc');
  assert.equal(routing?.status, 'active');
  for (const l of r.body.volume.links) assert.ok(l.href.startsWith(`${cloud.volume}/`), l.href);
  assert.equal(r.body.volume.links.find((l: { rel: string }) => l.rel === 'self').href, `${cloud.volume}/v3/proj-vc/volumes/${r.body.volume.id}`);
});

test('az2 with an empty pod_az_name drops availability_zone; the show answers az2', async () => {
  const r = await v()('/volumes', { method: 'POST', body: { volume: { size: 1, availability_zone: 'az2' } } });
  assert.equal(r.status, 202, r.text);
  const sent = posts(1, '/volumes').at(-1)!;
  assert.equal('availability_zone' in (sent.body as { volume: object }).volume, false);
  assert.equal(r.body.volume.availability_zone, 'az2');
  const show = await v()(`/volumes/${r.body.volume.id}`);
  assert.equal(show.body.volume.availability_zone, 'az2');
});

test('a server and a volume created in one AZ land in the same pod', async () => {
  const tenant = identity('proj-same');
  const server = await call(`${cloud.compute}/v2.1/proj-same/servers`, {
    method: 'POST',
    headers: tenant,
    body: { server: { name: 's', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az2' } },
  });
  assert.equal(server.status, 202, server.text);
  const vol = await volumeClient(cloud, 'proj-same', tenant)('/volumes', { method: 'POST', body: { volume: { size: 1, availability_zone: 'az2' } } });
  assert.equal(vol.status, 202, vol.text);
  const s = await cloud.gw.store.routings.lookup(server.body.server.id, 'server');
  const o = await cloud.gw.store.routings.lookup(vol.body.volume.id, 'volume');
  assert.equal(o?.pod_id, s?.pod_id);
});

test('no AZ reuses the tenant binding and sends the pod its AZ name', async () => {
  const r = await v()('/volumes', { method: 'POST', body: { volume: { size: 1 } } });
  assert.equal(r.status, 202, r.text);
  const routing = await cloud.gw.store.routings.lookup(r.body.volume.id, 'volume');
  assert.equal(routing?.pod_id, cloud.podIds[0], 'first active binding (az1)');
  assert.equal((posts(0, '/volumes').at(-1)!.body as { volume: { availability_zone: string } }).volume.availability_zone, 'cinder-a');
});

test('the project-less URL (3.67) reaches the pod with the project id in the path', async () => {
  const r = await call(`${cloud.volume}/v3/volumes`, { method: 'POST', headers: { ...who, 'openstack-api-version': 'volume 3.67' }, body: { volume: { size: 1, availability_zone: 'az1' } } });
  assert.equal(r.status, 202, r.text);
  assert.equal(posts(0, '/volumes').at(-1)!.path, '/volume/v3/proj-vc/volumes');
  assert.equal((await cloud.gw.store.routings.lookup(r.body.volume.id, 'volume'))?.project_id, 'proj-vc');
});

test('from a snapshot, a source volume or a backup: the source pod; another AZ is a clear 400', async () => {
  const base = await availableVolume(v(), { availability_zone: 'az2' });
  const snap = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: base } } });
  assert.equal(snap.status, 202, snap.text);
  await waitStatus(v(), `/snapshots/${snap.body.snapshot.id}`, 'snapshot', 'available');
  const backup = await v()('/backups', { method: 'POST', body: { backup: { volume_id: base } } });
  assert.equal(backup.status, 202, backup.text);
  await waitStatus(v(), `/backups/${backup.body.backup.id}`, 'backup', 'available');
  const podOf = async (id: string) => (await cloud.gw.store.routings.lookup(id, 'volume'))?.pod_id;

  const fromSnap = await v()('/volumes', { method: 'POST', body: { volume: { snapshot_id: snap.body.snapshot.id } } });
  assert.equal(fromSnap.status, 202, fromSnap.text);
  assert.equal(await podOf(fromSnap.body.volume.id), cloud.podIds[1]);
  assert.equal(fromSnap.body.volume.availability_zone, 'az2');
  const fromVol = await v()('/volumes', { method: 'POST', body: { volume: { source_volid: base, availability_zone: 'az2' } } });
  assert.equal(fromVol.status, 202, fromVol.text);
  assert.equal(await podOf(fromVol.body.volume.id), cloud.podIds[1]);
  const fromBackup = await v()('/volumes', { method: 'POST', body: { volume: { backup_id: backup.body.backup.id } }, version: '3.47' });
  assert.equal(fromBackup.status, 202, fromBackup.text);
  assert.equal(await podOf(fromBackup.body.volume.id), cloud.podIds[1]);

  const wrong = await v()('/volumes', { method: 'POST', body: { volume: { snapshot_id: snap.body.snapshot.id, availability_zone: 'az1' } } });
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.body, { badRequest: { code: 400, message: `Availability zone 'az1' is invalid: the snapshot ${snap.body.snapshot.id} is in availability zone 'az2'.` } });
  const unknown = await v()('/volumes', { method: 'POST', body: { volume: { source_volid: 'no-such-volume' } } });
  assert.deepEqual(unknown.body, { itemNotFound: { code: 404, message: 'Volume no-such-volume could not be found.' } });
});

test('bad requests are 400 in Cinder words and reach no pod', async () => {
  const seen = cloud.pods.map((p) => p.requests.length);
  const missing = await v()('/volumes', { method: 'POST', body: { size: 1 } });
  assert.deepEqual(missing.body, { badRequest: { code: 400, message: "Missing required element 'volume' in request body." } });
  const unknownAz = await v()('/volumes', { method: 'POST', body: { volume: { size: 1, availability_zone: 'az9' } } });
  assert.deepEqual(unknownAz.body, { badRequest: { code: 400, message: "Availability zone 'az9' is invalid." } });
  const notJson = await v()('/volumes', { method: 'POST', raw: '{', headers: { 'content-type': 'application/json' } });
  assert.equal(notJson.status, 400);
  const badAz = await v()('/volumes', { method: 'POST', body: { volume: { size: 1, availability_zone: 7 } } });
  assert.equal(badAz.status, 400);
  assert.deepEqual(cloud.pods.map((p) => p.requests.length), seen);
});
