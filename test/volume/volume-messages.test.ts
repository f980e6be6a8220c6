// User messages (3.3): a create that failed in a pod leaves a message there; the project lists it
// through the gateway (merged across pods), shows and deletes it by id routed to that pod, and
// another project sees none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, identity } from '../support/http';
import { eventually, startVolumeCloud, volumeClient, waitStatus, type Cloud } from './helpers';

let cloud: Cloud;
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

const client = (project: string) => volumeClient(cloud, project, identity(project));

test('a failed create is explained by a message: listed, shown, deleted through the gateway', async () => {
  const admin = volumeClient(cloud, 'admin-project', ADMIN);
  const t = await admin('/types', { method: 'POST', body: { volume_type: { name: 'elsewhere', extra_specs: { volume_backend_name: 'no-such-backend' } } } });
  assert.equal(t.status, 200, t.text);
  await eventually(async () => (await cloud.gw.store.catalogState.list({ kind: 'volume_type', topId: t.body.volume_type.id })).filter((x) => x.status === 'synced').length === 2, 15_000);
  const p = client('proj-msg');
  const made = await p('/volumes', { method: 'POST', body: { volume: { size: 1, volume_type: 'elsewhere', availability_zone: 'az2' } } });
  assert.equal(made.status, 202, made.text);
  const vol = made.body.volume.id;
  await waitStatus(p, `/volumes/${vol}`, 'volume', 'error');
  const ok = await p('/volumes', { method: 'POST', body: { volume: { size: 1, availability_zone: 'az1' } } });
  assert.equal(ok.status, 202);

  assert.equal((await p('/messages', { version: '3.2' })).status, 404, 'messages begin at 3.3');
  const list = await p('/messages', { version: '3.3' });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.body.messages.length, 1);
  const m = list.body.messages[0];
  assert.equal(m.resource_uuid, vol);
  assert.equal(m.user_message, 'schedule allocate volume:Could not find any available weighted backend.');
  assert.equal(m.event_id, 'VOLUME_VOLUME_001_003');
  assert.equal(m.links[0].href.startsWith(cloud.volume), true, 'links point at the gateway');
  assert.equal((await cloud.gw.store.routings.lookup(m.id, 'message'))?.pod_id, cloud.podIds[1], 'routed on first sight');

  assert.deepEqual((await p(`/messages/${m.id}`, { version: '3.3' })).body, { message: m });
  const other = client('proj-other');
  assert.deepEqual((await other('/messages', { version: '3.3' })).body, { messages: [] });
  assert.deepEqual((await other(`/messages/${m.id}`, { version: '3.3' })).body, { itemNotFound: { code: 404, message: `Message ${m.id} could not be found.` } });
  assert.equal((await other(`/messages/${m.id}`, { method: 'DELETE', version: '3.3' })).status, 404);
  assert.equal((await cloud.gw.store.routings.lookup(m.id, 'message'))?.project_id, 'proj-msg');

  assert.equal((await p(`/messages/${m.id}`, { method: 'DELETE', version: '3.3' })).status, 204);
  assert.equal(await cloud.gw.store.routings.lookup(m.id, 'message'), undefined);
  assert.deepEqual((await p('/messages', { version: '3.3' })).body, { messages: [] });
});

test('a message never listed is found by id in the project pods (route miss)', async () => {
  const p = client('proj-msg2');
  const made = await p('/volumes', { method: 'POST', body: { volume: { size: 1, volume_type: 'elsewhere', availability_zone: 'az1' } } });
  assert.equal(made.status, 202, made.text);
  await waitStatus(p, `/volumes/${made.body.volume.id}`, 'volume', 'error');
  const [id] = [...cloud.pods[0]!.volumeService.messages.values()].filter((x) => x.projectId === 'proj-msg2').map((x) => x.id);
  assert.ok(id);
  const shown = await p(`/messages/${id}`, { version: '3.3' });
  assert.equal(shown.status, 200, shown.text);
  assert.equal((await cloud.gw.store.routings.lookup(id!, 'message'))?.pod_id, cloud.podIds[0]);
});
