// Everything under /volumes/{id} goes to the owning pod: show/update/delete, metadata in all its
// forms, every action; answers show the top AZ; a pod 404 on GET drops the stale routing;
// os-attach with an instance_uuid needs the server in the volume's pod.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, identity } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { availableVolume, eventually, startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
const who = identity('proj-vb');
let vol1: string; // in Pod1 (az1)
let server1: string; // in Pod1
let server2: string; // in Pod2
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
  vol1 = await availableVolume(v(), { availability_zone: 'az1', name: 'one' });
  const mk = async (az: string) => {
    const r = await call(`${cloud.compute}/v2.1/proj-vb/servers`, { method: 'POST', headers: who, body: { server: { name: az, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } } });
    assert.equal(r.status, 202, r.text);
    return r.body.server.id as string;
  };
  server1 = await mk('az1');
  server2 = await mk('az2');
});
after(() => cloud.close());

const v = () => volumeClient(cloud, 'proj-vb', who);
const podHits = (i: number, id: string) => cloud.pods[i]!.requests.filter((q) => q.path.includes(id)).length;

test('show: the owning pod answers, AZ is the top AZ, links point at the gateway', async () => {
  const r = await v()(`/volumes/${vol1}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.volume.id, vol1);
  assert.equal(r.body.volume.availability_zone, 'az1');
  assert.ok(r.body.volume.links.every((l: { href: string }) => l.href.startsWith(cloud.volume)));
  assert.equal(podHits(1, vol1), 0, 'the other pod is never asked');
});

test('update passes through with the top AZ', async () => {
  const r = await v()(`/volumes/${vol1}`, { method: 'PUT', body: { volume: { name: 'renamed', description: 'x' } } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.volume.name, 'renamed');
  assert.equal(r.body.volume.availability_zone, 'az1');
  assert.equal(cloud.pods[0]!.volumes.get(vol1)?.name, 'renamed');
});

test('metadata: POST, GET, PUT all, GET/PUT/DELETE one key', async () => {
  const m = (sub: string, init?: Parameters<ReturnType<typeof v>>[1]) => v()(`/volumes/${vol1}/metadata${sub}`, init);
  assert.deepEqual((await m('', { method: 'POST', body: { metadata: { a: '1', b: '2' } } })).body, { metadata: { a: '1', b: '2' } });
  assert.deepEqual((await m('')).body, { metadata: { a: '1', b: '2' } });
  assert.deepEqual((await m('', { method: 'PUT', body: { metadata: { c: '3' } } })).body, { metadata: { c: '3' } });
  assert.deepEqual((await m('/c')).body, { meta: { c: '3' } });
  assert.deepEqual((await m('/c', { method: 'PUT', body: { meta: { c: '4' } } })).body, { meta: { c: '4' } });
  assert.equal((await m('/c', { method: 'DELETE' })).status, 200);
  const gone = await m('/c');
  assert.equal(gone.status, 404);
  assert.equal(gone.body.itemNotFound.code, 404);
  const bad = await m('', { method: 'POST', body: { meta: {} } });
  assert.equal(bad.status, 400, 'the pod validates and its 400 passes through');
});

test('actions pass through: extend, bootable, image metadata; admin-only and unknown ones get the pod answer', async () => {
  const act = (body: unknown) => v()(`/volumes/${vol1}/action`, { method: 'POST', body });
  assert.equal((await act({ 'os-set_bootable': { bootable: true } })).status, 200);
  assert.equal((await act({ 'os-extend': { new_size: 2 } })).status, 202);
  await eventually(async () => cloud.pods[0]!.volumes.get(vol1)?.size === 2 && cloud.pods[0]!.volumes.get(vol1)?.status === 'available');
  assert.equal((await act({ 'os-set_image_metadata': { metadata: { distro: 'x' } } })).status, 200);
  const shown = await act({ 'os-show_image_metadata': null });
  assert.deepEqual(shown.body, { metadata: { distro: 'x' } });
  const reset = await act({ 'os-reset_status': { status: 'error' } });
  assert.equal(reset.status, 403, 'the pod sees a member and refuses; the 403 passes through');
  assert.equal(reset.body.forbidden.code, 403);
  const unknown = await act({ 'os-no_such_action': {} });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.badRequest.message, /There is no such action: os-no_such_action/);
});

test('os-attach with an instance_uuid: same pod forwarded, other pod 400, unknown server 404', async () => {
  const attach = (instance_uuid: string) => v()(`/volumes/${vol1}/action`, { method: 'POST', body: { 'os-attach': { instance_uuid, mountpoint: '/dev/vdb' } } });
  const seen = podHits(0, vol1);
  const other = await attach(server2);
  assert.deepEqual(other.body, { badRequest: { code: 400, message: 'Server and volume not in the same pod' } });
  const unknown = await attach('no-such-server');
  assert.deepEqual(unknown.body, { itemNotFound: { code: 404, message: 'Server no-such-server could not be found.' } });
  assert.equal(podHits(0, vol1), seen, 'refused attaches reach no pod');
  const same = await attach(server1);
  assert.equal(same.status, 202, same.text);
  assert.equal(cloud.pods[0]!.volumes.get(vol1)?.status, 'in-use');
  const detach = await v()(`/volumes/${vol1}/action`, { method: 'POST', body: { 'os-detach': {} } });
  assert.equal(detach.status, 202, detach.text);
});

test('an action body the gateway reads is read once: malformed JSON is 400 in Cinder words, an empty one goes to the pod', async () => {
  const seen = podHits(0, vol1);
  const malformed = await v()(`/volumes/${vol1}/action`, { method: 'POST', raw: '{"os-attach": ', headers: { 'content-type': 'application/json' } });
  assert.deepEqual(malformed.body, { badRequest: { code: 400, message: 'Malformed request body' } });
  assert.equal(podHits(0, vol1), seen, 'refused before any pod is asked');
  const empty = await v()(`/volumes/${vol1}/action`, { method: 'POST', raw: '', headers: { 'content-type': 'application/json' } });
  assert.equal(podHits(0, vol1), seen + 1, 'an empty body is the pod\'s to judge');
  assert.equal(empty.status, 400);
});

test('a DELETE the pod accepted marks the routing deleting; a job removes it once the pod has no such volume', async () => {
  const id = await availableVolume(v(), { availability_zone: 'az2' });
  const del = await v()(`/volumes/${id}`, { method: 'DELETE' });
  assert.equal(del.status, 202);
  assert.equal((await cloud.gw.store.routings.lookup(id, 'volume'))?.status, 'deleting', 'routed while the pod deletes');
  await eventually(async () => !cloud.pods[1]!.volumes.has(id));
  await eventually(async () => (await cloud.gw.store.routings.lookup(id, 'volume')) === undefined, 10_000);
  const again = await v()(`/volumes/${id}`);
  assert.deepEqual(again.body, { itemNotFound: { code: 404, message: `Volume ${id} could not be found.` } });
});

test('an unknown id is 404 itemNotFound in Cinder words and reaches no pod', async () => {
  const seen = cloud.pods.map((p) => p.requests.length);
  for (const [method, sub] of [['GET', ''], ['PUT', ''], ['DELETE', ''], ['POST', '/action'], ['GET', '/metadata']] as const) {
    const r = await v()(`/volumes/nope${sub}`, { method, body: method === 'GET' || method === 'DELETE' ? undefined : { volume: {} } });
    assert.deepEqual(r.body, { itemNotFound: { code: 404, message: 'Volume nope could not be found.' } }, `${method} ${sub}`);
  }
  assert.deepEqual(cloud.pods.map((p) => p.requests.length), seen);
});

test('another project in the URL is 403 for a non-admin', async () => {
  const r = await volumeClient(cloud, 'someone-else', who)(`/volumes/${vol1}`);
  assert.equal(r.status, 403);
  assert.equal(r.body.forbidden.code, 403);
});
