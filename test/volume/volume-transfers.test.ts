// Volume transfers: made in the volume's pod and routed there; an accept by another project
// moves the volume's routing (and its snapshots') to that project; a wrong key or a stranger's
// look changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { identity } from '../support/http';
import { availableVolume, startVolumeCloud, volumeClient, waitStatus, type Cloud } from './helpers';

let cloud: Cloud;
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

const client = (project: string) => volumeClient(cloud, project, identity(project));
const routing = (id: string, type: 'volume' | 'snapshot' | 'transfer') => cloud.gw.store.routings.lookup(id, type);

test('os-volume-transfer: created in the volume pod, accepted by another project, routings follow', async () => {
  const a = client('proj-donor');
  const b = client('proj-receiver');
  const intruder = client('proj-intruder');
  const vol = await availableVolume(a, { availability_zone: 'az2' });
  const snap = await a('/snapshots', { method: 'POST', body: { snapshot: { volume_id: vol, name: 'with-it' } } });
  assert.equal(snap.status, 202, snap.text);
  await waitStatus(a, `/snapshots/${snap.body.snapshot.id}`, 'snapshot', 'available');

  const created = await a('/os-volume-transfer', { method: 'POST', body: { transfer: { volume_id: vol, name: 'gift' } } });
  assert.equal(created.status, 202, created.text);
  const { id, auth_key } = created.body.transfer;
  assert.equal(typeof auth_key, 'string');
  assert.equal((await routing(id, 'transfer'))?.pod_id, cloud.podIds[1]);
  assert.equal(cloud.pods[0]!.volumeService.volumes.size, 0, 'pod 1 never asked');

  const list = await a('/os-volume-transfer');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.transfers.map((t: Record<string, unknown>) => Object.keys(t).sort()), [['id', 'links', 'name', 'volume_id']]);
  assert.equal(list.body.transfers[0].id, id);
  const detail = await a('/os-volume-transfer/detail');
  assert.equal(detail.body.transfers[0].created_at !== undefined, true);
  assert.equal((await a(`/os-volume-transfer/${id}`)).body.transfer.volume_id, vol);

  // A stranger neither sees the transfer nor takes the volume with a guessed key.
  const peek = await intruder(`/os-volume-transfer/${id}`);
  assert.deepEqual(peek.body, { itemNotFound: { code: 404, message: `Transfer ${id} could not be found.` } });
  const guess = await intruder(`/os-volume-transfer/${id}/accept`, { method: 'POST', body: { accept: { auth_key: 'not-the-key' } } });
  assert.deepEqual(guess.body, { badRequest: { code: 400, message: `Invalid auth key: Attempt to transfer ${id} with invalid auth key.` } });
  assert.equal((await routing(vol, 'volume'))?.project_id, 'proj-donor');
  assert.equal((await routing(id, 'transfer'))?.project_id, 'proj-donor');
  assert.deepEqual((await intruder('/os-volume-transfer')).body, { transfers: [] });

  const accepted = await b(`/os-volume-transfer/${id}/accept`, { method: 'POST', body: { accept: { auth_key } } });
  assert.equal(accepted.status, 202, accepted.text);
  assert.equal(accepted.body.transfer.volume_id, vol);
  assert.equal((await routing(vol, 'volume'))?.project_id, 'proj-receiver');
  assert.equal((await routing(snap.body.snapshot.id, 'snapshot'))?.project_id, 'proj-receiver');
  assert.equal(await routing(id, 'transfer'), undefined, 'an accepted transfer is gone');
  assert.equal((await b(`/volumes/${vol}`)).body.volume.status, 'available');
  assert.equal((await a(`/volumes/${vol}`)).status, 404);
  assert.deepEqual((await b('/volumes')).body.volumes.map((v: { id: string }) => v.id), [vol]);
  assert.deepEqual((await a('/volumes')).body.volumes, []);
  assert.deepEqual((await b('/snapshots')).body.snapshots.map((s: { id: string }) => s.id), [snap.body.snapshot.id]);
  assert.equal((await b(`/os-volume-transfer/${id}/accept`, { method: 'POST', body: { accept: { auth_key } } })).status, 404);
});

test('volume-transfers (3.55): no_snapshots leaves the snapshots with the donor; below 3.55 it is 404', async () => {
  const a = client('proj-donor2');
  const b = client('proj-receiver2');
  const vol = await availableVolume(a, { availability_zone: 'az1' });
  const snap = await a('/snapshots', { method: 'POST', body: { snapshot: { volume_id: vol } } });
  await waitStatus(a, `/snapshots/${snap.body.snapshot.id}`, 'snapshot', 'available');
  assert.equal((await a('/volume-transfers', { method: 'POST', body: { transfer: { volume_id: vol } }, version: '3.54' })).status, 404);
  assert.equal(await cloud.gw.store.routings.list({ resource_type: 'transfer', status: 'pending' }).then((r) => r.length), 0);

  const created = await a('/volume-transfers', { method: 'POST', body: { transfer: { volume_id: vol, no_snapshots: true } }, version: '3.55' });
  assert.equal(created.status, 202, created.text);
  assert.equal(created.body.transfer.no_snapshots, true);
  const { id, auth_key } = created.body.transfer;
  assert.equal((await routing(id, 'transfer'))?.pod_id, cloud.podIds[0]);
  const accepted = await b(`/volume-transfers/${id}/accept`, { method: 'POST', body: { accept: { auth_key } }, version: '3.55' });
  assert.equal(accepted.status, 202, accepted.text);
  assert.equal((await routing(vol, 'volume'))?.project_id, 'proj-receiver2');
  assert.equal((await routing(snap.body.snapshot.id, 'snapshot'))?.project_id, 'proj-donor2');
});

test('a transfer deleted by its owner goes with its routing; an unknown volume is 404 before any pod', async () => {
  const a = client('proj-donor3');
  const vol = await availableVolume(a, { availability_zone: 'az1' });
  const created = await a('/os-volume-transfer', { method: 'POST', body: { transfer: { volume_id: vol } } });
  const id = created.body.transfer.id;
  assert.equal((await a(`/os-volume-transfer/${id}`, { method: 'DELETE' })).status, 202);
  assert.equal(await routing(id, 'transfer'), undefined);
  assert.equal((await a(`/volumes/${vol}`)).body.volume.status, 'available');
  const unknown = await a('/os-volume-transfer', { method: 'POST', body: { transfer: { volume_id: '1c9e7f0a-0000-4000-8000-000000000000' } } });
  assert.deepEqual(unknown.body, { itemNotFound: { code: 404, message: 'Volume 1c9e7f0a-0000-4000-8000-000000000000 could not be found.' } });
});
