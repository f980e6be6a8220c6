// Issue 14 adoption: what a pod makes for a create without naming it in its answer is routed —
// every server of a multi-create (also when the answer is only a reservation_id), the volumes
// Nova makes for block_device_mapping_v2 and the attachments Nova makes; and a well-formed id
// unknown to the routing table is looked for in the tenant's pods.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { startCloud, eventually, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';

let cloud: Cloud;
const who = identity('proj-adopt');
const V = { 'openstack-api-version': 'compute 2.79' };

before(async () => {
  cloud = await startCloud([{ topAz: 'az1', transitionMs: 20 }]);
  await cloud.gw.gateway.parts.volumeVersions.refresh();
});
after(() => cloud.close());

const create = (server: Record<string, unknown>) =>
  call(`${cloud.compute}/v2.1/servers`, { method: 'POST', headers: { ...who, ...V }, body: { server: { flavorRef: '1', networks: 'none', ...server } } });
const show = (id: string) => call(`${cloud.compute}/v2.1/servers/${id}`, { headers: { ...who, ...V } });
const byName = (prefix: string) => [...cloud.pods[0]!.servers.values()].filter((s) => s.name.startsWith(prefix)).map((s) => s.id);

test('multi-create of 3: all three are routed, reachable by id, listed and counted', async () => {
  const r = await create({ name: 'trio', imageRef: CIRROS_IMAGE_ID, min_count: 3 });
  assert.equal(r.status, 202, r.text);
  const ids = byName('trio');
  assert.equal(ids.length, 3);
  for (const id of ids) {
    assert.equal((await show(id)).status, 200, `server ${id} reachable`);
    assert.equal((await cloud.gw.store.routings.lookup(id, 'server'))?.pod_id, cloud.podIds[0]);
  }
  const list = await call(`${cloud.compute}/v2.1/servers`, { headers: who });
  assert.deepEqual(list.body.servers.map((s: { id: string }) => s.id).filter((id: string) => ids.includes(id)).sort(), [...ids].sort());
  const limits = await call(`${cloud.compute}/v2.1/limits`, { headers: who });
  assert.equal(limits.body.limits.absolute.totalInstancesUsed, 3);
  assert.equal(limits.body.limits.absolute.totalRAMUsed, 3 * 512, 'cores and RAM follow the multi-create');
});

test('return_reservation_id: the answer names no server; both are routed and no pending routing is left', async () => {
  const r = await create({ name: 'resv', imageRef: CIRROS_IMAGE_ID, min_count: 2, return_reservation_id: true });
  assert.equal(r.status, 202, r.text);
  assert.match(r.body.reservation_id, /^r-/);
  assert.deepEqual(Object.keys(r.body), ['reservation_id'], "Nova's answer: the reservation only");
  const ids = byName('resv');
  assert.equal(ids.length, 2);
  for (const id of ids) assert.equal((await show(id)).status, 200);
  const listed = await call(`${cloud.compute}/v2.1/servers?reservation_id=${r.body.reservation_id}`, { headers: { ...who, ...V } });
  assert.deepEqual(listed.body.servers.map((s: { id: string }) => s.id).sort(), [...ids].sort(), 'the reservation lists both through the gateway');
  assert.equal((await cloud.gw.store.routings.list({ project_id: 'proj-adopt', status: 'pending' })).length, 0);
});

test('a multi-create whose siblings the pod cannot list at once is routed by a job', async () => {
  const pod = cloud.pods[0]!;
  // The gateway's own list (by reservation) fails twice; the user's create goes through.
  pod.inject({ kind: 'status', status: 503, match: { method: 'GET', path: /\/compute\/v2\.1\/servers\/detail$/ }, times: 2 });
  const r = await create({ name: 'later', imageRef: CIRROS_IMAGE_ID, min_count: 2 });
  assert.equal(r.status, 202, r.text);
  const ids = byName('later');
  await eventually(async () => (await Promise.all(ids.map((id) => cloud.gw.store.routings.lookup(id, 'server')))).every(Boolean), 15_000);
  const jobs = await cloud.gw.store.jobs.list({ type: 'adopt_reservation', status: 'success' });
  assert.ok(jobs.length >= 1);
});

