// Snapshots and backups: created in the pod of their volume with routing rows of their own,
// everything by id routed, restore runs in the backup's pod and adopts the volume it creates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { identity } from '../support/http';
import { availableVolume, startVolumeCloud, volumeClient, waitStatus, eventually, type Cloud } from './helpers';

let cloud: Cloud;
const who = identity('proj-sb');
let vol2: string; // Pod2
let vol1: string; // Pod1
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
  vol1 = await availableVolume(v(), { availability_zone: 'az1' });
  vol2 = await availableVolume(v(), { availability_zone: 'az2' });
});
after(() => cloud.close());

const v = () => volumeClient(cloud, 'proj-sb', who);

test('snapshot: created in the volume pod, routed, by id (show, update, metadata, delete), listed', async () => {
  const r = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: vol2, name: 's1' } } });
  assert.equal(r.status, 202, r.text);
  const id = r.body.snapshot.id;
  const routing = await cloud.gw.store.routings.lookup(id, 'snapshot');
  assert.equal(routing?.pod_id, cloud.podIds[1]);
  assert.equal(cloud.pods[0]!.requests.filter((q) => q.path.endsWith('/snapshots')).length, 0);
  await waitStatus(v(), `/snapshots/${id}`, 'snapshot', 'available');
  assert.equal((await v()(`/snapshots/${id}`, { method: 'PUT', body: { snapshot: { name: 's1b' } } })).body.snapshot.name, 's1b');
  assert.deepEqual((await v()(`/snapshots/${id}/metadata`, { method: 'POST', body: { metadata: { k: 'v' } } })).body, { metadata: { k: 'v' } });
  const list = await v()('/snapshots/detail');
  assert.deepEqual(list.body.snapshots.map((s: { id: string }) => s.id), [id]);
  // The non-detail list is Cinder's snapshot summary view (no links, no extended attributes),
  // the same item the pod lists; Tempest's schema refused {id, name, links} on a real Cinder.
  const summary = await v()('/snapshots');
  const direct = await fetch(`${cloud.pods[1]!.url}/volume/v3/proj-sb/snapshots`, { headers: { 'x-auth-token': 't', 'x-project-id': 'proj-sb' } });
  assert.deepEqual(summary.body.snapshots, ((await direct.json()) as { snapshots: unknown[] }).snapshots);
  assert.deepEqual(Object.keys(summary.body.snapshots[0]).sort(), ['created_at', 'description', 'id', 'metadata', 'name', 'size', 'status', 'updated_at', 'volume_id']);
  assert.equal((await v()(`/snapshots/${id}`, { method: 'DELETE' })).status, 202);
  await eventually(async () => !cloud.pods[1]!.volumeService.snapshots.has(id));
  assert.equal((await v()(`/snapshots/${id}`)).status, 404);
  await eventually(async () => (await cloud.gw.store.routings.lookup(id, 'snapshot')) === undefined, 10_000);
});

test('snapshot of an unknown volume is 404 and leaves nothing; a pod refusal leaves no routing', async () => {
  const r = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: 'nope' } } });
  assert.deepEqual(r.body, { itemNotFound: { code: 404, message: 'Volume nope could not be found.' } });
  const missing = await v()('/snapshots', { method: 'POST', body: { snapshot: {} } });
  assert.equal(missing.status, 400);
  // Cinder's schema takes a null volume_id; the lookup of volume None is 404 (Tempest checks it).
  const nullId = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: null } } });
  assert.deepEqual(nullId.body, { itemNotFound: { code: 404, message: 'Volume None could not be found.' } });
  const numberId = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: 7 } } });
  assert.equal(numberId.status, 400);
  const noBody = await v()('/snapshots', { method: 'POST', body: {} });
  assert.deepEqual(noBody.body, { badRequest: { code: 400, message: "Missing required element 'snapshot' in request body." } });
  cloud.pods[0]!.inject({ kind: 'status', status: 413, body: { overLimit: { code: 413, message: 'SnapshotLimitExceeded' } }, match: { method: 'POST' }, times: 1 });
  const refused = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: vol1 } } });
  assert.equal(refused.status, 413);
  assert.equal((await cloud.gw.store.routings.list({ project_id: 'proj-sb', resource_type: 'snapshot', status: 'pending' })).length, 0);
  assert.deepEqual((await v()('/snapshots/nope')).body, { itemNotFound: { code: 404, message: 'Snapshot nope could not be found.' } });
});

test('backup: created in the volume pod with the top AZ, routed, listed, restore adopts the new volume', async () => {
  const r = await v()('/backups', { method: 'POST', body: { backup: { volume_id: vol1, name: 'b1' } } });
  assert.equal(r.status, 202, r.text);
  const id = r.body.backup.id;
  assert.equal((await cloud.gw.store.routings.lookup(id, 'backup'))?.pod_id, cloud.podIds[0]);
  await waitStatus(v(), `/backups/${id}`, 'backup', 'available');
  const show = await v()(`/backups/${id}`);
  assert.equal(show.body.backup.availability_zone, 'az1', 'the top AZ, not the pod one');
  const list = await v()('/backups/detail');
  assert.deepEqual(list.body.backups.map((b: { id: string; availability_zone: string }) => [b.id, b.availability_zone]), [[id, 'az1']]);

  const restored = await v()(`/backups/${id}/restore`, { method: 'POST', body: { restore: { name: 'from-b1' } } });
  assert.equal(restored.status, 202, restored.text);
  const newVol = restored.body.restore.volume_id;
  assert.equal((await cloud.gw.store.routings.lookup(newVol, 'volume'))?.pod_id, cloud.podIds[0], 'the restored volume is routed');
  await waitStatus(v(), `/volumes/${newVol}`, 'volume', 'available');
  await waitStatus(v(), `/backups/${id}`, 'backup', 'available');

  const otherPod = await v()(`/backups/${id}/restore`, { method: 'POST', body: { restore: { volume_id: vol2 } } });
  assert.deepEqual(otherPod.body, { badRequest: { code: 400, message: `Backup ${id} and volume ${vol2} are not in the same availability zone (pod).` } });
  const into = await v()(`/backups/${id}/restore`, { method: 'POST', body: { restore: { volume_id: newVol } } });
  assert.equal(into.status, 202, into.text);
  assert.equal(into.body.restore.volume_id, newVol);
});

test('backup of a snapshot in another pod is 400; unknown backup 404', async () => {
  const snap = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: vol2 } } });
  assert.equal(snap.status, 202);
  const r = await v()('/backups', { method: 'POST', body: { backup: { volume_id: vol1, snapshot_id: snap.body.snapshot.id } } });
  assert.deepEqual(r.body, { badRequest: { code: 400, message: `The volume ${vol1} and the snapshot ${snap.body.snapshot.id} are not in the same availability zone (pod).` } });
  assert.deepEqual((await v()('/backups/nope')).body, { itemNotFound: { code: 404, message: 'Backup nope could not be found.' } });
});
