// The attachments API (3.27+): created in the volume's pod (the server must be there too),
// routed by its own id, deleted routing with it; below 3.27 the pod's 404 leaves no routing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, identity } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { availableVolume, startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
const who = identity('proj-at');
let vol: string;
const servers: string[] = [];
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
  vol = await availableVolume(v(), { availability_zone: 'az1' });
  for (const az of ['az1', 'az2']) {
    const r = await call(`${cloud.compute}/v2.1/proj-at/servers`, { method: 'POST', headers: who, body: { server: { name: az, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } } });
    servers.push(r.body.server.id);
  }
});
after(() => cloud.close());

const v = () => volumeClient(cloud, 'proj-at', who);
const attachments = async () => cloud.gw.store.routings.list({ project_id: 'proj-at', resource_type: 'attachment' });

test('below 3.27 the pod answers 404 and no routing is left', async () => {
  const r = await v()('/attachments', { method: 'POST', body: { attachment: { volume_uuid: vol, instance_uuid: servers[0] } } });
  assert.equal(r.status, 404);
  assert.equal((await attachments()).length, 0);
});

test('a server in another pod is 400, an unknown one 404, an unknown volume 404', async () => {
  const other = await v()('/attachments', { method: 'POST', body: { attachment: { volume_uuid: vol, instance_uuid: servers[1] } }, version: '3.27' });
  assert.deepEqual(other.body, { badRequest: { code: 400, message: 'Server and volume not in the same pod' } });
  const unknown = await v()('/attachments', { method: 'POST', body: { attachment: { volume_uuid: vol, instance_uuid: 'nope' } }, version: '3.27' });
  assert.equal(unknown.status, 404);
  const noVol = await v()('/attachments', { method: 'POST', body: { attachment: { volume_uuid: 'nope' } }, version: '3.27' });
  assert.deepEqual(noVol.body, { itemNotFound: { code: 404, message: 'Volume nope could not be found.' } });
});

test('create, show, update, complete, list, delete — by routing', async () => {
  const r = await v()('/attachments', { method: 'POST', body: { attachment: { volume_uuid: vol, instance_uuid: servers[0] } }, version: '3.44' });
  assert.equal(r.status, 200, r.text);
  const id = r.body.attachment.id;
  assert.equal((await cloud.gw.store.routings.lookup(id, 'attachment'))?.pod_id, cloud.podIds[0]);
  assert.equal((await v()(`/attachments/${id}`, { version: '3.44' })).body.attachment.status, 'reserved');
  const upd = await v()(`/attachments/${id}`, { method: 'PUT', body: { attachment: { connector: { host: 'h1', mountpoint: '/dev/vdb' } } }, version: '3.44' });
  assert.equal(upd.status, 200, upd.text);
  assert.equal(upd.body.attachment.connection_info.volume_id, vol);
  const done = await v()(`/attachments/${id}/action`, { method: 'POST', body: { 'os-complete': {} }, version: '3.44' });
  assert.equal(done.status, 204);
  assert.equal(cloud.pods[0]!.volumes.get(vol)?.status, 'in-use');
  const list = await v()('/attachments', { version: '3.44' });
  assert.deepEqual(list.body.attachments.map((a: { id: string }) => a.id), [id]);
  const del = await v()(`/attachments/${id}`, { method: 'DELETE', version: '3.44' });
  assert.equal(del.status, 200, del.text);
  assert.equal(await cloud.gw.store.routings.lookup(id, 'attachment'), undefined, 'routing gone with the attachment');
  assert.equal((await v()(`/attachments/${id}`, { version: '3.44' })).body.itemNotFound.message, `Volume attachment could not be found with filter: attachment_id = ${id}.`);
});