test('boot from volume: the volume Nova makes for block_device_mapping_v2 is reachable by id, with its attachment', async () => {
  const bdm = [{ boot_index: 0, source_type: 'image', destination_type: 'volume', uuid: CIRROS_IMAGE_ID, volume_size: 1, delete_on_termination: false }];
  const r = await create({ name: 'bfv', block_device_mapping_v2: bdm });
  assert.equal(r.status, 202, r.text);
  const id = r.body.server.id;
  const server = await eventually(async () => {
    const s = (await show(id)).body.server;
    return s.status === 'ACTIVE' ? s : undefined;
  });
  const [vol] = server['os-extended-volumes:volumes_attached'].map((v: { id: string }) => v.id);
  const shown = await eventually(async () => {
    const v = await call(`${cloud.volume}/v3/proj-adopt/volumes/${vol}`, { headers: who });
    return v.status === 200 ? v : undefined;
  }, 15_000);
  assert.equal(shown.body.volume.availability_zone, 'az1', 'answered through the gateway, top AZ');
  assert.equal((await cloud.gw.store.routings.lookup(vol, 'volume'))?.project_id, 'proj-adopt');
  const attachment = cloud.pods[0]!.volumes.get(vol)!.attachments[0]!.id;
  await eventually(async () => Boolean(await cloud.gw.store.routings.lookup(attachment, 'attachment')), 15_000);
  const a = await call(`${cloud.volume}/v3/proj-adopt/attachments/${attachment}`, { headers: { ...who, 'openstack-api-version': 'volume 3.27' } });
  assert.equal(a.status, 200, a.text);
});

test('an attachment Nova makes for os-volume_attachments is routed', async () => {
  const s = await create({ name: 'host', imageRef: CIRROS_IMAGE_ID });
  const server = s.body.server.id;
  await eventually(async () => (await show(server)).body.server.status === 'ACTIVE');
  const v = await call(`${cloud.volume}/v3/proj-adopt/volumes`, { method: 'POST', headers: who, body: { volume: { size: 1 } } });
  const volume = v.body.volume.id;
  await eventually(async () => (await call(`${cloud.volume}/v3/proj-adopt/volumes/${volume}`, { headers: who })).body.volume.status === 'available');
  const att = await call(`${cloud.compute}/v2.1/servers/${server}/os-volume_attachments`, { method: 'POST', headers: who, body: { volumeAttachment: { volumeId: volume } } });
  assert.equal(att.status, 200, att.text);
  const attachment = cloud.pods[0]!.volumes.get(volume)!.attachments[0]!.id;
  await eventually(async () => Boolean(await cloud.gw.store.routings.lookup(attachment, 'attachment')), 15_000);
});

test('a route miss asks the tenant’s pods: a server made in the pod directly is found and adopted; a miss is remembered', async () => {
  const pod = cloud.pods[0]!;
  const made = await call(`${pod.endpoints.compute}/proj-adopt/servers`, {
    method: 'POST',
    headers: { 'x-auth-token': 't', 'x-project-id': 'proj-adopt' },
    body: { server: { name: 'direct', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } },
  });
  const id = made.body.server.id;
  const r = await show(id);
  assert.equal(r.status, 200, r.text);
  assert.equal((await cloud.gw.store.routings.lookup(id, 'server'))?.project_id, 'proj-adopt');
  // Another project's token cannot adopt it: the pod answers that project 404.
  const other = identity('proj-other');
  const strangers = await call(`${cloud.compute}/v2.1/servers/${made.body.server.id.replace(/.$/, '0')}`, { headers: other });
  assert.equal(strangers.status, 404);
  const nowhere = '11111111-2222-3333-4444-555555555555';
  assert.equal((await show(nowhere)).status, 404);
  const asked = () => pod.requests.filter((q) => q.path.endsWith(`/servers/${nowhere}`)).length;
  const before = asked();
  assert.equal(before, 1, 'the tenant’s pod was asked once');
  assert.equal((await show(nowhere)).status, 404);
  assert.equal(asked(), before, 'the miss is remembered');
});
